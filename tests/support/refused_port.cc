#include "refused_port.h"

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <string>

namespace preflight::testing {
namespace {

socklen_t loopback(int family, int port, sockaddr_storage& addr) {
  addr = {};
  if (family == AF_INET) {
    auto* v4 = reinterpret_cast<sockaddr_in*>(&addr);
    v4->sin_family = AF_INET;
    v4->sin_port = htons(static_cast<uint16_t>(port));
    v4->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    return sizeof *v4;
  }
  auto* v6 = reinterpret_cast<sockaddr_in6*>(&addr);
  v6->sin6_family = AF_INET6;
  v6->sin6_port = htons(static_cast<uint16_t>(port));
  v6->sin6_addr = in6addr_loopback;
  return sizeof *v6;
}

// A socket holding `port` (0: one the kernel picks) on `family`'s loopback,
// or -1 with errno set. No SO_REUSEADDR: with it, a server that sets it too
// could bind the port beside ours. CLOEXEC: a child started meanwhile must
// not inherit the port and keep it after we close it.
int hold(int family, int type, int port) {
  int fd = socket(family, type | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  sockaddr_storage addr;
  socklen_t len = loopback(family, port, addr);
  bool held = bind(fd, reinterpret_cast<sockaddr*>(&addr), len) == 0;
  if (held && type == SOCK_DGRAM) {
    // Connected to itself, it matches no datagram from anyone else.
    held = getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0 &&
           connect(fd, reinterpret_cast<sockaddr*>(&addr), len) == 0;
  }
  if (held) return fd;
  int error = errno;
  close(fd);
  errno = error;
  return -1;
}

int port_of(int fd) {
  sockaddr_storage addr{};
  socklen_t len = sizeof addr;
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  return ntohs(reinterpret_cast<sockaddr_in*>(&addr)->sin_port);
}

}  // namespace

RefusedPort::RefusedPort(Protocol protocol) {
  const int type = protocol == Protocol::tcp ? SOCK_STREAM : SOCK_DGRAM;
  // Bounded: the port the kernel gave on 127.0.0.1 may be taken on ::1
  // (a client's source port there, say); then we try another.
  for (int attempt = 0; attempt < 50; ++attempt) {
    int v4 = hold(AF_INET, type, 0);
    if (v4 < 0) throw std::runtime_error(std::string("RefusedPort: cannot bind 127.0.0.1: ") + std::strerror(errno));
    int port = port_of(v4);
    int v6 = hold(AF_INET6, type, port);
    int error = errno;
    // Without IPv6 nothing can listen on ::1 either: 127.0.0.1 is enough.
    if (v6 >= 0 || error == EADDRNOTAVAIL || error == EAFNOSUPPORT) {
      port_ = port;
      fds_.push_back(v4);
      if (v6 >= 0) fds_.push_back(v6);
      return;
    }
    close(v4);
    if (error != EADDRINUSE) throw std::runtime_error(std::string("RefusedPort: cannot bind ::1: ") + std::strerror(error));
  }
  throw std::runtime_error("RefusedPort: no port free on both 127.0.0.1 and ::1 in 50 tries");
}

RefusedPort::~RefusedPort() {
  for (int fd : fds_) close(fd);
}

}  // namespace preflight::testing
