// RESP (the Redis protocol) codec over hiredis' reader and command
// formatter. No sockets here: it is fed bytes.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/redact.h"
#include "base/result.h"

namespace preflight::resp {

struct Reply {
  enum class Type { status, error, string, integer, nil, array, other };
  Type type = Type::other;
  std::string text;  // status, error or bulk string (first 256 bytes, then "...")
  long long integer = 0;
  std::vector<Reply> elements;  // array
};

// Formats a command as a RESP array of bulk strings.
std::string format_command(const std::vector<std::string>& args);

class Reader {
 public:
  // Replies larger than max_reply_bytes are a protocol error, so that a
  // server that streams garbage cannot grow memory without bound. Bytes a
  // message quotes are scrubbed with `redactor`, which must outlive it.
  explicit Reader(const Redactor& redactor, size_t max_reply_bytes = 64 * 1024);
  ~Reader();
  Reader(const Reader&) = delete;
  Reader& operator=(const Reader&) = delete;

  void feed(std::string_view bytes);
  // The next complete reply; nullopt when more bytes are needed. A protocol
  // error (not RESP) is a Failure of kind protocol naming the bad bytes.
  Result<std::optional<Reply>> next();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace preflight::resp
