// A response as libcurl hands it over: the body up to a limit, and the
// last response's header fields (HTTP/2 trailers included, which libcurl
// passes to the same callback once the body is done).
#pragma once

#include <curl/curl.h>

#include <map>
#include <string>
#include <vector>

#include "base/deadline.h"
#include "base/result.h"

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

// The TLS settings of a transfer: CA file and the CAs added to it
// (ca_bundle.h), client certificate and key, verification off; empty
// strings leave libcurl's defaults. Failure: an added CA cannot be read.
Status set_tls_files(CURL* easy, const std::string& ca_file, const std::vector<std::string>& added_ca,
                     const std::string& client_cert, const std::string& client_key, bool insecure_skip_verify);

// Runs the configured `easy` on a multi handle of its own until it ends
// (its CURLcode), the deadline passes (a timeout naming the stage it
// stalled in) or `cancel` fires (interrupted). `host` and `peer` name the
// server in messages.
Result<CURLcode> run_transfer(CURL* easy, const CurlResponse& response, Deadline deadline, const CancelToken& cancel,
                              const std::string& host, const std::string& peer, bool tls);

}  // namespace preflight::net
