#include "datagram.h"

#include "wait.h"

#include "base/target.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <fmt/format.h>

namespace preflight::net {
namespace {

Unexpected<Failure> refused(const std::string& peer) {
  return Unexpected<Failure>{
      Failure{FailureKind::connection_refused, fmt::format("nothing answers on {} (ICMP port unreachable)", peer), {}, Stage::connect, "ECONNREFUSED"}};
}

}  // namespace

Result<Datagram> Datagram::open(const std::string& address, uint16_t port) {
  sockaddr_storage storage{};
  socklen_t length = 0;
  std::string peer;
  if (auto* v4 = reinterpret_cast<sockaddr_in*>(&storage); inet_pton(AF_INET, address.c_str(), &v4->sin_addr) == 1) {
    v4->sin_family = AF_INET;
    v4->sin_port = htons(port);
    length = sizeof(sockaddr_in);
    peer = Endpoint{address, port, {}}.display();
  } else if (auto* v6 = reinterpret_cast<sockaddr_in6*>(&storage); inet_pton(AF_INET6, address.c_str(), &v6->sin6_addr) == 1) {
    v6->sin6_family = AF_INET6;
    v6->sin6_port = htons(port);
    length = sizeof(sockaddr_in6);
    peer = Endpoint{address, port, {}}.display();
  } else {
    return fail(FailureKind::invalid_config, fmt::format("\"{}\" is not an IPv4 or IPv6 address", address));
  }
  int fd = socket(storage.ss_family, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  if (fd < 0) return fail(FailureKind::protocol, fmt::format("cannot open a UDP socket: {}", std::strerror(errno)));
  if (connect(fd, reinterpret_cast<sockaddr*>(&storage), length) != 0) {
    int error = errno;
    close(fd);
    return Unexpected<Failure>{Failure{FailureKind::connection_refused, fmt::format("cannot reach {}: {}", peer, std::strerror(error)),
                                       {}, Stage::connect, strerrorname_np(error) ? strerrorname_np(error) : ""}};
  }
  return Datagram(fd, std::move(peer));
}

Datagram::Datagram(Datagram&& other) noexcept : fd_(other.fd_), peer_(std::move(other.peer_)) { other.fd_ = -1; }

Datagram::~Datagram() {
  if (fd_ >= 0) close(fd_);
}

Status Datagram::send(std::string_view bytes) {
  if (::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(bytes.size())) return {};
  if (errno == ECONNREFUSED) return refused(peer_);
  return fail(FailureKind::protocol, fmt::format("cannot send to {}: {}", peer_, std::strerror(errno)));
}

Result<std::string> Datagram::receive(Deadline deadline, const CancelToken& cancel) {
  for (;;) {
    switch (wait_fd(fd_, POLLIN, deadline, cancel)) {
      case WaitResult::cancelled: return fail(FailureKind::interrupted, "interrupted by a signal");
      case WaitResult::deadline:
        return Unexpected<Failure>{Failure{FailureKind::timeout, fmt::format("no answer from {}", peer_), {}, Stage::resolve, {}}};
      case WaitResult::ready: break;
    }
    std::string buffer(65535, '\0');
    ssize_t n = recv(fd_, buffer.data(), buffer.size(), 0);
    if (n >= 0) {
      buffer.resize(static_cast<size_t>(n));
      return buffer;
    }
    if (errno == ECONNREFUSED) return refused(peer_);
    if (errno != EAGAIN && errno != EINTR) {
      return fail(FailureKind::protocol, fmt::format("cannot receive from {}: {}", peer_, std::strerror(errno)));
    }
  }
}

}  // namespace preflight::net
