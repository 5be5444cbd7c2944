// dns:// — asks a name server for one name's records of one type, as a
// resolver would (recursion desired, over UDP, retransmitted), and tells
// apart what getaddrinfo folds together: NXDOMAIN, SERVFAIL, REFUSED, a name
// with no record of the type, and no answer at all.
#include <algorithm>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "net/resolve.h"
#include "probes/dns/dns_lookup.h"
#include "probes/probe_types.h"

namespace preflight {

extern const ProbeType kDnsProbeType;

namespace {

constexpr uint16_t kDnsPort = 53;

struct DnsTarget {
  std::string name;
  dns::RecordType type = dns::RecordType::A;
  std::vector<Endpoint> servers;  // empty: the system's, from resolv.conf at each attempt
  std::vector<std::string> expected;
};

class DnsProbe final : public Probe {
 public:
  explicit DnsProbe(DnsTarget target) : t_(std::move(target)) {}

  Status attempt(Deadline deadline, const CancelToken& cancel) const override {
    const std::vector<Endpoint> servers = t_.servers.empty() ? dns::read_resolv_conf().servers : t_.servers;
    int sent = 0;
    auto reply = dns::ask(t_.name, t_.type, servers, deadline, cancel, sent);
    if (reply.ok()) return judge(reply->answer, reply->peer);
    if (reply.error().kind != FailureKind::timeout) return Unexpected<Failure>{reply.error()};
    std::vector<std::string> peers;
    for (const auto& s : servers) peers.push_back(s.display());
    return Unexpected<Failure>{Failure{FailureKind::timeout,
                                       fmt::format("no answer about {} {} from {} ({} {} sent)", t_.name, dns::record_type_name(t_.type),
                                                   fmt::join(peers, ", "), sent, sent == 1 ? "query" : "queries"),
                                       t_.servers.empty()
                                           ? "the name servers are those of /etc/resolv.conf: check them and the network path to them"
                                           : "check that this is a name server and that UDP to it is allowed from here",
                                       Stage::resolve,
                                       {}}};
  }

 private:
  Status judge(const dns::Answer& a, const std::string& peer) const {
    const std::string_view type = dns::record_type_name(t_.type);
    const std::string code = dns::rcode_name(a.rcode);
    auto failure = [&](FailureKind kind, std::string message, std::string hint, std::string failure_code) {
      return Unexpected<Failure>{Failure{kind, std::move(message), std::move(hint), Stage::resolve, std::move(failure_code)}};
    };
    switch (static_cast<dns::Rcode>(a.rcode)) {
      case dns::Rcode::name_error:
        return failure(FailureKind::dns, fmt::format("{} does not exist (NXDOMAIN from {})", dns::fqdn(t_.name), peer),
                       "check the name's spelling and its zone; a record created just now may not have reached this server yet", code);
      case dns::Rcode::server_failure:
        return failure(FailureKind::dns, fmt::format("{} could not resolve {} (SERVFAIL)", peer, dns::fqdn(t_.name)),
                       "the name server could not get an answer: the zone's own servers did not answer it, or DNSSEC "
                       "validation failed; the name may well exist",
                       code);
      case dns::Rcode::refused:
        return failure(FailureKind::dns, fmt::format("{} refused to answer about {} (REFUSED)", peer, dns::fqdn(t_.name)),
                       "this server does not resolve names for this client (no recursion for it, or the zone is not its own)", code);
      case dns::Rcode::no_error: break;
      default:
        return failure(FailureKind::protocol, fmt::format("{} answered {} about {}", peer, code, dns::fqdn(t_.name)), "", code);
    }
    if (a.records.empty()) {
      std::string alias = a.aliases.empty() ? "" : fmt::format(" (an alias of {})", a.aliases.back());
      return failure(FailureKind::dns,
                     fmt::format("{}{} exists but has no {} record (NOERROR, no answer, from {}{})", dns::fqdn(t_.name), alias, type, peer,
                                 a.truncated ? "; the answer was truncated" : ""),
                     t_.type == dns::RecordType::AAAA  ? "the name has no IPv6 address: is it meant to be reached over IPv4?"
                     : t_.type == dns::RecordType::A ? "the name has no IPv4 address: is it meant to be reached over IPv6?"
                                                     : "",
                     "NODATA");
    }
    std::vector<std::string> missing;
    for (const auto& e : t_.expected) {
      if (std::find(a.records.begin(), a.records.end(), e) == a.records.end()) missing.push_back(e);
    }
    if (!missing.empty()) {
      return failure(FailureKind::unhealthy,
                     fmt::format("the {} records of {} are [{}]; expected among them: [{}]", type, dns::fqdn(t_.name), fmt::join(a.records, ", "),
                                 fmt::join(missing, ", ")),
                     "the record may not have propagated yet, or points elsewhere", "");
    }
    return {};
  }

