// redis:// and rediss:// — AUTH (password, optional ACL user), SELECT, PING,
// pipelined in one round trip over the shared transport.
#include <charconv>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "net/connection.h"
#include "probes/common_hints.h"
#include "probes/probe_types.h"
#include "probes/headroom.h"
#include "probes/redis/redis_exchange.h"
#include "probes/redis/redis_reader.h"
#include "probes/redis/redis_sentinel.h"
#include "probes/redis/resp.h"

namespace preflight {
namespace {

struct RedisTarget {
  Endpoint endpoint;
  int headroom = kDefaultHeadroomPercent;  // percent of maxclients to keep free; 0: no warning
  net::TlsOptions tls;
  std::string username;
  std::string password;
  int database = 0;
  std::optional<SentinelQuery> sentinel;  // set: `endpoint` is asked of the sentinels
  bool primary = false;                   // a replica does not pass ("role": "primary")
};

// ROLE's first element: "master", "slave" or "sentinel". A server that
// does not let this user run ROLE (ACLs) answers an error: unknown, and
// then not held against it.
Status check_role(const resp::Reply& reply, const Redactor& redactor) {
  if (reply.type != resp::Reply::Type::array || reply.elements.empty()) return {};
  const std::string& role = reply.elements.front().text;
  if (role == "master") return {};
  return Unexpected<Failure>{Failure{FailureKind::unhealthy,
                                     fmt::format("redis answered ROLE with \"{}\": this server is a {}, and the check "
                                                 "wants the primary",
                                                 redactor.excerpt(role), role == "slave" ? "replica (read-only)" : role),
                                     {},
                                     Stage::query, "ROLE", {}, {}, Cause::standby}};
}

// An error reply's failure: its kind, the stage (AUTH is the login) and the
// reply's prefix as the code (WRONGPASS, LOADING...).
Failure classify_error_reply(const std::string& text, std::string_view command) {
  auto starts = [&](std::string_view prefix) { return text.starts_with(prefix); };
  auto failure = [&](FailureKind kind, Cause cause = Cause::none) {
    Failure f{kind, fmt::format("redis answered {} with \"-{}\"", command, text), {},
              command == "AUTH" ? Stage::login : Stage::query, text.substr(0, text.find(' '))};
    f.cause = cause;
    return f;
  };
  if (starts("NOAUTH")) return failure(FailureKind::auth, Cause::password_required);
  // Protected mode: no password for the default user, and this client is
  // not on the server's loopback. Sent on accept, before any command.
  if (starts("DENIED")) return failure(FailureKind::auth, Cause::client_refused);
  if (starts("WRONGPASS") || (command == "AUTH" && starts("ERR"))) return failure(FailureKind::auth, Cause::credentials_rejected);
  // The login worked: the user's ACL lacks the command.
  if (starts("NOPERM")) return failure(FailureKind::auth, Cause::missing_permission);
  // SELECT beyond the server's `databases`: waiting cannot fix it.
  if (command == "SELECT" && text.find("out of range") != std::string::npos) {
    return failure(FailureKind::invalid_config, Cause::no_such_database);
  }
  // "-ERR SELECT is not allowed in cluster mode": a cluster has database 0.
  if (command == "SELECT" && text.find("cluster mode") != std::string::npos) {
    return failure(FailureKind::invalid_config, Cause::cluster_mode);
  }
  if (starts("LOADING")) return failure(FailureKind::unhealthy, Cause::loading);
  // maxclients reached: others may disconnect.
  if (text.find("max number of clients reached") != std::string::npos) {
    return failure(FailureKind::unhealthy, Cause::connection_limit);
  }
  // READONLY: a replica answered where a primary was expected, as during a
  // failover or with a stale DNS record; it can become right by itself.
  if (starts("READONLY") || starts("MASTERDOWN")) return failure(FailureKind::unhealthy, Cause::standby);
  if (starts("BUSY") || starts("TRYAGAIN") || starts("CLUSTERDOWN")) return failure(FailureKind::unhealthy);
  return failure(FailureKind::protocol);
}

std::string redis_hint(const Failure& f, const HintContext& c) {
  const bool named_user = c.target && !c.target->user.empty();
  switch (f.cause) {
    case Cause::password_required:
      return "the server requires a password and none was sent: set \"password\" on the check (for example "
             "\"${REDIS_PASSWORD}\") or put it in the URL";
    case Cause::missing_permission: {
      const std::string user = named_user ? c.target->user : "default";
      return fmt::format("the login worked and the password is fine, but the ACL of user {}{} does not allow this "
                         "command: grant it on the server (ACL SETUSER {} +ping, and +select or +info when the check "
                         "sends them)",
                         user, named_user ? c.named_source(user) : "", user);
    }
    case Cause::client_refused:
      return "the server is in protected mode: its default user has no password, so it accepts clients on its own "
             "loopback only. Give it a password (requirepass, or an ACL user) and the check that password, or, on a "
             "private network only, turn protected-mode off or bind it to the private address";
    case Cause::no_such_database:
      return fmt::format("the server has fewer databases than index {} (`databases` in redis.conf, 16 by default): the "
                         "database is {}",
                         c.target ? c.target->database : "?", c.origin("database"));
    case Cause::cluster_mode:
      return fmt::format("this server is a cluster node, and a cluster has only database 0: drop the database {} from "
                         "the URL (it is {}), and use a cluster client in the application (redis-py's RedisCluster, "
                         "ioredis' Cluster)",
                         c.target ? c.target->database : "?", c.origin("database"));
    case Cause::standby: {
      // After a failover the variables still name the old primary: say
      // which ones, and where they were set.
      const Endpoint* e = c.target && !c.target->endpoints.empty() ? &c.target->endpoints.front() : nullptr;
      const std::string where = e == nullptr || e->is_socket()
                                    ? std::string("the URL reaches a replica")
                                    : fmt::format("{} reaches a replica (the host is {}; the port is {})", e->display(),
                                                  c.origin("host"), c.origin("port"));
      return fmt::format("{} (after a failover, or a read endpoint): point it at the primary, or through Sentinel "
                         "(redis+sentinel://) that follows failovers; during a failover, retrying is right",
                         where);
    }
    case Cause::loading:
      return fmt::format("the dataset is still loading into memory; retrying is right: {} if it needs longer", c.raise_timeout);
    case Cause::connection_limit: return connection_limit_hint("Redis maxclients", "");
    default: return {};
  }
}

class RedisProbe final : public Probe {
 public:
  RedisProbe(RedisTarget target, std::shared_ptr<const Redactor> redactor)
      : t_(std::move(target)), redactor_(std::move(redactor)) {}

