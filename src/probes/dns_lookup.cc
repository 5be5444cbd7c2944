#include "probes/dns_lookup.h"

#include <sys/random.h>

#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "net/datagram.h"
#include "net/resolve.h"

namespace preflight::dns {
namespace {

constexpr const char* kResolvConf = "/etc/resolv.conf";

uint16_t random_id() {
  uint16_t id = 0;
  if (getrandom(&id, sizeof id, 0) != static_cast<ssize_t>(sizeof id)) id = static_cast<uint16_t>(Clock::now().time_since_epoch().count());
  return id;
}

uint16_t id_of(const std::string& message) {
  return message.size() < 2 ? 0 : static_cast<uint16_t>(static_cast<uint8_t>(message[0]) << 8 | static_cast<uint8_t>(message[1]));
}

// True when resolv.conf lists search domains (search or domain).
bool has_search_domains() {
  std::ifstream in(kResolvConf);
  for (std::string line; std::getline(in, line);) {
    std::istringstream words(line);
    std::string keyword, domain;
    if (words >> keyword >> domain && (keyword == "search" || keyword == "domain")) return true;
  }
  return false;
}

}  // namespace

std::string NameServer::display() const {
  return address.find(':') != std::string::npos ? fmt::format("[{}]:{}", address, port) : fmt::format("{}:{}", address, port);
}

std::vector<NameServer> system_name_servers() {
  std::vector<NameServer> out;
  std::ifstream in(kResolvConf);
  for (std::string line; std::getline(in, line) && out.size() < 3;) {
    std::istringstream words(line);
    std::string keyword, address;
    if (words >> keyword >> address && keyword == "nameserver") {
      if (auto percent = address.find('%'); percent != std::string::npos) address.resize(percent);  // fe80::1%eth0
      out.push_back({address});
    }
  }
  if (out.empty()) out.push_back({"127.0.0.1"});
  return out;
}

Result<Reply> ask(std::string_view name, RecordType type, const std::vector<NameServer>& servers, Deadline deadline,
                  const CancelToken& cancel, int& sent, std::chrono::milliseconds retransmit) {
  const uint16_t id = random_id();
  auto query = build_query(id, name, type);
  if (!query.ok()) return Unexpected<Failure>{query.error()};
  // A server that cannot be sent to, or refuses at once (ICMP), is passed
  // over; when every server did so in a row, waiting cannot help.
  size_t failed_at_once = 0;
  for (size_t round = 0; !deadline.expired(); ++round) {
    const NameServer& server = servers[round % servers.size()];
    auto socket = net::Datagram::open(server.address, server.port);
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
      if (!answer.ok()) return Unexpected<Failure>{at_stage(answer.error(), "reply")};
      return Reply{std::move(*answer), socket->peer()};
    }
  }
  return Unexpected<Failure>{Failure{FailureKind::timeout, "no answer", {}, "resolve", {}}};
}

Failure with_name_server_answer(Failure f, const std::string& host, Deadline deadline, const CancelToken& cancel,
                                std::chrono::milliseconds budget) {
  if (f.kind != FailureKind::dns || !f.code.empty() || host.empty() || net::is_ip_literal(host)) return f;
  // getaddrinfo tries a name without a dot with the search domains first:
  // its answer about the bare name would not be the whole story.
  if (host.find('.') == std::string::npos && has_search_domains()) return f;
  const Deadline limit = deadline.earlier(Deadline::after(budget));
  const auto servers = system_name_servers();
  int sent = 0;
  auto a = ask(host, RecordType::A, servers, limit, cancel, sent, budget);
  if (!a.ok()) return f;
  const std::string name = host.ends_with('.') ? host : host + ".";
  switch (static_cast<Rcode>(a->answer.rcode)) {
    case Rcode::name_error:
      f.message += fmt::format(" ({} answers NXDOMAIN: the name does not exist)", a->peer);
      f.code = "NXDOMAIN";
      break;
    case Rcode::server_failure:
      f.message += fmt::format(" ({} answers SERVFAIL: it could not resolve the name, which may well exist)", a->peer);
      f.code = "SERVFAIL";
      break;
    case Rcode::refused:
      f.message += fmt::format(" ({} answers REFUSED: it does not resolve names for this client)", a->peer);
      f.code = "REFUSED";
      break;
    case Rcode::no_error: {
      if (!a->answer.records.empty()) break;  // an address after all: the failure was elsewhere (NSS, IPv6 only...)
      sent = 0;
      auto aaaa = ask(host, RecordType::AAAA, servers, limit, cancel, sent, budget);
      if (!aaaa.ok() || aaaa->answer.rcode != 0 || !aaaa->answer.records.empty()) break;
      f.message += fmt::format(" ({} answers that {} exists but has no A or AAAA record)", a->peer, name);
      f.code = "NODATA";
      break;
    }
    default: break;
  }
  return f;
}

}  // namespace preflight::dns
