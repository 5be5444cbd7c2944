#include "tls_session.h"

#include "ca_bundle.h"
#include "certificate_watch.h"
#include "connection.h"
#include "openssl_init.h"
#include "resolve.h"
#include "tls_codes.h"
#include "wait.h"

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <poll.h>

#include <fmt/format.h>

namespace preflight::net {

struct TlsSession::State {
  SSL_CTX* ctx = nullptr;
  SSL* ssl = nullptr;
  int fd = -1;
  std::string peer;
  ~State() {
    if (ssl) SSL_free(ssl);
    if (ctx) SSL_CTX_free(ctx);
  }
};

namespace {

std::string openssl_error() {
  unsigned long e = ERR_get_error();
  if (e == 0) return "the connection closed";
  char text[256];
  ERR_error_string_n(e, text, sizeof text);
  return text;
}

// Waits for what OpenSSL asked for after `rc`; nullopt to go on, or why not.
std::optional<Failure> wait_for(SSL* ssl, int rc, int fd, const std::string& peer, Stage stage, Deadline deadline,
                                const CancelToken& cancel) {
  int error = SSL_get_error(ssl, rc);
  short events = error == SSL_ERROR_WANT_READ ? POLLIN : error == SSL_ERROR_WANT_WRITE ? POLLOUT : 0;
  if (events == 0) return Failure{FailureKind::protocol, fmt::format("TLS with {} failed: {}", peer, openssl_error()), {}, stage, {}};
  switch (wait_fd(fd, events, deadline, cancel)) {
    case WaitResult::cancelled: return Failure{FailureKind::interrupted, "interrupted by a signal", {}};
    case WaitResult::deadline: return Failure{FailureKind::timeout, "", {}, stage, {}};
    case WaitResult::ready: return std::nullopt;
  }
  return std::nullopt;
}

}  // namespace

Result<TlsSession> TlsSession::start(int fd, const TlsOptions& options, const std::string& host, const std::string& peer,
                                     Deadline deadline, const CancelToken& cancel) {
  auto s = std::make_unique<State>();
  s->fd = fd;
  s->peer = peer;
  openssl_init_once();
  s->ctx = SSL_CTX_new(TLS_client_method());
  if (!s->ctx) return fail(FailureKind::tls, fmt::format("OpenSSL could not start TLS: {}", openssl_error()));
  if (options.insecure_skip_verify) {
    SSL_CTX_set_verify(s->ctx, SSL_VERIFY_NONE, nullptr);
  } else {
    SSL_CTX_set_verify(s->ctx, SSL_VERIFY_PEER, nullptr);
    auto ca = library_ca_file(options.ca_file, options.added_ca);
    if (!ca.ok()) return Unexpected<Failure>{ca.error()};
    int loaded = ca->empty() ? SSL_CTX_set_default_verify_paths(s->ctx) : SSL_CTX_load_verify_locations(s->ctx, ca->c_str(), nullptr);
    if (loaded != 1) {
      Failure f{FailureKind::tls, fmt::format("cannot read the CA file {}: {}", options.ca_file, openssl_error()), {},
                Stage::tls, "CA_FILE_UNREADABLE"};
      f.cause = Cause::ca_file_unreadable;
      return Unexpected<Failure>{std::move(f)};
    }
  }
  CertificateWatch watch;
  CertificateWatch::attach(s->ctx);
  s->ssl = SSL_new(s->ctx);
  if (!s->ssl || SSL_set_fd(s->ssl, fd) != 1) return fail(FailureKind::tls, fmt::format("OpenSSL could not start TLS: {}", openssl_error()));
  if (is_ip_literal(host)) {
    X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(s->ssl), host.c_str());
  } else {
    SSL_set_tlsext_host_name(s->ssl, host.c_str());  // SNI
    SSL_set1_host(s->ssl, host.c_str());
  }
  for (;;) {
    int rc = SSL_connect(s->ssl);
    if (rc == 1) break;
    long verify = SSL_get_verify_result(s->ssl);
    if (SSL_get_error(s->ssl, rc) == SSL_ERROR_SSL && verify != X509_V_OK) {
      Failure f{FailureKind::tls,
                fmt::format("TLS handshake with {} failed: the certificate is not trusted: {}", peer,
                            X509_verify_cert_error_string(verify)),
                {}, Stage::tls, verify_result_code(verify, false)};
      f.cause = certificate_cause(f.code);
      return Unexpected<Failure>{watch.with_facts(std::move(f))};
    }
    if (auto why = wait_for(s->ssl, rc, fd, peer, Stage::tls, deadline, cancel)) {
      if (why->kind == FailureKind::timeout) why->message = fmt::format("TLS handshake with {} did not complete before the deadline", peer);
      if (why->kind == FailureKind::protocol) why->kind = FailureKind::tls;
      if (is_certificate_required_alert(why->message)) why->cause = Cause::client_certificate_required;
      return Unexpected<Failure>{*why};
    }
  }
  return TlsSession(std::move(s));
}

TlsSession::TlsSession(std::unique_ptr<State> state) : s_(std::move(state)) {}
TlsSession::TlsSession(TlsSession&&) noexcept = default;
TlsSession& TlsSession::operator=(TlsSession&&) noexcept = default;
TlsSession::~TlsSession() = default;

Status TlsSession::send_all(std::string_view data, Deadline deadline, const CancelToken& cancel) {
  while (!data.empty()) {
    int n = SSL_write(s_->ssl, data.data(), static_cast<int>(std::min<size_t>(data.size(), 1 << 30)));
    if (n > 0) {
      data.remove_prefix(static_cast<size_t>(n));
      continue;
    }
    if (auto why = wait_for(s_->ssl, n, s_->fd, s_->peer, Stage::send, deadline, cancel)) {
      if (why->kind == FailureKind::timeout) why->message = fmt::format("{} stopped accepting data", s_->peer);
      return Unexpected<Failure>{*why};
    }
  }
  return {};
}

Result<size_t> TlsSession::receive(char* buf, size_t capacity, Deadline deadline, const CancelToken& cancel) {
  for (;;) {
    int n = SSL_read(s_->ssl, buf, static_cast<int>(std::min<size_t>(capacity, 1 << 30)));
    if (n > 0) return static_cast<size_t>(n);
    if (SSL_get_error(s_->ssl, n) == SSL_ERROR_ZERO_RETURN) {
      return Unexpected<Failure>{at_stage({FailureKind::protocol, fmt::format("{} closed the connection", s_->peer)}, Stage::reply)};
    }
    if (auto why = wait_for(s_->ssl, n, s_->fd, s_->peer, Stage::reply, deadline, cancel)) {
      if (why->kind == FailureKind::timeout) why->message = fmt::format("no reply from {} before the deadline", s_->peer);
      return Unexpected<Failure>{*why};
    }
  }
}

}  // namespace preflight::net