  DnsTarget t_;
};

// dns://NAME or, as RFC 4501 writes a server, dns://SERVER[:PORT]/NAME;
// ?type=MX (RFC 4501's ";"-separated form too).
Result<Target> read_dns(std::string_view text) {
  auto url = parse_url(text);
  if (!url.ok()) return fail(FailureKind::invalid_config, fmt::format("the URL {}", url.error()), "write it as dns://NAME or dns://SERVER/NAME");
  if (url->scheme != "dns") {
    return fail(FailureKind::invalid_config, fmt::format("a dns check cannot use a {}:// URL", url->scheme), "use dns://");
  }
  Target t;
  t.form = "URL";
  t.scheme = "dns";
  t.tls.use = TlsUse::off;
  std::string name = url->path.size() > 1 ? url->path.substr(1) : url->host;
  if (url->path.size() > 1) {
    t.endpoints.push_back({url->host, url->port.value_or(kDnsPort), {}});
  } else {
    t.endpoints.push_back({name, kDnsPort, {}});  // the name, for messages: the server is the system's
  }
  t.database = name;  // the name to look up
  t.shown = shown_url(*url);
  t.url = std::move(*url);
  return t;
}

std::optional<std::string> check_dns_shape(const nlohmann::json& fields) {
  if (auto r = fields.find("record"); r != fields.end() && r->is_string() && r->get<std::string>().find("${") == std::string::npos &&
                                      !dns::record_type_from_name(r->get<std::string>())) {
    return "record: expected one of A, AAAA, CNAME, MX, TXT, SRV, NS";
  }
  if (auto e = fields.find("expect"); e != fields.end()) {
    for (const auto& [key, value] : e->items()) {
      if (key != "contains") return fmt::format("expect/{}: unknown key (allowed: contains)", key);
      if (!value.is_array() || !std::all_of(value.begin(), value.end(), [](const auto& v) { return v.is_string(); })) {
        return "expect/contains: expected a list of records in presentation form (\"10.0.0.1\", \"mail.example.com. 10\")";
      }
    }
  }
  return std::nullopt;
}

Result<std::unique_ptr<Probe>> make_dns_probe(const ProbeInput& in) {
  DnsTarget t;
  t.name = in.target.database;
  if (t.name.ends_with('.')) t.name.pop_back();
  std::string type = string_field(in.fields, "record");
  for (std::string_view part : {std::string_view(in.url().query)}) {
    for (size_t start = 0; start < part.size();) {
      size_t end = std::min(part.find_first_of(";&", start), part.size());
      std::string_view pair = part.substr(start, end - start);
      if (pair.starts_with("type=") && type.empty()) type = std::string(pair.substr(5));
      start = end + 1;
    }
  }
  if (!type.empty()) {
    auto parsed = dns::record_type_from_name(type);
    if (!parsed) return fail(FailureKind::invalid_config, fmt::format("record type \"{}\" is not one of A, AAAA, CNAME, MX, TXT, SRV, NS", type));
    t.type = *parsed;
  }
  std::string server = string_field(in.fields, "server");
  if (!server.empty()) {
    auto parsed = parse_url("dns://" + server);
    if (!parsed.ok() || !parsed->path.empty()) return fail(FailureKind::invalid_config, "server: expected ADDRESS or ADDRESS:PORT");
    t.servers.push_back({parsed->host, parsed->port.value_or(kDnsPort), {}});
  } else if (in.url().path.size() > 1) {
    t.servers.push_back(in.target.endpoints.front());
  }
  for (const auto& s : t.servers) {
    if (!net::is_ip_literal(s.host)) {
      return fail(FailureKind::invalid_config, fmt::format("the DNS server \"{}\" is not an IP address", s.host),
                  "name the server by its address: a name server's own name would need a name server to find it");
    }
  }
  if (auto e = in.fields.find("expect"); e != in.fields.end()) {
    if (auto c = e->find("contains"); c != e->end()) {
      for (const auto& v : *c) t.expected.push_back(v.get<std::string>());
    }
  }
  if (auto q = dns::build_query(0, t.name, t.type); !q.ok()) return Unexpected<Failure>{q.error()};
  return std::unique_ptr<Probe>(std::make_unique<DnsProbe>(std::move(t)));
}

}  // namespace

extern const ProbeType kDnsProbeType{
    .name = "dns",
    .schemes = {{"dns", kDnsPort}},
    .fields = {{"record", FieldType::string}, {"server", FieldType::string}, {"expect", FieldType::object}},
    .make = make_dns_probe,
    .check_shape = check_dns_shape,
    .read = read_dns,
};

}  // namespace preflight
