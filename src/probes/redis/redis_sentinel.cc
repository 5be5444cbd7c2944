#include "probes/redis/redis_sentinel.h"

#include <charconv>
#include <map>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "probes/redis/redis_exchange.h"

namespace preflight {
namespace {

// SENTINEL MASTER answers a flat list of field names and values.
std::map<std::string, std::string> fields_of(const resp::Reply& reply) {
  std::map<std::string, std::string> out;
  for (size_t i = 0; i + 1 < reply.elements.size(); i += 2) out[reply.elements[i].text] = reply.elements[i + 1].text;
  return out;
}

bool has_flag(const std::string& flags, std::string_view flag) {
  size_t start = 0;
  while (start <= flags.size()) {
    size_t end = flags.find(',', start);
    if (end == std::string::npos) end = flags.size();
    if (std::string_view(flags).substr(start, end - start) == flag) return true;
    start = end + 1;
  }
  return false;
}

// The names of the masters a sentinel monitors (SENTINEL MASTERS: a list
// of field lists); none when it will not say.
std::vector<std::string> monitored_names(net::Connection& conn, const Redactor& redactor, Deadline deadline,
                                         const CancelToken& cancel) {
  std::vector<std::string> names;
  auto replies = redis_round_trip(conn, {{"SENTINEL", "MASTERS"}}, redactor, deadline, cancel);
  if (!replies.ok() || replies->empty() || replies->front().type != resp::Reply::Type::array) return names;
  for (const resp::Reply& master : replies->front().elements) {
    if (auto name = fields_of(master)["name"]; !name.empty() && names.size() < 10) names.push_back(redactor.scrub(name));
  }
  return names;
}

// What one sentinel said: the master, or why not.
Result<Endpoint> ask_one(const Endpoint& sentinel, const SentinelQuery& query, const Redactor& redactor,
                         Deadline deadline, const CancelToken& cancel) {
  auto conn = net::Connection::open(sentinel, {}, deadline, cancel);
  if (!conn.ok()) return Unexpected<Failure>{conn.error()};
  std::vector<std::vector<std::string>> commands;
  if (query.password) commands.push_back({"AUTH", *query.password});
  commands.push_back({"SENTINEL", "MASTER", query.master_name});
  auto replies = redis_round_trip(*conn, commands, redactor, deadline, cancel);
  if (!replies.ok()) return Unexpected<Failure>{replies.error()};
  for (size_t i = 0; i < replies->size(); ++i) {
    const resp::Reply& r = (*replies)[i];
    if (r.type != resp::Reply::Type::error) continue;
    const std::string& command = commands[i].front();
    if (r.text.starts_with("NOAUTH") || r.text.starts_with("WRONGPASS") || command == "AUTH") {
      return fail(FailureKind::auth, fmt::format("answered {} with \"-{}\"", command, r.text),
                  query.password ? "the sentinels' password (?sentinel_password=) is not theirs"
                                 : "the sentinels ask for a password of their own: add ?sentinel_password=... to the URL");
    }
    if (r.text.find("No such master") != std::string::npos) {
      // What it does monitor, asked on the same connection: the name to write.
      std::vector<std::string> names = monitored_names(*conn, redactor, deadline, cancel);
      std::string monitors = names.empty() ? "" : fmt::format(" (it monitors \"{}\")", fmt::join(names, "\", \""));
      return fail(FailureKind::invalid_config, fmt::format("knows no master named \"{}\"{}", query.master_name, monitors),
                  names.size() == 1
                      ? fmt::format("write the name it monitors, \"{}\", as the URL's master name (its path's first part, or "
                                    "?service=)", names.front())
                      : "the name is the one in the sentinels' `sentinel monitor NAME host port quorum`");
    }
    return fail(FailureKind::protocol, fmt::format("answered {} with \"-{}\"", command, r.text));
  }
  const resp::Reply& master = replies->back();
  if (master.type != resp::Reply::Type::array) {
    return fail(FailureKind::protocol, "answered SENTINEL MASTER with something other than a list of fields: is it a sentinel?",
                "a sentinel listens on 26379 by default; a Redis server is checked with redis://");
  }
  auto f = fields_of(master);
  const std::string& flags = f["flags"];
  if (!has_flag(flags, "master") || has_flag(flags, "s_down") || has_flag(flags, "o_down")) {
    return fail(FailureKind::unhealthy,
                fmt::format("reports master \"{}\" at {}:{} as not usable (flags {})", query.master_name, f["ip"],
                            f["port"], flags));
  }
  Endpoint e;
  e.host = f["ip"];
  unsigned port = 0;
  const std::string& port_text = f["port"];
  auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (e.host.empty() || ec != std::errc() || end != port_text.data() + port_text.size() || port == 0 || port > 65535) {
    return fail(FailureKind::protocol, "gave the master's address without a usable ip and port");
  }
  e.port = static_cast<uint16_t>(port);
  return e;
}

}  // namespace

Result<Endpoint> discover_master(const SentinelQuery& query, const Redactor& redactor, Deadline deadline,
                                 const CancelToken& cancel) {
  std::vector<std::string> said;
  std::optional<Failure> worst;
  for (const Endpoint& sentinel : query.sentinels) {
    auto master = ask_one(sentinel, query, redactor, deadline, cancel);
    if (master.ok()) return master;
    Failure f = master.error();
    said.push_back(fmt::format("sentinel {} {}", sentinel.display(), f.message));
    if (f.kind == FailureKind::interrupted || f.kind == FailureKind::timeout) {
      worst = f;
      break;  // the deadline is spent, or the run is stopping
    }
    // A sentinel that answered outranks one that could not be reached: its
    // answer is the one that says what to change.
    bool answered = f.kind == FailureKind::invalid_config || f.kind == FailureKind::auth ||
                    f.kind == FailureKind::unhealthy || f.kind == FailureKind::protocol;
    bool worst_answered = worst && (worst->kind == FailureKind::invalid_config || worst->kind == FailureKind::auth ||
                                    worst->kind == FailureKind::unhealthy || worst->kind == FailureKind::protocol);
    if (!worst || (answered && !worst_answered)) worst = f;
  }
  if (!worst) return fail(FailureKind::invalid_config, "no sentinel is named");
  Failure out = *worst;
  out.message = fmt::format("no sentinel gave the master \"{}\": {}", query.master_name, fmt::join(said, "; "));
  return Unexpected<Failure>{std::move(out)};
}

}  // namespace preflight
