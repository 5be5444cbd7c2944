// A response as libcurl hands it over: the body up to a limit, and the
// last response's header fields (HTTP/2 trailers included, which libcurl
// passes to the same callback once the body is done).
#pragma once

#include <curl/curl.h>

#include <map>
#include <string>

namespace preflight::net {

struct CurlResponse {
  explicit CurlResponse(size_t limit) : max_body(limit) {}
  std::string body;
  size_t max_body;
  bool body_too_large = false;  // the transfer was aborted (CURLE_WRITE_ERROR)
  bool got_headers = false;
  std::map<std::string, std::string> headers;  // lower-case names
};

// Points `easy`'s body and header callbacks at `response`, which must
// outlive the transfer.
void capture_response(CURL* easy, CurlResponse& response);

}  // namespace preflight::net
