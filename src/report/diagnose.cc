#include "preflight/diagnose.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "base/hosts.h"
#include "config/placeholder.h"
#include "preflight/probe.h"
#include "base/text.h"
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

// The first TCP host of the target, or "" (a socket, or no target).
std::string first_host(const Target* t) {
  if (!t) return {};
  for (const auto& e : t->endpoints) {
    if (!e.is_socket()) return e.host;
  }
  return {};
}

// Where a part of the target came from, for a sentence: "from REDIS_PORT
// (.env:4)", "the client's default", "written in the check's url"; "" when
// the target has no such part.
std::string origin(const PlannedCheck& check, std::string_view part) {
  for (const auto& [name, from] : part_sources(check)) {
    if (name != part) continue;
    if (from == "default") return "the client's default";
    if (from == "the check's url") return "written in the check's url";
    return "from " + from;
  }
  return {};
}

// " (it overrides a different value in SOURCE)" when the variable shadowed
// another definition: the failure may be that the other one is current.
std::string shadowing(const VariableUse* use) {
  if (!use || use->shadowed.empty()) return {};
  return fmt::format("; it overrides a different value in {}: is that one the current one?", fmt::join(use->shadowed, " and "));
}

std::string auth_hint(const Failure& f, const PlannedCheck& check, const Target* t) {
  const VariableUse* pw = password_variable(check);
  if (!pw && t && t->password) pw = variable_holding(check, *t->password);
  // HTTP and the WebSocket upgrade: a status, not a password.
  if (f.code == "401" || f.code == "403") {
    std::string token = pw ? fmt::format(" (the token from {}, {})", pw->name, pw->source) : std::string();
    if (f.code == "401") {
      return fmt::format("the request carried no credentials the server accepts (401): check the Authorization header{}; "
                         "a private Cloud Run service wants an identity token for its URL", token);
    }
    return fmt::format("the server knows the caller but does not allow it (403){}: check the caller's permissions "
                       "(Cloud Run: roles/run.invoker; internal ingress needs traffic from the VPC), and for a "
                       "WebSocket, the Origin it accepts", token);
  }
  if (f.message.find("NOAUTH") != std::string::npos) {
    return "the server requires a password and none was sent: set \"password\" on the check (for example "
           "\"${REDIS_PASSWORD}\") or put it in the URL";
  }
  std::string user = t ? t->user : std::string();
  if (!user.empty() && f.message.find("does not exist") != std::string::npos && f.message.find("role") != std::string::npos) {
    return fmt::format("the server has no user {} ({}): fix the user name, or create the role", user, origin(check, "user"));
  }
  // PostgreSQL says "password authentication failed for user" for a wrong
  // password and for a user that does not exist alike.
  std::string users_too = !user.empty() && f.message.find("password authentication failed") != std::string::npos
                              ? fmt::format(" PostgreSQL says this for a user that does not exist too: the user {} is {}.",
                                            user, origin(check, "user"))
                              : std::string();
  if (pw) {
    return fmt::format("the password from {} ({}) was rejected: check that it is the current one for this server "
                       "(and the user name, if ACLs are used){}{}", pw->name, pw->source,
                       pw->shadowed.empty() ? "." : shadowing(pw), users_too);
  }
  return "the credentials were rejected: check the password and user name." + users_too;
}

std::string tls_schemes(const PlannedCheck& check);

// "raise the phase timeout (ORIGIN)": a user must know where to raise it.
std::string raise_timeout(std::string_view origin) {
  return origin.empty() ? "raise the phase timeout" : fmt::format("raise the phase timeout ({})", origin);
}

