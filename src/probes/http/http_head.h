// An HTTP/1.1 response head as a WebSocket upgrade receives it, and the
// first bytes of the body that follows a refusal. No sockets: fed bytes.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace preflight::http {

struct ResponseHead {
  int status = 0;  // 0: not an HTTP/1.x status line
  std::string status_line;
  std::vector<std::pair<std::string, std::string>> headers;  // lower-case names, trimmed values

  std::string header(std::string_view name) const;
};

// Parses the bytes before "\r\n\r\n". Lines without a colon are skipped.
ResponseHead parse_head(std::string_view head);

// Whether `received` holds the body, or its first `cap` bytes: by the
// Content-Length, or a chunked body's last chunk. A body with neither ends
// when the server closes, which the caller sees.
bool body_prefix_complete(const ResponseHead& head, std::string_view received, size_t cap);

// The body's text as far as `received` holds it, at most `cap` bytes: a
// chunked body's chunk framing removed, a Content-Length honoured.
std::string body_prefix(const ResponseHead& head, std::string_view received, size_t cap);

}  // namespace preflight::http
