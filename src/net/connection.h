// The one TCP/TLS transport: libcurl opens the connection (threaded DNS,
// happy eyeballs, TLS with SNI and verification) in connect-only mode through
// its multi interface, so that every wait also watches the cancel fd; bytes
// then move with curl_easy_send/recv, polled against the deadline.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/deadline.h"
#include "base/result.h"
#include "base/target.h"

namespace preflight::net {

struct TlsOptions {
  bool enabled = false;
  std::string ca_file;               // empty: the system store
  std::vector<std::string> added_ca;  // added to it (see ca_bundle.h)
  bool insecure_skip_verify = false;
};

class Connection {
 public:
  // Connects to host:port (host may be a name, IPv4 or IPv6 literal).
  // Failure kinds: dns, connection_refused, timeout, tls, interrupted.
  static Result<Connection> open(const std::string& host, uint16_t port, const TlsOptions& tls,
                                 Deadline deadline, const CancelToken& cancel);
  // The same for a TCP endpoint or a Unix socket.
  static Result<Connection> open(const Endpoint& endpoint, const TlsOptions& tls, Deadline deadline,
                                 const CancelToken& cancel);

  Connection(Connection&&) noexcept;
  Connection& operator=(Connection&&) noexcept;
  ~Connection();

  // Failure kinds: timeout, protocol (reset, closed), interrupted.
  Status send_all(std::string_view data, Deadline deadline, const CancelToken& cancel);
  // Waits for at least one byte and returns how many were read into buf.
  // Failure kinds: timeout ("no reply"), protocol (closed, reset), interrupted.
  Result<size_t> receive(char* buf, size_t capacity, Deadline deadline, const CancelToken& cancel);

  // Starts TLS on the open connection, for a protocol that upgrades after
  // a cleartext start (NATS); sends and receives go through it from then
  // on. `host` is the name (or address) the certificate must carry.
  // Failure kinds: tls, timeout, interrupted.
  Status start_tls(const TlsOptions& tls, const std::string& host, Deadline deadline, const CancelToken& cancel);

  // "host:port" as dialled, for messages.
  const std::string& peer() const;

  struct Handles;  // opaque: libcurl stays inside connection.cc

 private:
  explicit Connection(std::unique_ptr<Handles> handles);
  std::unique_ptr<Handles> h_;
};

}  // namespace preflight::net
