#include "probes/dns/dns_lookup.h"

#include <sys/random.h>

#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "net/datagram.h"
#include "net/resolve.h"

namespace preflight::dns {
namespace {

constexpr const char* kResolvConf = "/etc/resolv.conf";
constexpr uint16_t kDnsPort = 53;

uint16_t random_id() {
  uint16_t id = 0;
  if (getrandom(&id, sizeof id, 0) != static_cast<ssize_t>(sizeof id)) id = static_cast<uint16_t>(Clock::now().time_since_epoch().count());
  return id;
}

uint16_t id_of(const std::string& message) {
  return message.size() < 2 ? 0 : static_cast<uint16_t>(static_cast<uint8_t>(message[0]) << 8 | static_cast<uint8_t>(message[1]));
}

}  // namespace

ResolvConf read_resolv_conf() {
  ResolvConf conf;
  std::ifstream in(kResolvConf);
  for (std::string line; std::getline(in, line);) {
    std::istringstream words(line);
    std::string keyword, value;
    if (!(words >> keyword >> value)) continue;
    if (keyword == "search" || keyword == "domain") conf.search_domains = true;
    if (keyword == "nameserver" && conf.servers.size() < 3) {
      if (auto percent = value.find('%'); percent != std::string::npos) value.resize(percent);  // fe80::1%eth0
      conf.servers.push_back({value, kDnsPort, {}});
    }
  }
  if (conf.servers.empty()) conf.servers.push_back({"127.0.0.1", kDnsPort, {}});
  return conf;
}

Result<Reply> ask(std::string_view name, RecordType type, const std::vector<Endpoint>& servers, Deadline deadline,
                  const CancelToken& cancel, int& sent, std::chrono::milliseconds retransmit) {
  const uint16_t id = random_id();
  auto query = build_query(id, name, type);
  if (!query.ok()) return Unexpected<Failure>{query.error()};
  // A server that cannot be sent to, or refuses at once (ICMP), is passed
  // over; when every server did so in a row, waiting cannot help.
  size_t failed_at_once = 0;
  for (size_t round = 0; !deadline.expired(); ++round) {
    const Endpoint& server = servers[round % servers.size()];
    auto socket = net::Datagram::open(server.host, server.port);
    if (!socket.ok()) return Unexpected<Failure>{socket.error()};
    if (auto s = socket->send(*query); !s.ok()) {
      if (++failed_at_once >= servers.size()) return Unexpected<Failure>{s.error()};
      continue;
    }
    ++sent;
    Deadline wait = deadline.earlier(Deadline::after(retransmit));
    for (;;) {
      auto reply = socket->receive(wait, cancel);
      if (!reply.ok()) {
        if (reply.error().kind == FailureKind::interrupted) return Unexpected<Failure>{reply.error()};
        if (reply.error().kind != FailureKind::connection_refused) failed_at_once = 0;  // it stayed silent: worth asking again
        else if (++failed_at_once >= servers.size()) return Unexpected<Failure>{reply.error()};
        break;
      }
      if (id_of(*reply) != id) continue;  // another query's late answer, or a forged one
      auto answer = read_answer(*reply, id, type);
      if (!answer.ok()) return Unexpected<Failure>{at_stage(answer.error(), Stage::reply)};
      return Reply{std::move(*answer), socket->peer()};
    }
  }
  return Unexpected<Failure>{Failure{FailureKind::timeout, "no answer", {}, Stage::resolve, {}}};
}

std::optional<LookupAnswer> answer_for_failed_lookup(const std::string& host, Deadline deadline, const CancelToken& cancel,
                                                     std::chrono::milliseconds budget) {
  if (host.empty() || net::is_ip_literal(host)) return std::nullopt;
  const ResolvConf conf = read_resolv_conf();
  // getaddrinfo tries a name without a dot with the search domains first:
  // its answer about the bare name would not be the whole story.
  if (host.find('.') == std::string::npos && conf.search_domains) return std::nullopt;
  const Deadline limit = deadline.earlier(Deadline::after(budget));
  int sent = 0;
  auto a = ask(host, RecordType::A, conf.servers, limit, cancel, sent, budget);
  if (!a.ok()) return std::nullopt;
  switch (static_cast<Rcode>(a->answer.rcode)) {
    case Rcode::name_error:
      return LookupAnswer{fmt::format(" ({} answers NXDOMAIN: the name does not exist)", a->peer), "NXDOMAIN"};
    case Rcode::server_failure:
      return LookupAnswer{fmt::format(" ({} answers SERVFAIL: it could not resolve the name, which may well exist)", a->peer),
                          "SERVFAIL"};
    case Rcode::refused:
      return LookupAnswer{fmt::format(" ({} answers REFUSED: it does not resolve names for this client)", a->peer), "REFUSED"};
    case Rcode::no_error: {
      if (!a->answer.records.empty()) return std::nullopt;  // an address after all: the failure was elsewhere (NSS...)
      auto aaaa = ask(host, RecordType::AAAA, conf.servers, limit, cancel, sent, budget);
      if (!aaaa.ok() || aaaa->answer.rcode != 0 || !aaaa->answer.records.empty()) return std::nullopt;
      return LookupAnswer{fmt::format(" ({} answers that {} exists but has no A or AAAA record)", a->peer, fqdn(host)), "NODATA"};
    }
    default: return std::nullopt;
  }
}

}  // namespace preflight::dns
