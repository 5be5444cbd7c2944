#include "report/diagnose.h"

#include <unistd.h>

#include <algorithm>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "base/hosts.h"
#include "net/certificate_dates.h"
#include "report/certificate_facts_text.h"
#include "config/placeholder.h"
#include "probes/probe.h"
#include "probes/common_hints.h"
#include "base/text.h"
#include "base/url.h"

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
  if (!check.target) return {};
  for (const auto& [name, value] : check.target->parts()) {
    if (name != part) continue;
    const PartOrigin from = origin_of(check, value);
    switch (from.kind) {
      case PartOrigin::Kind::client_default: return "the client's default";
      case PartOrigin::Kind::check_text:
        if (from.field == "url") return "written in the check's url";
        break;
      case PartOrigin::Kind::variables: break;
    }
    return "from " + from.describe();
  }
  return {};
}

// " (it overrides a different value in SOURCE)" when the variable shadowed
// another definition: the failure may be that the other one is current.
std::string shadowing(const VariableUse* use) {
  if (!use || use->shadowed.empty()) return {};
  return fmt::format("; it overrides a different value in {}: is that one the current one?", fmt::join(use->shadowed, " and "));
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
  if (f.stage == Stage::resolve) {
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
  if (f.stage == Stage::tls) {
    return fmt::format("the TCP connection opened but the TLS handshake stalled: is this port really TLS{}, or is a "
                       "proxy in the way?", tls_schemes(check));
  }
  if (f.stage == Stage::reply || f.stage == Stage::query) {
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

// The generic "not ready": a protocol's hint names its own states.
std::string unhealthy_hint(const HintContext& c) {
  return fmt::format("it answered but is not ready yet; retrying is right: {} if it needs longer", c.raise_timeout);
}

// This machine's limits: no protocol owns them.
std::string resource_hint(const Failure& f) {
  if (f.cause == Cause::out_of_memory) {
    return "this machine (or container) ran out of memory or network buffers: raise the container's memory limit, or "
           "run fewer checks at once";
  }
  return "this process ran out of file descriptors: raise the open-file limit (ulimit -n; on Kubernetes and Cloud Run "
         "it is the runtime's), or split the phase into fewer checks at once";
}

std::string untrusted_certificate_hint(const PlannedCheck& check) {
  const ProbeType* type = check.probe_type;
  std::string managed = type && !type->managed_ca.empty() ? fmt::format(" ({})", type->managed_ca) : std::string();
  return fmt::format("the server's certificate is not trusted: pass its CA with \"{}\"{}; \"insecure_skip_verify\": "
                     "true only for a test", type && !type->ca_field.empty() ? type->ca_field : "ca_file", managed);
}

// " (rediss:// vs redis://)": the type's TLS and plain schemes, from its
// ProbeType; "" when it has no such pair.
std::string tls_schemes(const PlannedCheck& check) {
  const ProbeType* type = check.probe_type;
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
  // What the handshake saw of the certificates, said before the remedy.
  auto seen = [&](std::string fact) { return fact.empty() ? fact : fact + "; "; };
  const CertificateFacts none;
  const CertificateFacts& facts = f.certificate ? *f.certificate : none;
  switch (f.cause) {
    case Cause::certificate_expired:
      return seen(validity_fact(facts)) +
             "the server's certificate is outside its validity dates: renew it on the server (or check this machine's "
             "clock); passing a CA does not help";
    case Cause::ca_file_unreadable: {
      // The check's own field, or a variable of environment_trust.h.
      std::vector<std::string> unreadable, given;
      if (t) {
        for (const auto& [part, path] : t->parts()) {
          if (part != "CA" && part != "added CA") continue;
          std::string named = fmt::format("{} ({})", path, origin_of(check, path).describe());
          (access(path.c_str(), R_OK) == 0 ? given : unreadable).push_back(std::move(named));
        }
      }
      if (!unreadable.empty()) {
        return fmt::format("the CA file {} cannot be read here: is it mounted, at that path, readable by this user?",
                           fmt::join(unreadable, " and "));
      }
      if (!given.empty()) {
        return fmt::format("the CA file {} holds no certificate OpenSSL can read: give the CA in PEM (-----BEGIN "
                           "CERTIFICATE-----)", fmt::join(given, " and "));
      }
      return "there is no CA bundle to verify the server with (the file above): install ca-certificates in the image, "
             "copy a bundle to that path, or pass the server's CA with \"ca_file\"";
    }
    case Cause::hostname_mismatch: {
      std::string host = first_host(t);
      const std::string names = names_fact(facts);
      return fmt::format("the certificate is for another name than {}{} (the host is {}): connect by a name the "
                         "certificate lists, or give the server a certificate for this one",
                         host.empty() ? std::string("the one dialled") : host,
                         names.empty() ? "" : fmt::format(" ({})", names), origin(check, "host"));
    }
    case Cause::untrusted_certificate: {
      std::vector<std::string> given;
      std::string given_as;
      if (t && !t->tls.ca_file.empty()) {
        for (const auto& ca : net::read_certificate_dates(t->tls.ca_file)) given.push_back(ca.subject);
        given_as = fmt::format("{} ({})", t->tls.ca_file, origin_of(check, t->tls.ca_file).describe());
      }
      return seen(chain_fact(facts, given, given_as)) + untrusted_certificate_hint(check);
    }
    case Cause::server_without_tls: {
      const std::string port = origin(check, "port");
      return fmt::format("the server on this port does not speak TLS: it answered the TLS handshake in plain text. Use "
                         "the plain scheme{}, or the server's TLS port{}",
                         tls_schemes(check), port.empty() ? "" : fmt::format(" (the port is {})", port));
    }
    case Cause::client_certificate_required: {
      const bool has_fields = check.probe_type &&
                              std::any_of(check.probe_type->fields.begin(), check.probe_type->fields.end(),
                                          [](const FieldSpec& field) { return field.name == "client_cert"; });
      return fmt::format("the server wants a client certificate (mutual TLS) and the check sent none: {}",
                         has_fields ? "give one with \"client_cert\" and \"client_key\", or turn off client-certificate "
                                      "verification on the server"
                                    : "this check type cannot send one, so turn off client-certificate verification "
                                      "on the server for this client");
    }
    default: return {};
  }
}

// What no protocol owns: refused, timeouts by stage, name resolution,
// certificates, this machine's limits; and the generic words for a cause
// the protocol's own hint left.
std::string generic_hint(const Failure& f, const PlannedCheck& check, const Target* t, const Platform& platform,
                         const HintContext& c, std::string_view timeout_origin) {
  switch (f.kind) {
    case FailureKind::auth: return rejected_password_hint(c);
    case FailureKind::timeout: return timeout_hint(f, check, t, platform, timeout_origin);
    case FailureKind::connection_refused: return refused_hint(f, check, t, platform);
    case FailureKind::dns: return dns_hint(f.code, check, t);
    case FailureKind::tls:
      if (auto hint = certificate_hint(f, check, t); !hint.empty()) return hint;
      return fmt::format("the TLS handshake failed: does the server speak TLS on this port{}?", tls_schemes(check));
    case FailureKind::unhealthy: return unhealthy_hint(c);
    case FailureKind::resource: return resource_hint(f);
    case FailureKind::protocol: {
      std::string port = t && t->endpoints.size() == 1 && !t->endpoints.front().is_socket() ? origin(check, "port") : "";
      // A plain client on a TLS port reads the handshake's bytes as garbage.
      bool plain = t && t->tls.use == TlsUse::off;
      std::string tls = plain ? tls_schemes(check) : "";
      return fmt::format("something answers there but not as {} expects: is the port right{}?{}", check.type,
                         tls.empty() ? "" : fmt::format(", or does it want TLS{}", tls),
                         port.empty() ? "" : fmt::format(" The port is {}.", port));
    }
    default: return {};
  }
}

// What a protocol's hint may know of the check: its target, and where
// each part and the secret came from, as sentences.
HintContext hint_context(const PlannedCheck& check, const Target* t, std::string_view timeout_origin) {
  HintContext c;
  c.target = t;
  c.fields = &check.fields;
  c.origin = [&check](std::string_view part) { return origin(check, part); };
  c.named_source = [&check](std::string_view value) { return named_source(variable_holding(check, value)); };
  const VariableUse* pw = password_variable(check);
  if (!pw && t && t->password) pw = variable_holding(check, *t->password);
  if (pw) {
    c.secret_variable = pw->name;
    c.secret_source = pw->source;
    c.secret_shadowing = shadowing(pw);
    // The most common rejected password that looks right everywhere: a
    // secret version made with `echo` (its newline), a Windows-edited .env
    // (its carriage return).
    if (auto edge = edge_white_space(pw->value)) {
      const char at = edge->starts_with("ends") ? pw->value.back() : pw->value.front();
      const std::string_view shown = at == '\n' ? "\\n" : at == '\r' ? "\\r" : at == '\t' ? "\\t" : "' '";
      c.secret_white_space = fmt::format(" Its value {} ({}), which no output shows and the server receives as part "
                                         "of the password: remove it where {} is defined (make a secret with `printf "
                                         "'%s' VALUE`, not `echo`; save a .env with LF line endings).",
                                         *edge, shown, pw->name);
    }
  }
  // The variable that wrote the url's first byte: the one that holds the URL.
  if (auto url = check.origins.find("/url"); url != check.origins.end() && !url->second.spans.empty()) {
    const OriginSpan& first = url->second.spans.front();
    if (first.kind == OriginSpan::Kind::variable) {
      for (const auto& u : check.uses) {
        if (u.name == first.variable) c.url_source = named_source(&u);
      }
    }
  }
  c.raise_timeout = raise_timeout(timeout_origin);
  return c;
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
  Failure& f = *report.error;
  const HintContext context = hint_context(check, t, timeout_origin);
  if (check.probe_type && check.probe_type->hint) f.hint = check.probe_type->hint(f, context);
  if (f.hint.empty()) f.hint = generic_hint(f, check, t, platform, context, timeout_origin);
  // A check that follows the proxy variables goes wherever they send it:
  // any failure may be the proxy's, not the service's.
  if (t && check.probe_type && check.probe_type->follows_proxy_variables && !t->endpoints.front().is_socket() &&
      f.kind != FailureKind::interrupted) {
    const Url* url = &t->url;
    if (auto proxy = proxy_for(platform, url->scheme, url->host)) {
      f.hint = fmt::format("a proxy is in the path ({}={}) and {} is not in NO_PROXY: this failure may be the proxy's; "
                           "add {} to NO_PROXY if it should be reached directly{}{}",
                           proxy->variable, shown_proxy(proxy->url), url->host, url->host,
                           f.hint.empty() ? "" : ". Otherwise: ", f.hint);
    }
  }
}

}  // namespace preflight
