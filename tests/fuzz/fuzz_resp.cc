// RESP replies from a hostile server, fed in pieces whose sizes the input
// chooses: every reply or protocol error, never a crash, and memory bounded
// by the reader's cap. Also: any command the formatter writes reads back as
// one array reply.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "base/redact.h"
#include "probes/redis/resp.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  size_t chunk = 1 + data[0] % 64;
  std::string_view bytes(reinterpret_cast<const char*>(data) + 1, size - 1);

  const preflight::Redactor no_secrets;
  preflight::resp::Reader reader(no_secrets, 4096);
  for (size_t at = 0; at < bytes.size(); at += chunk) {
    reader.feed(bytes.substr(at, chunk));
    for (int replies = 0; replies < 10'000; ++replies) {
      auto next = reader.next();
      if (!next.ok()) return 0;  // a protocol error ends the connection
      if (!*next) break;
    }
  }

  // Round trip: the input's NUL-separated fields as a command.
  std::vector<std::string> args;
  size_t start = 0;
  for (size_t i = 0; i <= bytes.size(); ++i) {
    if (i == bytes.size() || bytes[i] == '\0') {
      args.emplace_back(bytes.substr(start, i - start));
      start = i + 1;
    }
  }
  preflight::resp::Reader back(no_secrets, 1 << 20);
  back.feed(preflight::resp::format_command(args));
  auto reply = back.next();
  if (!reply.ok() || !*reply || (*reply)->type != preflight::resp::Reply::Type::array) std::abort();
  auto after = back.next();
  if (!after.ok() || *after) std::abort();  // exactly one reply, nothing left over
  return 0;
}
