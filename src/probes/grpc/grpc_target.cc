#include "probes/grpc/grpc_target.h"

#include <charconv>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "base/text.h"
#include "probes/probe.h"

namespace preflight {

extern const ProbeType kGrpcProbeType;

namespace {

constexpr uint16_t kDefaultGrpcPort = 443;

Result<Target> refuse(std::string_view form, std::string_view problem) {
  return fail(FailureKind::invalid_config, fmt::format("gRPC target ({}): {}", form, problem),
              "write host:port, dns:///host:port, unix:///path/to.sock, ipv4:ADDRESS:PORT, or grpc://host:port");
}

// host[:port] or [v6][:port]; "" or the problem, which never quotes it.
std::string read_address(std::string_view text, bool ipv6_only, Endpoint& out) {
  std::string_view host = text, port;
  bool has_port = false;
  if (text.starts_with('[')) {
    size_t close = text.find(']');
    if (close == std::string_view::npos) return "an IPv6 address has no closing ]";
    host = text.substr(1, close - 1);
    std::string_view after = text.substr(close + 1);
    if (!after.empty() && (!after.starts_with(':') || after.size() == 1)) return "the port after an IPv6 address is not :PORT";
    has_port = !after.empty();
    if (has_port) port = after.substr(1);
  } else if (ipv6_only) {
    host = text;  // ipv6: without brackets has no port
  } else if (size_t colon = text.rfind(':'); colon != std::string_view::npos) {
    if (text.find(':') != colon) return "an IPv6 address needs brackets, as in [::1]:50051";
    host = text.substr(0, colon);
    port = text.substr(colon + 1);
    has_port = true;
  }
  if (host.empty()) return "the target has no host";
  out = Endpoint{std::string(host), kDefaultGrpcPort, {}};
  if (has_port) {
    unsigned value = 0;
    auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
    if (port.empty() || ec != std::errc() || end != port.data() + port.size() || value == 0 || value > 65535) {
      return "the port is not a number from 1 to 65535";
    }
    out.port = static_cast<uint16_t>(value);
  }
  return {};
}

Target target_of(std::string form, std::vector<Endpoint> endpoints, std::string_view text) {
  Target t;
  t.form = std::move(form);
  t.scheme = "grpc";
  t.endpoints = std::move(endpoints);
  t.tls.use = TlsUse::client_default;
  t.shown = std::string(text);
  return t;
}

}  // namespace

Result<Target> read_grpc(std::string_view raw) {
  const std::string text = trim(raw);
  const std::string lower = to_lower(text);
  if (lower.starts_with("grpc://") || lower.starts_with("grpcs://")) return read_url_target(kGrpcProbeType, text);
  auto after = [&](std::string_view prefix) { return std::string_view(text).substr(prefix.size()); };
  if (lower.starts_with("unix:")) {
    // unix:path (relative or absolute), unix:///absolute: no authority.
    std::string_view path = after("unix:");
    if (path.starts_with("//")) {
      path.remove_prefix(2);
      if (!path.starts_with('/')) return refuse("unix", "unix:// takes an absolute path, as in unix:///run/app.sock");
    }
    if (path.empty()) return refuse("unix", "the socket path is empty");
    return target_of("gRPC target (unix)", {Endpoint{"", 0, std::string(path)}}, text);
  }
  if (lower.starts_with("unix-abstract:") || lower.starts_with("vsock:")) {
    return refuse(lower.substr(0, lower.find(':')), "preflight cannot connect to this kind of socket; use a tcp check of a TCP port");
  }
  if (lower.starts_with("ipv4:") || lower.starts_with("ipv6:")) {
    const bool v6 = lower.starts_with("ipv6:");
    const std::string_view form = v6 ? "ipv6" : "ipv4";
    std::vector<Endpoint> endpoints;
    for (std::string_view item : split(std::string_view(text).substr(form.size() + 1), ',')) {
      Endpoint e;
      if (auto problem = read_address(item, v6, e); !problem.empty()) {
        return refuse(form, fmt::format("address {}: {}", endpoints.size() + 1, problem));
      }
      endpoints.push_back(std::move(e));
    }
    return target_of(fmt::format("gRPC target ({})", form), std::move(endpoints), text);
  }
  std::string_view name = text;
  std::vector<std::string> ignored;
  if (lower.starts_with("dns:")) {
    name = after("dns:");
    if (name.starts_with("//")) {
      // dns://AUTHORITY/host:port: the name server to ask, which gRPC's
      // default resolver does not support either (c-ares does).
      name.remove_prefix(2);
      size_t slash = name.find('/');
      if (slash == std::string_view::npos) return refuse("dns", "dns:// needs a third slash before the name: dns:///host:port");
      if (slash > 0) ignored.push_back("the DNS server named in the target (the system's resolver is asked)");
      name.remove_prefix(slash + 1);
    }
  } else if (text.find("://") != std::string::npos) {
    return fail(FailureKind::invalid_config,
                fmt::format("a grpc check cannot use a {}:// URL", lower.substr(0, lower.find("://"))),
                "use grpc://, grpcs://, or a gRPC target: host:port, dns:///host:port, unix:///path");
  }
  Endpoint e;
  if (auto problem = read_address(name, false, e); !problem.empty()) return refuse("dns", problem);
  Target t = target_of("gRPC target (dns)", {std::move(e)}, text);
  t.ignored = std::move(ignored);
  return t;
}

bool uses_tls(const Target& target) {
  if (target.tls.use != TlsUse::client_default) return target.tls.encrypts();
  const Endpoint& first = target.endpoints.front();
  return !first.is_socket() && first.port == kDefaultGrpcPort;
}

}  // namespace preflight
