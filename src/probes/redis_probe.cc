// redis:// and rediss:// — AUTH (password, optional ACL user), SELECT, PING,
// pipelined in one round trip over the shared transport.
#include <charconv>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "net/connection.h"
#include "probes/probe_types.h"
#include "probes/redis_reader.h"
#include "probes/resp.h"

namespace preflight {
namespace {

struct RedisTarget {
  Endpoint endpoint;
  net::TlsOptions tls;
  std::string username;
  std::string password;
  int database = 0;
};

Failure classify_error_reply(const std::string& text, std::string_view command) {
  auto starts = [&](std::string_view prefix) { return text.starts_with(prefix); };
  if (starts("NOAUTH") || starts("WRONGPASS") || starts("NOPERM") ||
      (command == "AUTH" && starts("ERR"))) {
    return {FailureKind::auth, fmt::format("redis answered {} with \"-{}\"", command, text), {}};
  }
  // READONLY: a replica answered where a primary was expected, as during a
  // failover or with a stale DNS record; it can become right by itself.
  if (starts("LOADING") || starts("MASTERDOWN") || starts("BUSY") || starts("TRYAGAIN") ||
      starts("CLUSTERDOWN") || starts("READONLY")) {
    return {FailureKind::unhealthy, fmt::format("redis answered {} with \"-{}\"", command, text), {}};
  }
  return {FailureKind::protocol, fmt::format("redis answered {} with \"-{}\"", command, text), {}};
}

class RedisProbe final : public Probe {
 public:
  explicit RedisProbe(RedisTarget target) : t_(std::move(target)) {}

  Status attempt(Deadline deadline, const CancelToken& cancel) const override {
    auto conn = net::Connection::open(t_.endpoint, t_.tls, deadline, cancel);
    if (!conn.ok()) return Unexpected<Failure>{conn.error()};

    std::vector<std::string_view> commands;
    std::string request;
    if (!t_.password.empty()) {
      request += t_.username.empty() ? resp::format_command({"AUTH", t_.password})
                                     : resp::format_command({"AUTH", t_.username, t_.password});
      commands.push_back("AUTH");
    }
    if (t_.database != 0) {
      request += resp::format_command({"SELECT", std::to_string(t_.database)});
      commands.push_back("SELECT");
    }
    request += resp::format_command({"PING"});
    commands.push_back("PING");
    if (auto sent = conn->send_all(request, deadline, cancel); !sent.ok()) return sent;

    resp::Reader reader;
    char buf[4096];
    for (std::string_view command : commands) {
      std::optional<resp::Reply> reply;
      while (!reply) {
        auto next = reader.next();
        if (!next.ok()) return Unexpected<Failure>{next.error()};
        if ((reply = *next)) break;
        auto got = conn->receive(buf, sizeof buf, deadline, cancel);
        if (!got.ok()) return Unexpected<Failure>{reply_failure(got.error(), command)};
        reader.feed({buf, *got});
      }
      if (reply->type == resp::Reply::Type::error) return Unexpected<Failure>{classify_error_reply(reply->text, command)};
      bool expected = command == "PING" ? (reply->type == resp::Reply::Type::status && reply->text == "PONG")
                                        : reply->type == resp::Reply::Type::status;
      if (!expected) {
        return fail(FailureKind::protocol,
                    fmt::format("redis answered {} with \"{}\" instead of {}", command,
                                resp::printable_excerpt(reply->text), command == "PING" ? "+PONG" : "+OK"));
      }
    }
    return {};
  }

 private:
  static Failure reply_failure(Failure f, std::string_view command) {
    if (f.kind == FailureKind::timeout) f.message = fmt::format("{} (waiting for the reply to {})", f.message, command);
    return f;
  }

  RedisTarget t_;
};

Result<std::unique_ptr<Probe>> make_redis_probe(const ProbeInput& in) {
  const Target& target = in.target;
  RedisTarget t;
  t.endpoint = target.endpoints.front();
  t.tls.enabled = target.tls.mode == "on";
  t.tls.ca_file = target.tls.ca_file;
  t.tls.insecure_skip_verify = !target.tls.verify;
  if (!t.tls.enabled && (!t.tls.ca_file.empty() || t.tls.insecure_skip_verify)) {
    return fail(FailureKind::invalid_config,
                "ca_file, ssl_ca_certs and insecure_skip_verify (ssl_cert_reqs=none) need TLS: use a rediss:// URL");
  }
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
  return std::unique_ptr<Probe>(std::make_unique<RedisProbe>(std::move(t)));
}

}  // namespace

const ProbeType kRedisProbeType{
    "redis",
    {{"redis", 6379}, {"rediss", 6379, true}},
    {{"password", FieldType::string, true},
     {"username", FieldType::string},
     {"ca_file", FieldType::string},
     {"insecure_skip_verify", FieldType::boolean}},
    make_redis_probe,
    nullptr,
    read_redis,
    "ca_file",
    [](const Target& t) -> std::optional<std::string> {
      if (t.tls.mode == "on" || t.endpoints.front().is_socket()) return std::nullopt;
      return "the Redis password and every reply; use rediss:// (Memorystore: enable in-transit encryption)";
    },
};

}  // namespace preflight
