#include "connection.h"

#include "accepts.h"
#include "ca_bundle.h"
#include "certificate_watch.h"
#include "curl_multi.h"
#include "socket_facts.h"
#include "tls_session.h"
#include "wait.h"

#include <poll.h>
#include <sys/socket.h>


#include <fmt/format.h>

namespace preflight::net {
namespace {

// Called by libcurl once a socket exists, i.e. DNS is done and the TCP
// connect starts: lets a timeout say which stage stalled.
int remember_socket(void* slot, curl_socket_t fd, curlsocktype) {
  *static_cast<curl_socket_t*>(slot) = fd;
  return CURL_SOCKOPT_OK;
}

// True once the TCP handshake of `fd` completed (the kernel knows the peer).
bool tcp_connected(curl_socket_t fd) {
  sockaddr_storage peer{};
  socklen_t len = sizeof peer;
  return fd != CURL_SOCKET_BAD && getpeername(fd, reinterpret_cast<sockaddr*>(&peer), &len) == 0;
}

}  // namespace

struct Connection::Handles {
  MultiHandle multi;
  EasyHandle easy;
  bool attached = false;
  curl_socket_t dialling = CURL_SOCKET_BAD;  // written by remember_socket
  curl_socket_t socket = CURL_SOCKET_BAD;
  std::string peer;
  char error_text[CURL_ERROR_SIZE] = {};
  std::optional<TlsSession> tls;  // set by start_tls

  ~Handles() {
    // The easy handle must stay in the multi handle while the connection is
    // used (CURLOPT_CONNECT_ONLY with the multi interface).
    if (attached) curl_multi_remove_handle(multi.get(), easy.get());
  }
};

namespace {

Failure stalled_open(const Connection::Handles& h, const std::string& host, bool tls) {
  if (h.dialling == CURL_SOCKET_BAD) {
    return {FailureKind::timeout, fmt::format("DNS lookup of \"{}\" did not finish before the deadline", host), {}, Stage::resolve, {}};
  }
  if (!tcp_connected(h.dialling)) {
    return {FailureKind::timeout, fmt::format("TCP connect to {} did not complete before the deadline", h.peer), {}, Stage::connect, {}};
  }
  if (tls) {
    return {FailureKind::timeout,
            fmt::format("TLS handshake with {} did not complete before the deadline", h.peer), {}, Stage::tls, {}};
  }
  return {FailureKind::timeout, fmt::format("connect to {} timed out", h.peer), {}, Stage::connect, {}};
}

Failure interrupted() { return {FailureKind::interrupted, "interrupted by a signal", {}}; }

}  // namespace

Result<Connection> Connection::open(const std::string& host, uint16_t port, const TlsOptions& tls,
                                    Deadline deadline, const CancelToken& cancel) {
  return open(Endpoint{host, port, {}}, tls, deadline, cancel);
}

Result<Connection> Connection::open(const Endpoint& endpoint, const TlsOptions& tls, Deadline deadline,
                                    const CancelToken& cancel) {
  curl_init_once();
  auto h = std::make_unique<Handles>();
  h->easy.reset(curl_easy_init());
  h->multi.reset(curl_multi_init());
  if (!h->easy || !h->multi) return fail(FailureKind::protocol, "libcurl could not allocate a handle");
  const std::string& host = endpoint.is_socket() ? endpoint.socket_path : endpoint.host;
  h->peer = endpoint.is_socket() ? endpoint.display() : fmt::format("{}:{}", host_in_url(host), endpoint.port);

  CURL* e = h->easy.get();
  std::string url = endpoint.is_socket() ? fmt::format("{}://localhost/", tls.enabled ? "https" : "http")
                                         : fmt::format("{}://{}/", tls.enabled ? "https" : "http", h->peer);
  curl_easy_setopt(e, CURLOPT_URL, url.c_str());
  if (endpoint.is_socket()) curl_easy_setopt(e, CURLOPT_UNIX_SOCKET_PATH, endpoint.socket_path.c_str());
  curl_easy_setopt(e, CURLOPT_CONNECT_ONLY, 1L);
  curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
  // A lookup still running at the deadline is left to finish on its own
  // thread: without this, removing the handle joins libcurl's resolver
  // thread and waits out getaddrinfo (5 s per lost DNS query).
  curl_easy_setopt(e, CURLOPT_QUICK_EXIT, 1L);
  curl_easy_setopt(e, CURLOPT_PROXY, "");  // a raw protocol never goes through an HTTP proxy
  curl_easy_setopt(e, CURLOPT_ERRORBUFFER, h->error_text);
  curl_easy_setopt(e, CURLOPT_SOCKOPTFUNCTION, remember_socket);
  curl_easy_setopt(e, CURLOPT_SOCKOPTDATA, &h->dialling);
  // Our deadline governs; curl's own limit is only a backstop a little later.
  auto backstop_ms = static_cast<long>(deadline.remaining_ms_for_poll()) + 1000;
  curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, backstop_ms);
  if (tls.enabled) {
    curl_easy_setopt(e, CURLOPT_SSL_ENABLE_ALPN, 0L);
    auto ca = library_ca_file(tls.ca_file, tls.added_ca);
    if (!ca.ok()) return Unexpected<Failure>{ca.error()};
    if (!ca->empty()) curl_easy_setopt(e, CURLOPT_CAINFO, ca->c_str());
    if (tls.insecure_skip_verify) {
      curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 0L);
      curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 0L);
    }
  }
  CertificateWatch watch;
  if (tls.enabled) watch.attach(e);
  if (curl_multi_add_handle(h->multi.get(), e) != CURLM_OK) {
    return fail(FailureKind::protocol, "libcurl could not start the connection");
  }
  h->attached = true;

  CURLcode result = CURLE_OK;
  switch (drive(h->multi.get(), deadline, cancel, result)) {
    case DriveOutcome::cancelled: return Unexpected<Failure>{interrupted()};
    case DriveOutcome::deadline: return Unexpected<Failure>{stalled_open(*h, host, tls.enabled)};
    case DriveOutcome::done: break;
  }
  if (result != CURLE_OK) {
    return Unexpected<Failure>{
        endpoint.is_socket()
            ? with_socket_facts(watch.with_facts(classify_curl_error(result, e, h->error_text, host, h->peer, tls.enabled)),
                                endpoint.socket_path)
            : with_other_loopback(watch.with_facts(classify_curl_error(result, e, h->error_text, host, h->peer, tls.enabled)), host,
                                  endpoint.port, deadline, cancel)};
  }
  curl_easy_getinfo(e, CURLINFO_ACTIVESOCKET, &h->socket);
  if (h->socket == CURL_SOCKET_BAD) return fail(FailureKind::protocol, "libcurl returned no socket");
  return Connection(std::move(h));
}