  Status attempt(Deadline deadline, const CancelToken& cancel) const override {
    std::vector<std::string> unused;
    return attempt_noting(deadline, cancel, unused);
  }

  Status attempt_noting(Deadline deadline, const CancelToken& cancel, std::vector<std::string>& warnings) const override {
    Endpoint server = t_.endpoint;
    if (t_.sentinel) {
      auto master = discover_master(*t_.sentinel, *redactor_, deadline, cancel);
      if (!master.ok()) return Unexpected<Failure>{master.error()};
      server = std::move(*master);
    }
    auto conn = net::Connection::open(server, t_.tls, deadline, cancel);
    if (!conn.ok()) return Unexpected<Failure>{conn.error()};

    std::vector<std::vector<std::string>> commands;
    if (!t_.password.empty()) {
      commands.push_back(t_.username.empty() ? std::vector<std::string>{"AUTH", t_.password}
                                             : std::vector<std::string>{"AUTH", t_.username, t_.password});
    }
    if (t_.database != 0) commands.push_back({"SELECT", std::to_string(t_.database)});
    commands.push_back({"PING"});
    // In the same round trip: connected_clients against maxclients (in
    // INFO since Redis 7; an older server, or a user without INFO, gets no
    // warning).
    if (t_.headroom > 0) commands.push_back({"INFO", "clients"});
    if (t_.primary) commands.push_back({"ROLE"});
    auto replies = redis_round_trip(*conn, commands, *redactor_, deadline, cancel);
    if (!replies.ok()) return Unexpected<Failure>{replies.error()};

    for (size_t i = 0; i < commands.size(); ++i) {
      const resp::Reply& reply = (*replies)[i];
      std::string_view command = commands[i].front();
      if (command == "ROLE") return check_role(reply, *redactor_);
      if (command == "INFO") {
        note_headroom(reply, server, warnings);
        continue;
      }
      if (reply.type == resp::Reply::Type::error) return Unexpected<Failure>{classify_error_reply(reply.text, command)};
      bool expected = command == "PING" ? (reply.type == resp::Reply::Type::status && reply.text == "PONG")
                                        : reply.type == resp::Reply::Type::status;
      if (!expected) {
        return Unexpected<Failure>{at_stage({FailureKind::protocol,
                                             fmt::format("redis answered {} with \"{}\" instead of {}", command,
                                                         redactor_->excerpt(reply.text), command == "PING" ? "+PONG" : "+OK")},
                                            Stage::reply)};
      }
    }
    return {};
  }

