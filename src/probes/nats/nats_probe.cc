// nats://[user:password@|token@]host[:port][,nats://...] — the client side
// of NATS's handshake: read the server's INFO, send CONNECT with the
// credentials, then PING, which must be answered by PONG. A comma-separated
// server list is read as nats.go's Connect reads it; the check passes when
// one server of the list completes the handshake. TLS starts after INFO
// (tls://, or a server that requires it), as nats.go does.
#include <algorithm>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <nlohmann/json.hpp>

#include "net/connection.h"
#include "base/text.h"
#include "probes/line_reader.h"
#include "probes/probe_types.h"
#include "probes/redis/resp.h"

namespace preflight {

extern const ProbeType kNatsProbeType;

namespace {

using json = nlohmann::json;

// INFO can list a cluster's connect_urls: generous, but bounded.
constexpr size_t kMaxLine = 64 * 1024;

struct NatsLogin {
  std::string user, password, token;
  bool sends_credentials() const { return !token.empty() || !user.empty(); }
};

struct NatsTarget {
  std::vector<Endpoint> servers;
  std::vector<NatsLogin> logins;  // one per server
  bool tls = false;  // tls://: TLS whether or not the server requires it
  std::string ca_file;
  std::vector<std::string> added_ca;
  bool insecure_skip_verify = false;
};

// "-ERR 'Authorization Violation'" and its kin, as the server words them
// (nats-server's client.go).
Failure error_reply(const std::string& line, const std::string& peer, bool sent_credentials, const Redactor& redactor) {
  std::string reason = trim(line.substr(4));
  if (reason.size() >= 2 && reason.front() == '\'' && reason.back() == '\'') reason = reason.substr(1, reason.size() - 2);
  std::string lower = to_lower(reason);
  FailureKind kind = lower.find("authorization") != std::string::npos || lower.find("authentication") != std::string::npos ||
                             lower.find("user authentication") != std::string::npos
                         ? FailureKind::auth
                     : lower.find("maximum connections") != std::string::npos ? FailureKind::unhealthy
                                                                               : FailureKind::protocol;
  std::string hint = kind == FailureKind::auth && !sent_credentials
                         ? "the server requires credentials and none were sent: put a token (nats://TOKEN@host) or "
                           "user:password in the URL, or set \"token\" on the check"
                         : "";
  return {kind, fmt::format("{} answered CONNECT with \"-ERR '{}'\"", peer, redactor.excerpt(reason, 200)), hint,
          kind == FailureKind::auth ? Stage::login : Stage::reply, "-ERR"};
}

class NatsProbe final : public Probe {
 public:
  NatsProbe(NatsTarget target, std::shared_ptr<const Redactor> redactor)
      : t_(std::move(target)), redactor_(std::move(redactor)) {}

  Status attempt(Deadline deadline, const CancelToken& cancel) const override {
    std::vector<Failure> failures;
    for (size_t i = 0; i < t_.servers.size(); ++i) {
      Status st = handshake(t_.servers[i], t_.logins[i], deadline, cancel);
      if (st.ok()) return st;
      if (st.error().kind == FailureKind::interrupted) return st;
      failures.push_back(st.error());
    }
    if (failures.size() == 1) return Unexpected<Failure>{failures.front()};
    // An answer says more than a server that was not there: report the
    // most telling failure, and what the others said.
    auto telling = std::find_if(failures.begin(), failures.end(), [](const Failure& f) {
      return f.kind != FailureKind::connection_refused && f.kind != FailureKind::dns && f.kind != FailureKind::timeout;
    });
    Failure out = telling != failures.end() ? *telling : failures.front();
    std::vector<std::string> said;
    for (const auto& f : failures) said.push_back(f.message);
    out.message = fmt::format("no server of the list completed the handshake: {}", fmt::join(said, "; "));
    return Unexpected<Failure>{out};
  }

