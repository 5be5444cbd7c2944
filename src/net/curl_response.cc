#include "curl_response.h"

#include <algorithm>
#include <cctype>
#include <string_view>

namespace preflight::net {
namespace {

size_t on_body(char* data, size_t size, size_t count, void* user) {
  auto* r = static_cast<CurlResponse*>(user);
  size_t n = size * count;
  if (r->body.size() + n > r->max_body) {
    r->body_too_large = true;
    return 0;  // aborts the transfer with CURLE_WRITE_ERROR
  }
  r->body.append(data, n);
  return n;
}

size_t on_header(char* data, size_t size, size_t count, void* user) {
  auto* r = static_cast<CurlResponse*>(user);
  size_t n = size * count;
  std::string_view line(data, n);
  r->got_headers = true;
  if (line.starts_with("HTTP/")) r->headers.clear();  // a new response (after a redirect or 100)
  auto colon = line.find(':');
  if (colon != std::string_view::npos) {
    std::string name(line.substr(0, colon));
    std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    std::string_view value = line.substr(colon + 1);
    while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
    while (!value.empty() && (value.back() == '\r' || value.back() == '\n')) value.remove_suffix(1);
    r->headers[name] = std::string(value);
  }
  return n;
}

}  // namespace

void capture_response(CURL* easy, CurlResponse& response) {
  curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(easy, CURLOPT_WRITEDATA, &response);
  curl_easy_setopt(easy, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(easy, CURLOPT_HEADERDATA, &response);
}

}  // namespace preflight::net
