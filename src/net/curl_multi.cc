#include "curl_multi.h"

#include "resolve.h"
#include "tls_codes.h"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <mutex>

#include <fmt/format.h>

namespace preflight::net {

void curl_init_once() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

DriveOutcome drive(CURLM* multi, Deadline deadline, const CancelToken& cancel, CURLcode& result) {
  for (;;) {
    int running = 0;
    curl_multi_perform(multi, &running);
    int queued = 0;
    if (CURLMsg* msg = curl_multi_info_read(multi, &queued); msg && msg->msg == CURLMSG_DONE) {
      result = msg->data.result;
      return DriveOutcome::done;
    }
    if (cancel.cancelled()) return DriveOutcome::cancelled;
    if (deadline.expired()) return DriveOutcome::deadline;
    // curl_multi_poll() takes whole milliseconds: the last fraction of one is
    // slept to the nanosecond instead, so the attempt ends at the deadline and
    // not up to 1 ms after it (curl's sockets get one last look on the way out).
    auto ms = std::chrono::floor<std::chrono::milliseconds>(deadline.remaining()).count();
    if (ms == 0) {
      cancel.sleep_until(deadline);
      continue;
    }
    curl_waitfd extra{cancel.fd(), CURL_WAIT_POLLIN, 0};
    curl_multi_poll(multi, cancel.fd() >= 0 ? &extra : nullptr, cancel.fd() >= 0 ? 1 : 0,
                    static_cast<int>(std::min<long long>(ms, 1'000'000'000)), nullptr);
  }
}

namespace {

std::string certificate_code(CURL* easy, CURLcode code) {
  long verify = 0;
  curl_easy_getinfo(easy, CURLINFO_SSL_VERIFYRESULT, &verify);
  return verify_result_code(verify, code == CURLE_PEER_FAILED_VERIFICATION);
}

}  // namespace

Failure classify_curl_error(CURLcode code, CURL* easy, const char* error_text, const std::string& host,
                            const std::string& peer, bool tls) {
  std::string detail = error_text && error_text[0] ? error_text : curl_easy_strerror(code);
  long os_errno = 0;
  curl_easy_getinfo(easy, CURLINFO_OS_ERRNO, &os_errno);
  const char* errno_name = os_errno != 0 ? strerrorname_np(static_cast<int>(os_errno)) : nullptr;
  switch (code) {
    case CURLE_COULDNT_RESOLVE_HOST:
      return {FailureKind::dns, fmt::format("cannot resolve host name \"{}\": {}", host, detail), {}, "resolve", {}};
    case CURLE_COULDNT_RESOLVE_PROXY:
      return {FailureKind::dns, fmt::format("cannot resolve the proxy: {}", detail), {}, "resolve", {}};
    case CURLE_COULDNT_CONNECT:
      if (os_errno == ECONNREFUSED || os_errno == 0) {
        return {FailureKind::connection_refused, fmt::format("connection to {} refused", peer), {}, "connect", "ECONNREFUSED"};
      }
      return {FailureKind::connection_refused,
              fmt::format("cannot connect to {}: {}", peer, std::strerror(static_cast<int>(os_errno))), {}, "connect",
              errno_name ? errno_name : ""};
    case CURLE_OPERATION_TIMEDOUT:
      return {FailureKind::timeout, fmt::format("{} timed out: {}", peer, detail), {}, "connect", {}};
    // No CA file to verify with: the one given cannot be read, or the
    // system's bundle is missing (an image without ca-certificates).
    case CURLE_SSL_CACERT_BADFILE:
      return {FailureKind::tls, fmt::format("TLS handshake with {} failed: {}", peer, detail), {}, "tls",
              "CA_FILE_UNREADABLE"};
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_SSL_INVALIDCERTSTATUS:
    case CURLE_SSL_CRL_BADFILE:
    case CURLE_SSL_SHUTDOWN_FAILED:
    case CURLE_SSL_ENGINE_NOTFOUND:
      return {FailureKind::tls, fmt::format("TLS handshake with {} failed: {}", peer, detail), {}, "tls",
              certificate_code(easy, code)};
    case CURLE_RECV_ERROR:
    case CURLE_SEND_ERROR:
    case CURLE_GOT_NOTHING:
      if (tls) return {FailureKind::tls, fmt::format("TLS with {} failed: {}", peer, detail), {}, "tls", {}};
      return {FailureKind::protocol, fmt::format("{} closed the connection: {}", peer, detail), {}, "reply",
              errno_name ? errno_name : ""};
    default:
      return {FailureKind::protocol, fmt::format("talking to {} failed: {}", peer, detail), {}};
  }
}

Failure stalled_transfer(CURL* easy, const std::string& host, const std::string& peer, bool tls, bool got_headers) {
  curl_off_t looked_up = 0, connected = 0, tls_done = 0;
  curl_easy_getinfo(easy, CURLINFO_NAMELOOKUP_TIME_T, &looked_up);
  curl_easy_getinfo(easy, CURLINFO_CONNECT_TIME_T, &connected);
  curl_easy_getinfo(easy, CURLINFO_APPCONNECT_TIME_T, &tls_done);
  if (connected == 0 && looked_up == 0 && !is_ip_literal(host)) {
    return {FailureKind::timeout, fmt::format("DNS lookup of \"{}\" did not finish before the deadline", host), {}, "resolve", {}};
  }
  if (connected == 0) {
    return {FailureKind::timeout, fmt::format("TCP connect to {} did not complete before the deadline", peer), {}, "connect", {}};
  }
  if (tls && tls_done == 0) {
    return {FailureKind::timeout, fmt::format("TLS handshake with {} did not complete before the deadline", peer), {}, "tls", {}};
  }
  return {FailureKind::timeout,
          got_headers ? fmt::format("the response body from {} did not complete before the deadline", peer)
                      : fmt::format("no response from {} before the deadline", peer),
          {}, "reply", {}};
}

}  // namespace preflight::net
