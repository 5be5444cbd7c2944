// A hostile server's answer to a WebSocket upgrade: any bytes parse as a
// head without crashing, and the reason shown from the body never exceeds
// its cap and is never longer than the bytes received.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "probes/http/http_head.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  size_t end = bytes.find("\r\n\r\n");
  std::string_view head_bytes = bytes.substr(0, end);
  std::string_view body = end == std::string_view::npos ? std::string_view() : bytes.substr(end + 4);
  auto head = preflight::http::parse_head(head_bytes);
  if (head.status != 0 && !head.status_line.starts_with("HTTP/1.")) std::abort();
  for (size_t cap : {size_t{0}, size_t{7}, size_t{200}}) {
    std::string shown = preflight::http::body_prefix(head, body, cap);
    if (shown.size() > cap || shown.size() > body.size()) std::abort();
    static_cast<void>(preflight::http::body_prefix_complete(head, body, cap));
  }
  return 0;
}
