#include "curl_response.h"

#include "ca_bundle.h"
#include "curl_multi.h"

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

Status set_tls_files(CURL* easy, const std::string& ca_file, const std::vector<std::string>& added_ca,
                     const std::string& client_cert, const std::string& client_key, bool insecure_skip_verify) {
  auto ca = library_ca_file(ca_file, added_ca);
  if (!ca.ok()) return Unexpected<Failure>{ca.error()};
  if (!ca->empty()) curl_easy_setopt(easy, CURLOPT_CAINFO, ca->c_str());
  if (!client_cert.empty()) curl_easy_setopt(easy, CURLOPT_SSLCERT, client_cert.c_str());
  if (!client_key.empty()) curl_easy_setopt(easy, CURLOPT_SSLKEY, client_key.c_str());
  if (insecure_skip_verify) {
    curl_easy_setopt(easy, CURLOPT_SSL_VERIFYPEER, 0L);
    curl_easy_setopt(easy, CURLOPT_SSL_VERIFYHOST, 0L);
  }
  return {};
}

Result<CURLcode> run_transfer(CURL* easy, const CurlResponse& response, Deadline deadline, const CancelToken& cancel,
                              const std::string& host, const std::string& peer, bool tls) {
  MultiHandle multi(curl_multi_init());
  if (!multi) return fail(FailureKind::protocol, "libcurl could not allocate a handle");
  if (curl_multi_add_handle(multi.get(), easy) != CURLM_OK) return fail(FailureKind::protocol, "libcurl could not start");
  CURLcode result = CURLE_OK;
  auto outcome = drive(multi.get(), deadline, cancel, result);
  curl_multi_remove_handle(multi.get(), easy);
  switch (outcome) {
    case DriveOutcome::cancelled: return fail(FailureKind::interrupted, "interrupted by a signal");
    case DriveOutcome::deadline: return Unexpected<Failure>{stalled_transfer(easy, host, peer, tls, response.got_headers)};
    case DriveOutcome::done: break;
  }
  return result;
}

}  // namespace preflight::net