 private:
  Status handshake(const Endpoint& server, const NatsLogin& login, Deadline deadline, const CancelToken& cancel) const {
    auto conn = net::Connection::open(server, {}, deadline, cancel);
    if (!conn.ok()) return Unexpected<Failure>{conn.error()};
    std::string buffer;
    auto info_line = read_line(*conn, buffer, kMaxLine, *redactor_, deadline, cancel);
    if (!info_line.ok()) return Unexpected<Failure>{info_line.error()};
    if (!info_line->starts_with("INFO ")) {
      return Unexpected<Failure>{at_stage({FailureKind::protocol, fmt::format("{} did not begin with INFO: \"{}\"", conn->peer(),
                                                                              redactor_->excerpt(*info_line))},
                                          Stage::reply)};
    }
    json info = json::parse(info_line->substr(5), nullptr, false);
    if (!info.is_object()) {
      return Unexpected<Failure>{at_stage({FailureKind::protocol, fmt::format("{} sent an INFO that is not a JSON object: \"{}\"",
                                                                              conn->peer(), redactor_->excerpt(*info_line))},
                                          Stage::reply)};
    }
    // NATS starts TLS after INFO, in the middle of the stream. As nats.go
    // does: tls:// wants it, and a server that requires it gets it.
    const bool tls = t_.tls || info.value("tls_required", false);
    if (t_.tls && !info.value("tls_required", false) && !info.value("tls_available", false)) {
      return Unexpected<Failure>{Failure{FailureKind::tls, fmt::format("{} does not offer TLS, and the URL is tls://", conn->peer()),
                                         "use nats:// for this server, or enable TLS on it (a tls block in its configuration)", Stage::tls,
                                         {}}};
    }
    if (tls) {
      net::TlsOptions options{true, t_.ca_file, t_.added_ca, t_.insecure_skip_verify};
      if (auto started = conn->start_tls(options, server.host, deadline, cancel); !started.ok()) return started;
      buffer.clear();
    }
    if (auto sent = conn->send_all(connect_line(tls, login) + "PING\r\n", deadline, cancel); !sent.ok()) return sent;
    // PONG answers our PING; the server may PING us, say +OK, or send INFO
    // again (cluster changes) first.
    for (int lines = 0; lines < 100; ++lines) {
      auto line = read_line(*conn, buffer, kMaxLine, *redactor_, deadline, cancel);
      if (!line.ok()) {
        Failure f = line.error();
        if (f.kind == FailureKind::protocol && f.message.find("closed") != std::string::npos && info.value("auth_required", false)) {
          f.kind = FailureKind::auth;  // some servers close on a bad login without -ERR
        }
        return Unexpected<Failure>{f};
      }
      if (*line == "PONG") return {};
      if (*line == "PING") {
        if (auto sent = conn->send_all("PONG\r\n", deadline, cancel); !sent.ok()) return sent;
        continue;
      }
      if (line->starts_with("-ERR")) {
        return Unexpected<Failure>{error_reply(*line, conn->peer(), login.sends_credentials(), *redactor_)};
      }
      if (*line == "+OK" || line->starts_with("INFO ")) continue;
      return Unexpected<Failure>{at_stage({FailureKind::protocol, fmt::format("{} answered PING with \"{}\" instead of PONG",
                                                                              conn->peer(), redactor_->excerpt(*line))},
                                          Stage::reply)};
    }
    return Unexpected<Failure>{at_stage({FailureKind::protocol, fmt::format("{} sent 100 lines without a PONG", conn->peer())}, Stage::reply)};
  }

  static std::string connect_line(bool tls, const NatsLogin& login) {
    json c = {{"verbose", false}, {"pedantic", false}, {"tls_required", tls}, {"name", "preflight"},
              {"lang", "c++"},    {"version", PREFLIGHT_VERSION}, {"protocol", 1}};
    if (!login.token.empty()) c["auth_token"] = login.token;
    if (!login.user.empty()) c["user"] = login.user;
    if (!login.password.empty()) c["pass"] = login.password;
    return "CONNECT " + c.dump() + "\r\n";
  }

