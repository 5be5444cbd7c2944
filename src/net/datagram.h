// A UDP socket connected to one server (a literal IPv4 or IPv6 address):
// send a datagram, wait for the next one under the deadline. Connected, so
// an ICMP "port unreachable" comes back as connection_refused.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "base/deadline.h"
#include "base/result.h"

namespace preflight::net {

class Datagram {
 public:
  // Failure kinds: invalid_config (not an address literal), connection_refused.
  static Result<Datagram> open(const std::string& address, uint16_t port);
  Datagram(Datagram&& other) noexcept;
  Datagram& operator=(Datagram&&) = delete;
  Datagram(const Datagram&) = delete;
  ~Datagram();

  // Failure kinds: connection_refused, protocol.
  Status send(std::string_view bytes);
  // One datagram. Failure kinds: timeout (stage "resolve": nothing came),
  // connection_refused (ICMP port unreachable), interrupted.
  Result<std::string> receive(Deadline deadline, const CancelToken& cancel);
  // "address:port", IPv6 bracketed, for messages.
  const std::string& peer() const { return peer_; }

 private:
  Datagram(int fd, std::string peer) : fd_(fd), peer_(std::move(peer)) {}
  int fd_ = -1;
  std::string peer_;
};

}  // namespace preflight::net
