#include "preflight/diagnose.h"

#include <arpa/inet.h>

#include <fmt/format.h>

#include "preflight/url.h"

namespace preflight {
namespace {

// The variable most likely to hold the password of a check.
const VariableUse* password_variable(const PlannedCheck& check) {
  for (const auto& u : check.uses) {
    if (u.secret || name_looks_secret(u.name)) return &u;
  }
  return nullptr;
}

// The variable that supplied the host, if any.
const VariableUse* host_variable(const PlannedCheck& check, const std::string& host) {
  for (const auto& u : check.uses) {
    if (!host.empty() && u.value.find(host) != std::string::npos) return &u;
  }
  return nullptr;
}

std::string from_where(const VariableUse* u) {
  return u ? fmt::format(" (from {}, {})", u->name, u->source) : std::string();
}

std::string auth_hint(const Failure& f, const PlannedCheck& check) {
  const VariableUse* pw = password_variable(check);
  if (f.message.find("NOAUTH") != std::string::npos) {
    return "the server requires a password and none was sent: set \"password\" on the check (for example "
           "\"${REDIS_PASSWORD}\") or put it in the URL";
  }
  if (pw) {
    return fmt::format("the password from {} ({}) was rejected: check that it is the current one for this server "
                       "(and the user name, if ACLs are used)", pw->name, pw->source);
  }
  return "the credentials were rejected: check the password and user name";
}

std::string timeout_hint(const Failure& f, const PlannedCheck& check, const Url* url, const Platform& platform) {
  if (url && platform.cloud_run && is_private_address(url->host)) {
    return fmt::format("{} is a private address and this runs on Cloud Run (K_SERVICE is set): without a Serverless "
                       "VPC Access connector or Direct VPC egress, private addresses are unreachable{}",
                       url->host, from_where(host_variable(check, url->host)));
  }
  if (f.message.find("DNS lookup") != std::string::npos) {
    return "the name server did not answer: check /etc/resolv.conf and the network path to DNS";
  }
  if (f.message.find("TLS handshake") != std::string::npos) {
    return "the TCP connection opened but the TLS handshake stalled: is this port really TLS, or is a proxy in the way?";
  }
  if (f.message.find("no reply") != std::string::npos || f.message.find("waiting for the reply") != std::string::npos) {
    return fmt::format("the connection opened but nothing answered: is this port really {}, and is the server hung?",
                       check.type);
  }
  return fmt::format("nothing answered before the deadline: check the address{}, firewall rules and routes, "
                     "or raise the phase timeout if it is just slow", from_where(url ? host_variable(check, url->host) : nullptr));
}

std::string hint_for(const Failure& f, const PlannedCheck& check, const Url* url, const Platform& platform) {
  switch (f.kind) {
    case FailureKind::auth: return auth_hint(f, check);
    case FailureKind::timeout: return timeout_hint(f, check, url, platform);
    case FailureKind::connection_refused:
      return fmt::format("nothing is listening there: is the service running, and are the host and port right{}?",
                         from_where(url ? host_variable(check, url->host) : nullptr));
    case FailureKind::dns:
      return fmt::format("the host name does not resolve: check it{}", from_where(url ? host_variable(check, url->host) : nullptr));
    case FailureKind::tls:
      if (f.message.find("certificate") != std::string::npos) {
        return "the server's certificate is not trusted: pass its CA with \"ca_file\" (Memorystore: the instance's "
               "server CA); \"insecure_skip_verify\": true only for a test";
      }
      return "the TLS handshake failed: does the server speak TLS on this port (rediss:// vs redis://)?";
    case FailureKind::unhealthy:
      if (f.message.find("LOADING") != std::string::npos) {
        return "the dataset is still loading into memory; retrying is right: raise the phase timeout if it needs longer";
      }
      return "it answered but is not ready yet; retrying is right: raise the phase timeout if it needs longer";
    case FailureKind::protocol:
      return fmt::format("something answers there but not as {} expects: is the port right?", check.type);
    default: return {};
  }
}

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

void diagnose(CheckReport& report, const PlannedCheck& check, const Platform& platform) {
  if (!report.error || !report.error->hint.empty()) return;
  auto url = parse_url(check.fields.value("url", ""));
  report.error->hint = hint_for(*report.error, check, url.ok() ? &*url : nullptr, platform);
}

}  // namespace preflight