  NatsTarget t_;
  std::shared_ptr<const Redactor> redactor_;
};

// nats.go splits a server list on ',' and trims each; a server without a
// scheme is nats://.
Result<Target> read_nats(std::string_view text) {
  Target merged;
  std::vector<std::string> shown;
  std::vector<Login> logins;
  for (size_t start = 0; start <= text.size();) {
    size_t comma = std::min(text.find(',', start), text.size());
    std::string part = trim(text.substr(start, comma - start));
    start = comma + 1;
    if (part.empty()) continue;
    if (part.find("://") == std::string::npos) part = "nats://" + part;
    auto one = read_url_target(kNatsProbeType, part);
    if (!one.ok()) return one;
    logins.push_back({one->user, one->password});
    if (merged.endpoints.empty()) {
      merged = *one;
    } else {
      merged.endpoints.push_back(one->endpoints.front());
      merged.secrets.insert(merged.secrets.end(), one->secrets.begin(), one->secrets.end());
      if (merged.user.empty() && !merged.password) {
        merged.user = one->user;
        merged.password = one->password;
      }
      if (one->tls.use != merged.tls.use) {
        return fail(FailureKind::invalid_config, "the server list mixes nats:// and tls://", "use one scheme for every server");
      }
    }
    shown.push_back(one->shown);
  }
  if (merged.endpoints.empty()) return fail(FailureKind::invalid_config, "the server list is empty", "write nats://host:4222");
  merged.shown = fmt::format("{}", fmt::join(shown, ","));
  // nats.go logs in to each server with its own URL's credentials (and the
  // options' when that URL has none): one written on one URL only is not
  // sent to the others.
  if (std::any_of(logins.begin(), logins.end(), [&](const Login& l) { return !(l == logins.front()); })) {
    merged.endpoint_logins = std::move(logins);
  }
  return merged;
}

Result<std::unique_ptr<Probe>> make_nats_probe(const ProbeInput& in) {
  NatsTarget t;
  t.servers = in.target.endpoints;
  t.tls = in.target.tls.use == TlsUse::required;
  t.ca_file = in.target.tls.ca_file;
  t.added_ca = in.target.tls.added_ca;
  t.insecure_skip_verify = !in.target.tls.verify;
  // nats://TOKEN@host: a user name without a password is a token. The
  // check's token (and user and password fields, applied by the reader)
  // stand for the options, used where a server's URL has no credentials.
  const std::string field_token = string_field(in.fields, "token");
  auto login_of = [&](const std::string& user, const std::optional<std::string>& password) {
    NatsLogin login;
    login.token = field_token;
    if (password) {
      login.user = user;
      login.password = *password;
    } else if (login.token.empty()) {
      login.token = user;
    }
    return login;
  };
  const std::string field_user = string_field(in.fields, "user"), field_password = string_field(in.fields, "password");
  const std::optional<std::string> field_password_given =
      field_password.empty() ? std::nullopt : std::optional<std::string>(field_password);
  for (size_t i = 0; i < t.servers.size(); ++i) {
    if (i >= in.target.endpoint_logins.size()) {
      t.logins.push_back(login_of(in.target.user, in.target.password));
      continue;
    }
    const Login& own = in.target.endpoint_logins[i];
    const bool bare = own.user.empty() && !own.password;
    t.logins.push_back(bare ? login_of(field_user, field_password_given) : login_of(own.user, own.password));
  }
  return std::unique_ptr<Probe>(std::make_unique<NatsProbe>(std::move(t), in.redactor));
}

}  // namespace

// nats_profile.cc
void offer_nats_checks(const ProfileVariables& vars, std::vector<ProfileOffer>& out);

extern const ProbeType kNatsProbeType{
    .name = "nats",
    .schemes = {{"nats", 4222}, {"tls", 4222, true}},
    .fields = {{"token", FieldType::string, true},
               {"user", FieldType::string},
               {"password", FieldType::string, true},
               {"ca_file", FieldType::string},
               {"insecure_skip_verify", FieldType::boolean}},
    .make = make_nats_probe,
    .read = read_nats,
    .ca_field = "ca_file",
    .cleartext_advice = [](const Target& t) -> std::optional<std::string> {
      if (t.tls.use == TlsUse::required) return std::nullopt;
      return "the token or password in CONNECT, and every message; use tls:// when the server offers it";
    },
    .offer = offer_nats_checks,
    .health_names = {"nats"},
};

}  // namespace preflight
