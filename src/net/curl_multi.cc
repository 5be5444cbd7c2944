#include "curl_multi.h"

#include "openssl_init.h"
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
  std::call_once(once, [] {
    openssl_init_once();
    curl_global_init(CURL_GLOBAL_DEFAULT);
  });
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
      return {FailureKind::dns, fmt::format("cannot resolve host name \"{}\": {}", host, detail), {}, Stage::resolve, {}};
    case CURLE_COULDNT_RESOLVE_PROXY:
      return {FailureKind::dns, fmt::format("cannot resolve the proxy: {}", detail), {}, Stage::resolve, {}};
    case CURLE_COULDNT_CONNECT:
      // No socket to connect with: this machine's limit, not the peer.
      if (os_errno == EMFILE || os_errno == ENFILE || os_errno == ENOBUFS || os_errno == ENOMEM) {
        return {FailureKind::resource,
                fmt::format("cannot open a socket to {}: {}", peer, std::strerror(static_cast<int>(os_errno))), {},
                Stage::connect, errno_name ? errno_name : "", {}, {},
                os_errno == EMFILE || os_errno == ENFILE ? Cause::out_of_file_descriptors : Cause::out_of_memory};
      }
      if (os_errno == ECONNREFUSED || os_errno == 0) {
        return {FailureKind::connection_refused, fmt::format("connection to {} refused", peer), {}, Stage::connect, "ECONNREFUSED"};
      }
      return {FailureKind::connection_refused,
              fmt::format("cannot connect to {}: {}", peer, std::strerror(static_cast<int>(os_errno))), {}, Stage::connect,
              errno_name ? errno_name : ""};
    case CURLE_OPERATION_TIMEDOUT:
      return {FailureKind::timeout, fmt::format("{} timed out: {}", peer, detail), {}, Stage::connect, {}};
    // No CA file to verify with: the one given cannot be read, or the
    // system's bundle is missing (an image without ca-certificates).
    case CURLE_SSL_CACERT_BADFILE:
      return {FailureKind::tls, fmt::format("TLS handshake with {} failed: {}", peer, detail), {}, Stage::tls,
              "CA_FILE_UNREADABLE", {}, {}, Cause::ca_file_unreadable};
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_SSL_INVALIDCERTSTATUS:
    case CURLE_SSL_CRL_BADFILE:
    case CURLE_SSL_SHUTDOWN_FAILED:
    case CURLE_SSL_ENGINE_NOTFOUND: {
      if (is_plain_text_reply(detail)) {
        Failure f{FailureKind::tls, fmt::format("TLS handshake with {} failed: the server answered in plain text ({})", peer, detail),
                  {}, Stage::tls, {}};
        f.cause = Cause::server_without_tls;
        return f;
      }
      Failure f{FailureKind::tls, fmt::format("TLS handshake with {} failed: {}", peer, detail), {}, Stage::tls,
                certificate_code(easy, code)};
      f.cause = is_certificate_required_alert(detail) ? Cause::client_certificate_required : certificate_cause(f.code);
      return f;
    }
    case CURLE_RECV_ERROR:
    case CURLE_SEND_ERROR:
    case CURLE_GOT_NOTHING:
      if (tls) {
        // TLS 1.3 finishes the client's handshake before the server checks
        // its certificate: the alert arrives with the first read.
        return {FailureKind::tls, fmt::format("TLS with {} failed: {}", peer, detail), {}, Stage::tls, {}, {}, {},
                is_certificate_required_alert(detail) ? Cause::client_certificate_required : Cause::none};
      }
      return {FailureKind::protocol, fmt::format("{} closed the connection: {}", peer, detail), {}, Stage::reply,
              errno_name ? errno_name : ""};
    case CURLE_OUT_OF_MEMORY:
      return {FailureKind::resource, fmt::format("talking to {} failed: {}", peer, detail), {}, Stage::unknown, {}, {}, {},
              Cause::out_of_memory};
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
    return {FailureKind::timeout, fmt::format("DNS lookup of \"{}\" did not finish before the deadline", host), {}, Stage::resolve, {}};
  }
  if (connected == 0) {
    return {FailureKind::timeout, fmt::format("TCP connect to {} did not complete before the deadline", peer), {}, Stage::connect, {}};
  }
  if (tls && tls_done == 0) {
    return {FailureKind::timeout, fmt::format("TLS handshake with {} did not complete before the deadline", peer), {}, Stage::tls, {}};
  }
  return {FailureKind::timeout,
          got_headers ? fmt::format("the response body from {} did not complete before the deadline", peer)
                      : fmt::format("no response from {} before the deadline", peer),
          {}, Stage::reply, {}};
}

}  // namespace preflight::net
