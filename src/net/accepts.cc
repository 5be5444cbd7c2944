#include "accepts.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <poll.h>

#include <cerrno>

#include <fmt/format.h>

#include "wait.h"

namespace preflight::net {

namespace {

// True when a TCP connection to the numeric address `ip` (IPv4 or IPv6)
// completes before the deadline. The connection is closed at once.
bool accepts_connections(const std::string& ip, uint16_t port, Deadline deadline, const CancelToken& cancel) {
  sockaddr_storage addr{};
  socklen_t len = 0;
  auto* v4 = reinterpret_cast<sockaddr_in*>(&addr);
  auto* v6 = reinterpret_cast<sockaddr_in6*>(&addr);
  if (inet_pton(AF_INET, ip.c_str(), &v4->sin_addr) == 1) {
    v4->sin_family = AF_INET;
    v4->sin_port = htons(port);
    len = sizeof(*v4);
  } else if (inet_pton(AF_INET6, ip.c_str(), &v6->sin6_addr) == 1) {
    v6->sin6_family = AF_INET6;
    v6->sin6_port = htons(port);
    len = sizeof(*v6);
  } else {
    return false;
  }
  int fd = socket(addr.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return false;
  bool ok = connect(fd, reinterpret_cast<sockaddr*>(&addr), len) == 0;
  if (!ok && errno == EINPROGRESS && wait_fd(fd, POLLOUT, deadline, cancel) == WaitResult::ready) {
    int err = 0;
    socklen_t err_len = sizeof(err);
    ok = getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &err_len) == 0 && err == 0;
  }
  close(fd);
  return ok;
}

}  // namespace

Failure with_other_loopback(Failure refused, const std::string& dialled_ip, uint16_t port, Deadline deadline,
                            const CancelToken& cancel) {
  if (refused.kind != FailureKind::connection_refused || refused.code != "ECONNREFUSED" || port == 0) return refused;
  std::string other;
  if (dialled_ip == "::1") other = "127.0.0.1";
  if (dialled_ip == "127.0.0.1") other = "::1";
  if (other.empty()) return refused;
  if (accepts_connections(other, port, Deadline::after(std::chrono::milliseconds{200}).earlier(deadline), cancel)) {
    refused.accepted_instead = other == "::1" ? fmt::format("[::1]:{}", port) : fmt::format("{}:{}", other, port);
  }
  return refused;
}

}  // namespace preflight::net