Connection::Connection(std::unique_ptr<Handles> handles) : h_(std::move(handles)) {}
Connection::Connection(Connection&&) noexcept = default;
Connection& Connection::operator=(Connection&&) noexcept = default;
Connection::~Connection() = default;

const std::string& Connection::peer() const { return h_->peer; }

Status Connection::start_tls(const TlsOptions& tls, const std::string& host, Deadline deadline, const CancelToken& cancel) {
  auto session = TlsSession::start(static_cast<int>(h_->socket), tls, host, h_->peer, deadline, cancel);
  if (!session.ok()) return Unexpected<Failure>{session.error()};
  h_->tls.emplace(std::move(*session));
  return {};
}

Status Connection::send_all(std::string_view data, Deadline deadline, const CancelToken& cancel) {
  if (h_->tls) return h_->tls->send_all(data, deadline, cancel);
  while (!data.empty()) {
    size_t sent = 0;
    CURLcode rc = curl_easy_send(h_->easy.get(), data.data(), data.size(), &sent);
    if (rc == CURLE_OK) {
      data.remove_prefix(sent);
      continue;
    }
    if (rc != CURLE_AGAIN) {
      return Unexpected<Failure>{at_stage({FailureKind::protocol, fmt::format("sending to {} failed: {}", h_->peer, curl_easy_strerror(rc))}, Stage::send)};
    }
    auto w = wait_fd(h_->socket, POLLOUT, deadline, cancel);
    if (w == WaitResult::cancelled) return Unexpected<Failure>{interrupted()};
    if (w == WaitResult::deadline) return Unexpected<Failure>{at_stage({FailureKind::timeout, fmt::format("{} stopped accepting data", h_->peer)}, Stage::send)};
  }
  return {};
}

Result<size_t> Connection::receive(char* buf, size_t capacity, Deadline deadline, const CancelToken& cancel) {
  if (h_->tls) return h_->tls->receive(buf, capacity, deadline, cancel);
  for (;;) {
    size_t got = 0;
    CURLcode rc = curl_easy_recv(h_->easy.get(), buf, capacity, &got);
    if (rc == CURLE_OK) {
      if (got == 0) return Unexpected<Failure>{at_stage({FailureKind::protocol, fmt::format("{} closed the connection", h_->peer)}, Stage::reply)};
      return got;
    }
    if (rc != CURLE_AGAIN) {
      return Unexpected<Failure>{at_stage({FailureKind::protocol, fmt::format("reading from {} failed: {}", h_->peer, curl_easy_strerror(rc))}, Stage::reply)};
    }
    auto w = wait_fd(h_->socket, POLLIN, deadline, cancel);
    if (w == WaitResult::cancelled) return Unexpected<Failure>{interrupted()};
    if (w == WaitResult::deadline) return Unexpected<Failure>{at_stage({FailureKind::timeout, fmt::format("no reply from {} before the deadline", h_->peer)}, Stage::reply)};
  }
}

}  // namespace preflight::net
