#include "base/hosts.h"

#include <gtest/gtest.h>

namespace preflight {
namespace {

TEST(Hosts, InternalHostsAreThoseReachedWithoutThePublicInternet) {
  for (const char* h : {"localhost", "127.0.0.2", "::1", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254",
                        "fe80::1", "fd00::1", "redis", "db.internal", "x.svc.cluster.local", "printer.local"}) {
    EXPECT_TRUE(is_internal_host(h)) << h;
  }
  for (const char* h : {"8.8.8.8", "203.0.113.7", "2001:db8::1", "redis.example.com", "172.32.0.1"}) {
    EXPECT_FALSE(is_internal_host(h)) << h;
  }
}

TEST(Hosts, LoopbackAndPrivate) {
  for (const char* h : {"localhost", "api.localhost", "127.0.0.1", "127.9.9.9", "::1", "0.0.0.0"}) EXPECT_TRUE(is_loopback_host(h)) << h;
  for (const char* h : {"10.0.0.3", "128.0.0.1", "localhost.example.com"}) EXPECT_FALSE(is_loopback_host(h)) << h;
  for (const char* h : {"10.0.0.3", "172.31.255.1", "192.168.0.1", "100.64.0.1", "fd12::1"}) EXPECT_TRUE(is_private_address(h)) << h;
  for (const char* h : {"172.32.0.1", "8.8.8.8", "100.128.0.1", "redis.internal"}) EXPECT_FALSE(is_private_address(h)) << h;
}

}  // namespace
}  // namespace preflight
