// TLS started on a connection that is already open, for protocols that
// upgrade mid-stream (NATS sends INFO in the clear, then the client starts
// TLS). OpenSSL over the connection's non-blocking socket; every wait is
// wait_fd's, under the deadline and the cancel fd. libcurl does TLS for
// connections that start with it (connection.h).
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "base/deadline.h"
#include "base/result.h"

namespace preflight::net {

struct TlsOptions;

class TlsSession {
 public:
  // Handshakes over `fd`, verifying the certificate against `host` (a name
  // or an IP address) unless options say not to. Failure kinds: tls,
  // timeout (stage "tls"), interrupted.
  static Result<TlsSession> start(int fd, const TlsOptions& options, const std::string& host, const std::string& peer,
                                  Deadline deadline, const CancelToken& cancel);
  TlsSession(TlsSession&&) noexcept;
  TlsSession& operator=(TlsSession&&) noexcept;
  ~TlsSession();

  // As Connection's send_all and receive.
  Status send_all(std::string_view data, Deadline deadline, const CancelToken& cancel);
  Result<size_t> receive(char* buf, size_t capacity, Deadline deadline, const CancelToken& cancel);

  struct State;  // opaque: OpenSSL stays inside tls_session.cc

 private:
  explicit TlsSession(std::unique_ptr<State> state);
  std::unique_ptr<State> s_;
};

}  // namespace preflight::net
