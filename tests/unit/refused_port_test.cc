// RefusedPort: refused to whoever dials it, and taken from whoever would
// bind it. A closed socket would pass the first and fail the second; a
// listening one (or a merely bound UDP one) would fail the first.
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <iterator>

#include <gtest/gtest.h>

#include "refused_port.h"

namespace preflight::testing {
namespace {

struct Loopback {
  int family;
  const char* name;
};
constexpr Loopback kV4{AF_INET, "127.0.0.1"};
constexpr Loopback kV6{AF_INET6, "::1"};

socklen_t address(const Loopback& where, int port, sockaddr_storage& addr) {
  addr = {};
  if (where.family == AF_INET) {
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

// A socket, closed by the destructor.
struct Socket {
  Socket(const Loopback& where, int type) : fd(socket(where.family, type | SOCK_CLOEXEC, 0)) {}
  ~Socket() {
    if (fd >= 0) close(fd);
  }
  Socket(const Socket&) = delete;
  Socket& operator=(const Socket&) = delete;
  int fd;
};

bool has_ipv6_loopback() {
  Socket s(kV6, SOCK_STREAM);
  sockaddr_storage addr;
  socklen_t len = address(kV6, 0, addr);
  return s.fd >= 0 && bind(s.fd, reinterpret_cast<sockaddr*>(&addr), len) == 0;
}

// errno of bind(), 0 on success; `reuse` sets SO_REUSEADDR first, as most
// servers do.
int bind_error(const Loopback& where, int type, int port, bool reuse) {
  Socket s(where, type);
  int one = 1;
  if (reuse) setsockopt(s.fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_storage addr;
  socklen_t len = address(where, port, addr);
  return bind(s.fd, reinterpret_cast<sockaddr*>(&addr), len) == 0 ? 0 : errno;
}

// errno of a blocking TCP connect, 0 when it connected.
int connect_error(const Loopback& where, int port) {
  Socket s(where, SOCK_STREAM);
  sockaddr_storage addr;
  socklen_t len = address(where, port, addr);
  return connect(s.fd, reinterpret_cast<sockaddr*>(&addr), len) == 0 ? 0 : errno;
}

// What a connected UDP socket learns after sending one datagram: the
// ICMP error as errno (ECONNREFUSED for port unreachable), or 0 when
// nothing came back within a second.
int datagram_error(const Loopback& where, int port) {
  Socket s(where, SOCK_DGRAM);
  sockaddr_storage addr;
  socklen_t len = address(where, port, addr);
  if (connect(s.fd, reinterpret_cast<sockaddr*>(&addr), len) != 0) return errno;
  if (send(s.fd, "?", 1, 0) != 1) return errno;
  pollfd p{s.fd, POLLIN, 0};
  if (poll(&p, 1, 1000) <= 0) return 0;
  char byte;
  return recv(s.fd, &byte, 1, 0) < 0 ? errno : 0;
}

TEST(RefusedPort, TcpIsRefusedOnBothLoopbacks) {
  RefusedPort held;
  EXPECT_EQ(connect_error(kV4, held.port()), ECONNREFUSED) << std::strerror(connect_error(kV4, held.port()));
  if (!has_ipv6_loopback()) GTEST_SKIP() << "no ::1 here";
  EXPECT_EQ(connect_error(kV6, held.port()), ECONNREFUSED);
}

TEST(RefusedPort, TcpCannotBeBoundByAnotherSocketEvenWithReuseAddr) {
  RefusedPort held;
  EXPECT_EQ(bind_error(kV4, SOCK_STREAM, held.port(), false), EADDRINUSE);
  EXPECT_EQ(bind_error(kV4, SOCK_STREAM, held.port(), true), EADDRINUSE);
  if (!has_ipv6_loopback()) GTEST_SKIP() << "no ::1 here";
  EXPECT_EQ(bind_error(kV6, SOCK_STREAM, held.port(), true), EADDRINUSE);
}

TEST(RefusedPort, UdpIsRefusedOnBothLoopbacks) {
  RefusedPort held(RefusedPort::Protocol::udp);
  EXPECT_EQ(datagram_error(kV4, held.port()), ECONNREFUSED) << "an ICMP port unreachable, not silence";
  if (!has_ipv6_loopback()) GTEST_SKIP() << "no ::1 here";
  EXPECT_EQ(datagram_error(kV6, held.port()), ECONNREFUSED);
}

TEST(RefusedPort, UdpCannotBeBoundByAnotherSocketEvenWithReuseAddr) {
  RefusedPort held(RefusedPort::Protocol::udp);
  EXPECT_EQ(bind_error(kV4, SOCK_DGRAM, held.port(), false), EADDRINUSE);
  EXPECT_EQ(bind_error(kV4, SOCK_DGRAM, held.port(), true), EADDRINUSE);
}

TEST(RefusedPort, EachHoldsAPortOfItsOwn) {
  RefusedPort a, b;
  EXPECT_NE(a.port(), b.port());
}

// Counted rather than bound again: another process could take the port
// the moment it is free, and fail this test for nothing.
TEST(RefusedPort, TheDestructorClosesItsSockets) {
  auto open_fds = [] {
    return std::distance(std::filesystem::directory_iterator("/proc/self/fd"), std::filesystem::directory_iterator{});
  };
  const auto before = open_fds();
  {
    RefusedPort tcp, udp(RefusedPort::Protocol::udp);
    EXPECT_GT(open_fds(), before);
  }
  EXPECT_EQ(open_fds(), before);
}

}  // namespace
}  // namespace preflight::testing