std::string timeout_hint(const Failure& f, const PlannedCheck& check, const Target* t, const Platform& platform,
                         std::string_view timeout_origin) {
  std::string host = first_host(t);
  if (!host.empty() && platform.cloud_run && is_private_address(host)) {
    return fmt::format("{} is a private address and this runs on Cloud Run (K_SERVICE or --target cloudrun): without a Serverless "
                       "VPC Access connector or Direct VPC egress, private addresses are unreachable{}",
                       host, named_source(variable_holding(check, host)));
  }
  if (f.stage == "resolve") {
    // A template value such as "your-redis-instance-ip" is as likely to time
    // out in a VPC's resolver as to get NXDOMAIN: the value is the cause.
    if (!host.empty()) {
      if (auto reason = template_like_host_reason(host)) {
        return fmt::format("{}: an unreplaced template value{}? Check that the deploy substitutes it", *reason,
                           named_source(variable_holding(check, host)));
      }
    }
    return "the name server did not answer: check /etc/resolv.conf and the network path to DNS";
  }
  if (f.stage == "tls") {
    return fmt::format("the TCP connection opened but the TLS handshake stalled: is this port really TLS{}, or is a "
                       "proxy in the way?", tls_schemes(check));
  }
  if (f.stage == "reply" || f.stage == "query") {
    return fmt::format("the connection opened but nothing answered: is this port really {}, and is the server hung? "
                       "If it is only slow, {}", check.type, raise_timeout(timeout_origin));
  }
  return fmt::format("nothing answered before the deadline: check the address{}, firewall rules and routes, "
                     "or {} if it is just slow", named_source(variable_holding(check, host)), raise_timeout(timeout_origin));
}

// A socket that is not there, read from what the attempt found on disk. On
// Cloud Run the socket is /cloudsql/CONNECTION_NAME (PostgreSQL: a directory
// holding .s.PGSQL.PORT; MySQL: the socket itself).
std::string missing_socket_hint(const SocketFacts& facts, const std::string& where) {
  const std::string_view kCloudSql = "/cloudsql/";
  const size_t at = facts.socket.find(kCloudSql);
  if (at == std::string::npos) {
    if (facts.nearest_directory == "/") {
      return fmt::format("{} does not exist, nor any directory on its path. {}", facts.socket, where);
    }
    return fmt::format("there is no socket at {}: the nearest directory that exists is {} (it holds: {}). {}", facts.socket,
                       facts.nearest_directory, facts.entries.empty() ? "nothing" : fmt::format("{}", fmt::join(facts.entries, ", ")),
                       where);
  }
  const std::string root = facts.socket.substr(0, at + kCloudSql.size() - 1);
  const std::string rest = facts.socket.substr(at + kCloudSql.size());
  const std::string name = rest.substr(0, rest.find('/'));
  if (std::count(name.begin(), name.end(), ':') != 2) {
    return fmt::format("\"{}\" is not a Cloud SQL connection name (PROJECT:REGION:INSTANCE, as `gcloud sql instances "
                       "describe` shows it). {}", name, where);
  }
  if (facts.nearest_directory != root && facts.socket_exists == false && facts.nearest_directory.size() < root.size()) {
    return fmt::format("{} does not exist: this service has no Cloud SQL connection. On Cloud Run, deploy with "
                       "--add-cloudsql-instances={} (the run.googleapis.com/cloudsql-instances annotation); elsewhere, the "
                       "Cloud SQL Auth Proxy must be running with --unix-socket={}. {}",
                       root, name, root, where);
  }
  if (facts.nearest_directory == root && std::find(facts.entries.begin(), facts.entries.end(), name) == facts.entries.end()) {
    if (facts.entries.empty()) {
      return fmt::format("{} is there but empty: the Cloud SQL connection is being set up, or the proxy is not running "
                         "yet; retrying is right. {}", root, where);
    }
    return fmt::format("{} holds {}, not {}: a typo in the connection name, or another instance configured? "
                       "{}", root, fmt::join(facts.entries, ", "), name, where);
  }
  return fmt::format("{}/{} exists but holds no socket yet: the Cloud SQL Auth Proxy has not started listening (retrying "
                     "is right), or the port differs. {}", root, name, where);
}

