#include "probes/http/http_head.h"

#include <algorithm>
#include <charconv>
#include <cstdlib>

#include "base/text.h"

namespace preflight::http {
namespace {

std::optional<size_t> content_length(const ResponseHead& head) {
  std::string value = head.header("content-length");
  size_t n = 0;
  auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
  if (value.empty() || ec != std::errc() || end != value.data() + value.size()) return std::nullopt;
  return n;
}

bool chunked(const ResponseHead& head) { return to_lower(head.header("transfer-encoding")).find("chunked") != std::string::npos; }

// The data of the chunks that `body` holds whole or in part, up to `cap`.
std::string dechunk(std::string_view body, size_t cap) {
  std::string out;
  while (out.size() < cap) {
    size_t eol = body.find("\r\n");
    if (eol == std::string_view::npos) break;
    size_t size = 0;
    std::string_view line = body.substr(0, eol);
    auto [end, ec] = std::from_chars(line.data(), line.data() + line.size(), size, 16);
    if (ec != std::errc() || end == line.data() || size == 0) break;  // a chunk extension (";...") ends at `end` too
    body.remove_prefix(eol + 2);
    std::string_view data = body.substr(0, std::min({size, body.size(), cap - out.size()}));
    out.append(data);
    if (size > body.size() || body.size() - size < 2) break;  // (size + 2 could wrap: a size of 16 f's)
    body.remove_prefix(size + 2);
  }
  return out;
}

}  // namespace

std::string ResponseHead::header(std::string_view name) const {
  for (const auto& [n, v] : headers) {
    if (n == name) return v;
  }
  return {};
}

ResponseHead parse_head(std::string_view head) {
  ResponseHead out;
  size_t eol = head.find("\r\n");
  out.status_line = std::string(head.substr(0, eol));
  if (out.status_line.starts_with("HTTP/1.") && out.status_line.size() >= 12) {
    out.status = std::atoi(out.status_line.c_str() + 9);
  }
  while (eol != std::string_view::npos) {
    size_t start = eol + 2;
    eol = head.find("\r\n", start);
    std::string_view line = head.substr(start, eol == std::string_view::npos ? std::string_view::npos : eol - start);
    auto colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    std::string_view value = line.substr(colon + 1);
    while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
    while (!value.empty() && value.back() == ' ') value.remove_suffix(1);
    out.headers.emplace_back(to_lower(std::string(line.substr(0, colon))), std::string(value));
  }
  return out;
}

bool body_prefix_complete(const ResponseHead& head, std::string_view received, size_t cap) {
  if (chunked(head)) {
    return received.starts_with("0\r\n") || received.find("\r\n0\r\n") != std::string_view::npos ||
           dechunk(received, cap).size() >= cap;
  }
  // Without a length the body ends when the server closes.
  return received.size() >= std::min(content_length(head).value_or(cap), cap);
}

std::string body_prefix(const ResponseHead& head, std::string_view received, size_t cap) {
  if (chunked(head)) return dechunk(received, cap);
  size_t n = std::min(received.size(), cap);
  if (auto length = content_length(head)) n = std::min(n, *length);
  return std::string(received.substr(0, n));
}

}  // namespace preflight::http
