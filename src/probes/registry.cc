#include <algorithm>
#include <vector>

#include <fmt/format.h>

#include "probes/probe_types.h"

namespace preflight {

// The one list of protocols: each is defined in its own *_probe.cc (as
// `extern const`: a namespace-scope const is otherwise internal to its file).
extern const ProbeType kTcpProbeType, kRedisProbeType, kPostgresProbeType, kHttpProbeType, kWebSocketProbeType,
    kMemcachedProbeType, kNatsProbeType, kMysqlProbeType, kAmqpProbeType, kGrpcProbeType, kDnsProbeType,
    kCommandProbeType, kFileProbeType, kMigrationsProbeType;

std::span<const ProbeType> probe_types() {
  static const std::vector<ProbeType> all = {
      kTcpProbeType,  kRedisProbeType,     kPostgresProbeType, kHttpProbeType,
      kWebSocketProbeType, kMemcachedProbeType, kNatsProbeType, kMysqlProbeType, kAmqpProbeType, kGrpcProbeType, kDnsProbeType,
      kCommandProbeType, kFileProbeType, kMigrationsProbeType,
  };
  return all;
}

const ProbeType* find_probe_type(std::string_view name) {
  for (const ProbeType& t : probe_types()) {
    if (t.name == name) return &t;
  }
  return nullptr;
}

Result<Target> read_url_target(const ProbeType& type, std::string_view text) {
  auto url = parse_url(text);
  if (!url.ok()) {
    return fail(FailureKind::invalid_config, fmt::format("the URL {}", url.error()),
                fmt::format("write it as {}://host:port/...", type.schemes.front().name));
  }
  auto scheme = std::find_if(type.schemes.begin(), type.schemes.end(),
                             [&](const SchemeSpec& s) { return s.name == url->scheme; });
  if (scheme == type.schemes.end()) {
    std::vector<std::string_view> names;
    for (const auto& s : type.schemes) names.push_back(s.name);
    return fail(FailureKind::invalid_config, fmt::format("a {} check cannot use a {}:// URL", type.name, url->scheme),
                fmt::format("use {}://", fmt::join(names, ":// or ")));
  }
  Target t;
  t.form = "URL";
  t.scheme = url->scheme;
  t.endpoints.push_back({url->host, url->port.value_or(scheme->default_port), {}});
  t.user = url->username;
  t.password = url->password;
  t.tls.use = scheme->tls ? TlsUse::required : TlsUse::off;
  if (url->password && !url->password->empty()) {
    t.secrets.push_back(*url->password);
    // What HTTP Basic auth sends base64-encoded: a server that echoes its
    // request back must not reveal it either.
    t.secrets.push_back(url->username + ":" + *url->password);
  }
  // https://TOKEN@host: a user name without a password is a token.
  if (!url->username.empty() && !url->password) t.secrets.push_back(url->username);
  t.shown = shown_url(*url);
  t.url = std::move(*url);
  return t;
}

Result<Target> read_target(const ProbeType& type, std::string_view text, const nlohmann::json& fields) {
  auto target = type.read ? type.read(text) : read_url_target(type, text);
  if (!target.ok()) return target;
  Target& t = *target;
  auto field = [&](const char* name) { return string_field(fields, name); };
  if (auto v = field("user"); !v.empty()) t.user = v;
  if (auto v = field("username"); !v.empty()) t.user = v;
  if (auto v = field("password"); !v.empty()) {
    t.password = v;
    t.secrets.push_back(v);
  }
  if (auto v = field("dbname"); !v.empty()) t.database = v;
  // A Unix socket instead of the URL's host and port (the URL keeps the
  // Host header, path and query).
  if (auto v = field("unix_socket"); !v.empty()) t.endpoints = {Endpoint{"", 0, v}};
  if (auto v = field("health_path"); !v.empty()) {
    t.shown = join_url_path(t.shown, v);
    if (auto joined = parse_url(join_url_path(std::string(text), v)); joined.ok()) t.url = std::move(*joined);
  }
  if (auto v = field("ca_file"); !v.empty()) t.tls.ca_file = v;
  if (auto it = fields.find("insecure_skip_verify"); it != fields.end() && it->is_boolean() && it->get<bool>()) {
    t.tls.verify = false;
  }
  if (type.apply_fields) type.apply_fields(t, fields);
  return target;
}

}  // namespace preflight