std::string refused_hint(const Failure& f, const PlannedCheck& check, const Target* t, const Platform& platform) {
  // On Cloud Run a loopback port is another container of the instance: a
  // sidecar (the Cloud SQL Auth Proxy, pgbouncer) that is not listening yet,
  // or none at all.
  if (platform.cloud_run && t && t->endpoints.size() == 1 && !t->endpoints.front().is_socket() &&
      is_loopback_host(t->endpoints.front().host)) {
    return fmt::format("on Cloud Run, {} is this instance: only a sidecar container listens there. If one should (the "
                       "Cloud SQL Auth Proxy, pgbouncer), it is not listening yet: make this container start after it "
                       "(the run.googleapis.com/container-dependencies annotation) and give the sidecar a startup probe "
                       "on its port; if there is none, the host{} is a local value that reached the deploy",
                       t->endpoints.front().display(), named_source(variable_holding(check, t->endpoints.front().host)));
  }
  if (!f.accepted_instead.empty()) {
    bool v4 = f.accepted_instead.front() != '[';
    return fmt::format("{} accepts where {} refused: the service is bound to IPv{} only; target {}, or "
                       "make the service listen on {} as well{}",
                       f.accepted_instead, v4 ? "::1" : "127.0.0.1", v4 ? 4 : 6, v4 ? "127.0.0.1" : "::1", v4 ? "::" : "0.0.0.0",
                       named_source(variable_holding(check, first_host(t))));
  }
  if (t && t->endpoints.size() == 1 && t->endpoints.front().is_socket()) {
    const Endpoint& e = t->endpoints.front();
    bool directory = !e.host.empty();
    if (f.socket_facts && !f.socket_facts->socket_exists) {
      return missing_socket_hint(*f.socket_facts, fmt::format("The socket{} is {}", directory ? " directory" : "",
                                                               origin(check, directory ? "socket directory" : "socket")));
    }
    return fmt::format("nothing is listening on {}: is the server (or the Cloud SQL Auth Proxy) running, and is the "
                       "directory right? The socket{} is {}",
                       e.socket_path, directory ? " directory" : "", origin(check, directory ? "socket directory" : "socket"));
  }
  std::string host = first_host(t);
  if (host.empty() || t->endpoints.size() > 1) {
    return fmt::format("nothing is listening there: is the service running, and are the host and port right{}?",
                       named_source(variable_holding(check, host)));
  }
  // Both parts are named: a wrong port is as common as a wrong host.
  uint16_t port = t->endpoints.front().port;
  std::string port_origin = origin(check, "port");
  return fmt::format("nothing is listening at {}: is the service running, and on that port? The host is {}; port {} is "
                     "{}{}",
                     t->endpoints.front().display(), origin(check, "host"), port, port_origin,
                     port_origin == "the client's default" ? ": if the service listens on another port, set it" : "");
}

std::string dns_hint(const std::string& code, const PlannedCheck& check, const Target* t) {
  std::string host = first_host(t);
  const VariableUse* holder = variable_holding(check, host);
  if (!host.empty()) {
    if (auto reason = template_like_host_reason(host)) {
      return fmt::format("{}: an unreplaced template value{}? Check that the deploy substitutes it", *reason,
                         named_source(holder));
    }
  }
  // The name servers' own answer, when the attempt asked them (probes/dns_lookup).
  if (code == "SERVFAIL") {
    return fmt::format("the name server could not resolve it (the zone's own servers unreachable, or DNSSEC validation "
                       "failed): the name{} may well be right; retrying helps if the zone comes back",
                       named_source(holder));
  }
  if (code == "REFUSED") return "the name server refuses this client: check /etc/resolv.conf (or the network's DNS settings)";
  if (code == "NODATA") {
    return fmt::format("the name exists but has no address: a record of another type only (MX, TXT...), or one "
                       "not yet created{}", named_source(holder));
  }
  return fmt::format("the host name does not resolve: check it{}", named_source(holder));
}

std::string unhealthy_hint(const Failure& f, std::string_view timeout_origin) {
  const std::string message = to_lower(f.message);
  auto has = [&](std::string_view text) { return message.find(text) != std::string::npos; };
  if (has("too many clients") || has("remaining connection slots") || has("too many connections") ||
      has("max number of clients reached")) {
    return "the server is at its connection limit (PostgreSQL max_connections, Redis maxclients): more instances or "
           "pool slots than it allows? "
           "Lower each instance's pool size or put a pooler in front (pgbouncer); retrying helps only if others "
           "disconnect";
  }
  if (has("in recovery") || has("hot standby") || has("not accepting connections")) {
    return "this server is a standby in recovery (a replica, or a failover in progress): if the service needs the "
           "primary, point it there; during a failover, retrying is right";
  }
  if (f.code == "LOADING" || f.message.find("LOADING") != std::string::npos) {
    return fmt::format("the dataset is still loading into memory; retrying is right: {} if it needs longer",
                       raise_timeout(timeout_origin));
  }
  if (f.code == "503") {
    return "the service runs but says it is not ready (503): its own dependencies are probably still starting; "
           "retrying is right — if it stays 503, read that service's logs";
  }
  if (f.code == "429") {
    return "the service is rate-limiting this client (429): back off, or exempt health checks from the limit";
  }
  return fmt::format("it answered but is not ready yet; retrying is right: {} if it needs longer",
                     raise_timeout(timeout_origin));
}

