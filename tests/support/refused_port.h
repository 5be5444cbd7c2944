// A loopback port that refuses every connection for the life of the object.
//
// free_port() closes its socket, so under parallel ctest another test's
// server can take the port before a "nothing listens there" test dials it.
// RefusedPort keeps the port bound instead, which no other socket can then
// bind, while answering nobody:
//   tcp: bound, never listen()ed: a SYN is answered with RST (ECONNREFUSED).
//   udp: bound and connect()ed to itself: a datagram from any other socket
//        matches no socket, so the kernel answers ICMP port unreachable
//        (ECONNREFUSED) as if nothing were bound. A UDP socket that is only
//        bound would take the datagram in silently: a timeout, not a refusal.
// The port is held on 127.0.0.1 and on ::1 alike: a refusal on one loopback
// makes preflight dial the other (net::with_other_loopback), and a server
// there would turn "nothing listens" into "bound to IPv4 only".
#pragma once

#include <vector>

namespace preflight::testing {

class RefusedPort {
 public:
  enum class Protocol { tcp, udp };

  explicit RefusedPort(Protocol protocol = Protocol::tcp);
  ~RefusedPort();
  RefusedPort(const RefusedPort&) = delete;
  RefusedPort& operator=(const RefusedPort&) = delete;

  int port() const { return port_; }

 private:
  int port_ = 0;
  std::vector<int> fds_;
};

}  // namespace preflight::testing
