#include "base/hosts.h"

#include <arpa/inet.h>

#include <string>

#include "base/text.h"

namespace preflight {
namespace {

bool in_v4(uint32_t addr, uint32_t net, int bits) {
  uint32_t mask = bits == 0 ? 0 : ~uint32_t{0} << (32 - bits);
  return (addr & mask) == (net & mask);
}

}  // namespace

bool is_private_address(std::string_view host) {
  std::string h(host);
  in_addr v4{};
  if (inet_pton(AF_INET, h.c_str(), &v4) == 1) {
    uint32_t a = ntohl(v4.s_addr);
    return in_v4(a, 0x0A000000, 8) || in_v4(a, 0xAC100000, 12) || in_v4(a, 0xC0A80000, 16) ||
           in_v4(a, 0x64400000, 10);
  }
  in6_addr v6{};
  if (inet_pton(AF_INET6, h.c_str(), &v6) == 1) return (v6.s6_addr[0] & 0xFE) == 0xFC;
  return false;
}

bool is_loopback_host(std::string_view host) {
  std::string h = to_lower(host);
  if (h == "localhost" || h.ends_with(".localhost") || h == "::1" || h == "0.0.0.0" || h == "::") return true;
  in_addr v4{};
  return inet_pton(AF_INET, h.c_str(), &v4) == 1 && (ntohl(v4.s_addr) >> 24) == 127;
}

bool is_internal_host(std::string_view host) {
  std::string h = to_lower(host);
  while (!h.empty() && h.back() == '.') h.pop_back();
  if (is_loopback_host(h) || is_private_address(h)) return true;
  in_addr v4{};
  if (inet_pton(AF_INET, h.c_str(), &v4) == 1) return (ntohl(v4.s_addr) >> 16) == 0xA9FE;  // 169.254/16
  in6_addr v6{};
  if (inet_pton(AF_INET6, h.c_str(), &v6) == 1) return v6.s6_addr[0] == 0xFE && (v6.s6_addr[1] & 0xC0) == 0x80;
  if (h.find('.') == std::string::npos) return true;  // "redis", "postgres": a compose or cluster name
  for (std::string_view suffix : {".internal", ".local", ".svc", ".cluster.local", ".lan", ".home.arpa"}) {
    if (h.ends_with(suffix)) return true;
  }
  return false;
}

}  // namespace preflight