// A 404 or 405 is a wrong path or method, which no retry fixes: name the
// path, and the variable or field each of its pieces came from.
std::string wrong_path_hint(const Failure& f, const PlannedCheck& check, const Target* t) {
  if (f.code == "405") {
    return fmt::format("the service answers but not to {} (405): set \"method\" on the check to one the endpoint takes",
                       check.fields.value("method", "GET"));
  }
  // The target's path has "health_path" joined already: split it again.
  const std::string health_path = check.fields.value("health_path", "");
  std::string path = t ? t->url.path : "";
  if (!health_path.empty() && path.ends_with(health_path)) path.resize(path.size() - health_path.size());
  if (path.empty()) path = "/";
  std::string pieces = path == "/" ? std::string("the URL has no path")
                                   : fmt::format("the URL's path is {}{}", path, named_source(variable_holding(check, path)));
  if (!health_path.empty()) pieces += fmt::format(", and \"health_path\" {} is joined to it", health_path);
  return fmt::format("the service answers but has no such path (404): {}; fix the path, or the service's route", pieces);
}

std::string invalid_config_hint(const Failure& f, const PlannedCheck& check, const Target* t) {
  if (f.code == "404" || f.code == "405") return wrong_path_hint(f, check, t);
  if (t && f.message.find("DB index is out of range") != std::string::npos) {
    return fmt::format("the server has fewer databases than index {} (`databases` in redis.conf, 16 by default): the "
                       "database is {}", t->database, origin(check, "database"));
  }
  // PostgreSQL words it; MySQL numbers it (ER_BAD_DB_ERROR).
  const bool no_such_database =
      f.code == "1049" || (f.message.find("database") != std::string::npos && f.message.find("does not exist") != std::string::npos);
  if (t && no_such_database) {
    const std::string& dbname = t->database;
    return fmt::format("the server runs but has no such database: create it, or fix the name in the URL{}",
                       named_source(variable_holding(check, dbname)));
  }
  return {};
}

std::string untrusted_certificate_hint(const PlannedCheck& check) {
  const ProbeType* type = find_probe_type(check.type);
  std::string managed = type && !type->managed_ca.empty() ? fmt::format(" ({})", type->managed_ca) : std::string();
  if (type && type->ca_field == "sslrootcert") {
    return fmt::format("the server's certificate is not trusted: pass its CA with \"sslrootcert\" (on the check or in "
                       "the URL){}; sslmode=require encrypts without verifying, only for a test", managed);
  }
  return fmt::format("the server's certificate is not trusted: pass its CA with \"{}\"{}; \"insecure_skip_verify\": "
                     "true only for a test", type && !type->ca_field.empty() ? type->ca_field : "ca_file", managed);
}

// " (rediss:// vs redis://)": the type's TLS and plain schemes, from its
// ProbeType; "" when it has no such pair.
std::string tls_schemes(const PlannedCheck& check) {
  const ProbeType* type = find_probe_type(check.type);
  if (!type) return {};
  std::string_view tls, plain;
  for (const auto& scheme : type->schemes) {
    if (scheme.tls && tls.empty()) tls = scheme.name;
    if (!scheme.tls && plain.empty()) plain = scheme.name;
  }
  if (tls.empty() || plain.empty()) return {};
  return fmt::format(" ({}:// vs {}://)", tls, plain);
}