 private:
  void note_headroom(const resp::Reply& info, const Endpoint& server, std::vector<std::string>& warnings) const {
    if (info.type != resp::Reply::Type::string) return;
    auto field = [&](std::string_view name) -> long {
      const std::string key = fmt::format("\n{}:", name);
      size_t at = ("\n" + info.text).find(key);
      return at == std::string::npos ? -1 : std::atol(info.text.c_str() + at + key.size() - 1);
    };
    const long clients = field("connected_clients"), max = field("maxclients");
    if (clients < 0 || max <= 0) return;
    if (auto w = headroom_warning(fmt::format("Redis at {}", server.display()), max, clients, t_.headroom,
                                  fmt::format("maxclients {}", max))) {
      warnings.push_back(*w);
    }
  }

  RedisTarget t_;
  std::shared_ptr<const Redactor> redactor_;
};

Result<std::unique_ptr<Probe>> make_redis_probe(const ProbeInput& in) {
  const Target& target = in.target;
  RedisTarget t;
  t.endpoint = target.endpoints.front();
  if (!target.master_name.empty()) t.sentinel = SentinelQuery{target.endpoints, target.master_name, target.sentinel_password};
  t.tls.enabled = target.tls.use == TlsUse::required;
  t.tls.ca_file = target.tls.ca_file;
  t.tls.added_ca = target.tls.added_ca;
  t.tls.insecure_skip_verify = !target.tls.verify;
  if (!t.tls.enabled && (!t.tls.ca_file.empty() || t.tls.insecure_skip_verify)) {
    return fail(FailureKind::invalid_config,
                "ca_file, ssl_ca_certs and insecure_skip_verify (ssl_cert_reqs=none) need TLS: use a rediss:// URL");
  }
  auto headroom = headroom_percent(in.fields);
  if (!headroom.ok()) return Unexpected<Failure>{headroom.error()};
  t.headroom = *headroom;
  t.username = target.user;
  t.password = target.password.value_or("");
  // redis://SECRET@host: redis-py sends AUTH SECRET "" and fails; the user
  // meant a password, and says so below rather than leaking it.
  if (!t.username.empty() && t.password.empty()) {
    return fail(FailureKind::invalid_config,
                "the URL has a user name but no password (redis://NAME@host): a password needs a ':' before it",
                "write redis://:PASSWORD@host, or redis://USER:PASSWORD@host for an ACL user");
  }
  t.database = std::stoi(target.database);
  std::string role = string_field(in.fields, "role");
  if (!role.empty() && role != "primary" && role != "master" && role != "any") {
    return fail(FailureKind::invalid_config, "role is not one of primary, any");
  }
  t.primary = role == "primary" || role == "master";
  return std::unique_ptr<Probe>(std::make_unique<RedisProbe>(std::move(t), in.redactor));
}

}  // namespace

// redis_profile.cc
void offer_redis_checks(const ProfileVariables& vars, std::vector<ProfileOffer>& out);

extern const ProbeType kRedisProbeType{
    .name = "redis",
    .schemes = {{"redis", 6379}, {"rediss", 6379, true}, {"redis+sentinel", 26379}},
    .fields = {{"password", FieldType::string, true},
               {"username", FieldType::string},
               {"ca_file", FieldType::string},
               {"insecure_skip_verify", FieldType::boolean},
               {"role", FieldType::string},
               {"headroom", FieldType::integer}},
    .make = make_redis_probe,
    .read = read_redis,
    .ca_field = "ca_file",
    .cleartext_advice = [](const Target& t) -> std::optional<std::string> {
      if (t.tls.use == TlsUse::required || t.endpoints.front().is_socket()) return std::nullopt;
      return "the Redis password and every reply; use rediss:// (Memorystore: enable in-transit encryption)";
    },
    .managed_ca = "Memorystore: the instance's server CA",
    .hint = redis_hint,
    .offer = offer_redis_checks,
    .health_names = {"redis", "cache"},
};

}  // namespace preflight