// What the certificate's own problem calls for: a CA does not fix an
// expired certificate or one for another name.
std::string certificate_hint(const Failure& f, const PlannedCheck& check, const Target* t) {
  if (f.code == "CERT_HAS_EXPIRED" || f.code == "CERT_NOT_YET_VALID") {
    return "the server's certificate is outside its validity dates: renew it on the server (or check this machine's "
           "clock); passing a CA does not help";
  }
  if (f.code == "CA_FILE_UNREADABLE") {
    if (t && !t->tls.ca_file.empty()) {
      // Not the check's own field: plan.cc passed SSL_CERT_FILE on.
      std::string from = origin(check, "ca_file");
      return fmt::format("the CA file {} cannot be read here: is it mounted, at that path? It is {}", t->tls.ca_file,
                         from.empty() ? "named by SSL_CERT_FILE" : from);
    }
    return "there is no CA bundle to verify the server with (the file above): install ca-certificates in the image, "
           "copy a bundle to that path, or pass the server's CA with \"ca_file\"";
  }
  if (f.code == "HOSTNAME_MISMATCH") {
    std::string host = first_host(t);
    return fmt::format("the certificate is for another name than {} (the host is {}): connect by a name the "
                       "certificate lists, or give the server a certificate for this one",
                       host.empty() ? std::string("the one dialled") : host, origin(check, "host"));
  }
  if (f.code == "SSL_NOT_SUPPORTED") {
    return "the server has no TLS, and sslmode asks for it: turn ssl on on the server, or use sslmode=prefer (or "
           "disable) if the network path is private";
  }
  return {};
}

std::string hint_for(const Failure& f, const PlannedCheck& check, const Target* t, const Platform& platform,
                     std::string_view timeout_origin) {
  switch (f.kind) {
    case FailureKind::auth: return auth_hint(f, check, t);
    case FailureKind::timeout: return timeout_hint(f, check, t, platform, timeout_origin);
    case FailureKind::connection_refused: return refused_hint(f, check, t, platform);
    case FailureKind::dns: return dns_hint(f.code, check, t);
    case FailureKind::invalid_config: return invalid_config_hint(f, check, t);
    case FailureKind::tls:
      if (auto hint = certificate_hint(f, check, t); !hint.empty()) return hint;
      if (f.message.find("certificate") != std::string::npos) return untrusted_certificate_hint(check);
      return fmt::format("the TLS handshake failed: does the server speak TLS on this port{}?", tls_schemes(check));
    case FailureKind::unhealthy: return unhealthy_hint(f, timeout_origin);
    case FailureKind::protocol: {
      std::string port = t && t->endpoints.size() == 1 && !t->endpoints.front().is_socket() ? origin(check, "port") : "";
      // A plain client on a TLS port reads the handshake's bytes as garbage.
      bool plain = t && (t->tls.mode == "off" || t->tls.mode == "disable");
      std::string tls = plain ? tls_schemes(check) : "";
      return fmt::format("something answers there but not as {} expects: is the port right{}?{}", check.type,
                         tls.empty() ? "" : fmt::format(", or does it want TLS{}", tls),
                         port.empty() ? "" : fmt::format(" The port is {}.", port));
    }
    default: return {};
  }
}

}  // namespace

// A proxy URL as it may be shown; libcurl takes one without a scheme as
// http://, and what cannot be read at all is not shown.
std::string shown_proxy(const std::string& proxy) {
  auto url = parse_url(proxy.find("://") == std::string::npos ? "http://" + proxy : proxy);
  return url.ok() ? shown_url(*url) : "***";
}

void diagnose(CheckReport& report, const PlannedCheck& check, const Platform& platform, std::string_view timeout_origin) {
  if (!report.error || !report.error->hint.empty()) return;
  const Target* t = check.target ? &*check.target : nullptr;
  report.error->hint = hint_for(*report.error, check, t, platform, timeout_origin);
  // An HTTP check goes wherever the proxy variables send it: any failure may
  // be the proxy's, not the service's.
  if (t && check.type == "http" && !t->endpoints.front().is_socket() && report.error->kind != FailureKind::interrupted) {
    const Url* url = &t->url;
    if (auto proxy = proxy_for(platform, url->scheme, url->host)) {
      report.error->hint = fmt::format("a proxy is in the path ({}={}) and {} is not in NO_PROXY: this failure may be "
                                       "the proxy's; add {} to NO_PROXY if it should be reached directly{}{}",
                                       proxy->variable, shown_proxy(proxy->url), url->host, url->host,
                                       report.error->hint.empty() ? "" : ". Otherwise: ", report.error->hint);
    }
  }
}

}  // namespace preflight
