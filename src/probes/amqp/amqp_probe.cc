// amqp://, amqps:// (and Celery's pyamqp://, librabbitmq://) — AMQP 0-9-1's
// connection handshake over the shared transport: protocol header, Start,
// Start-Ok with PLAIN credentials, Tune, Tune-Ok, Open of the virtual host,
// Open-Ok, then Close. Written on the transport rather than with
// librabbitmq: its calls block in its own socket code, where neither the
// phase deadline nor a signal can stop them, and this is seven frames.
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <nlohmann/json.hpp>

#include "net/connection.h"
#include "base/text.h"
#include "base/url.h"
#include "base/redact.h"
#include "probes/amqp/amqp_frame.h"
#include "probes/common_hints.h"
#include "probes/probe_types.h"
#include "probes/redis/resp.h"

namespace preflight {

extern const ProbeType kAmqpProbeType;

namespace {

struct AmqpTarget {
  // More than one from kombu's "url1;url2" failover list, tried in order.
  std::vector<Endpoint> endpoints;
  net::TlsOptions tls;
  std::string user, password, vhost;
};

// The reply codes of Connection.Close (AMQP 0-9-1, section 1.2): 403
// ACCESS_REFUSED is a login refused; 530 NOT_ALLOWED a virtual host that
// does not exist or that this user may not open; 320 CONNECTION_FORCED a
// broker shutting down.
Failure closed_by_server(const amqp::Close& close, std::string_view during, const std::string& peer,
                         const Redactor& redactor) {
  std::string message = fmt::format("{} closed the connection during {}: {} {}", peer, during, close.code,
                                    redactor.excerpt(close.text, 200));
  FailureKind kind = close.code == 403                                                           ? FailureKind::auth
                     : close.code == 530 && close.text.find("not found") != std::string::npos ? FailureKind::invalid_config
                     : close.code == 530                                                         ? FailureKind::auth
                     : close.code == 320                                                         ? FailureKind::unhealthy
                                                                                                 : FailureKind::protocol;
  // RabbitMQ's words: "vhost x not found", "access to vhost 'x' refused for user 'u'".
  Cause cause = close.code == 403                                                           ? Cause::credentials_rejected
                : close.code == 530 && close.text.find("not found") != std::string::npos ? Cause::no_such_database
                : close.code == 530                                                         ? Cause::missing_permission
                : close.code == 320                                                         ? Cause::shutting_down
                                                                                            : Cause::none;
  // The code's name, as the broker words it: a bare 403 would read as HTTP's.
  std::string code = close.code == 403 ? "ACCESS_REFUSED" : close.code == 530 ? "NOT_ALLOWED"
                     : close.code == 320 ? "CONNECTION_FORCED" : std::to_string(close.code);
  Failure f{kind, std::move(message), {}, during == "login" ? Stage::login : Stage::query, std::move(code)};
  f.cause = cause;
  return f;
}

// What to do, by the cause the broker's Connection.Close named, with where
// the URL's parts came from (CELERY_BROKER_URL in .env:3).
std::string amqp_hint(const Failure& f, const HintContext& c) {
  const std::string user = c.target ? c.target->user : std::string();
  // The virtual host is the URL's path, percent-decoded; empty is "/".
  std::string vhost = "/";
  if (c.target && c.target->url.path.size() > 1) {
    vhost = percent_decode(std::string_view(c.target->url.path).substr(1)).value_or(c.target->url.path);
  }
  switch (f.cause) {
    case Cause::credentials_rejected:
      if (c.target && c.target->user.empty() && !c.target->password) {
        return fmt::format("the URL{} has no user, so guest/guest was sent (kombu's default), which RabbitMQ accepts "
                           "only from localhost: put the user and password in the URL (amqp://USER:PASSWORD@host/vhost)",
                           c.url_source);
      }
      return rejected_password_hint(
          c, fmt::format(" RabbitMQ refuses an unknown user in the same words: the user {} is {}; "
                         "`rabbitmqctl authenticate_user {} PASSWORD` on the broker tells the two apart.",
                         user, c.origin("user"), user));
    case Cause::no_such_database:
      return fmt::format("the virtual host {}, the URL's path{}, does not exist on this broker: fix the path (%2F for "
                         "/), or create it (rabbitmqctl add_vhost {})",
                         vhost, c.url_source, vhost);
    case Cause::missing_permission:
      return fmt::format("the user {} may not open the virtual host {}, the URL's path{}: rabbitmqctl set_permissions "
                         "-p {} {} '.*' '.*' '.*'",
                         user.empty() ? "guest" : user, vhost, c.url_source, vhost, user.empty() ? "guest" : user);
    default: return "";
  }
}

class AmqpProbe final : public Probe {
 public:
  AmqpProbe(AmqpTarget target, std::shared_ptr<const Redactor> redactor)
      : t_(std::move(target)), redactor_(std::move(redactor)) {}

  Status attempt(Deadline deadline, const CancelToken& cancel) const override {
    Status last;
    for (const Endpoint& broker : t_.endpoints) {
      last = attempt_at(broker, deadline, cancel);
      // kombu's failover: the next broker only when this one cannot be reached.
      if (last.ok() || t_.endpoints.size() == 1) return last;
      const Failure& f = last.error();
      if (f.stage != Stage::resolve && f.stage != Stage::connect && f.kind != FailureKind::connection_refused) return last;
    }
    Failure f = last.error();
    f.message = fmt::format("none of the brokers {} could be reached: {}", join_endpoints(t_.endpoints), f.message);
    return Unexpected<Failure>{std::move(f)};
  }

 private:
  Status attempt_at(const Endpoint& broker, Deadline deadline, const CancelToken& cancel) const {
    auto conn = net::Connection::open(broker, t_.tls, deadline, cancel);
    if (!conn.ok()) return Unexpected<Failure>{conn.error()};
    if (auto sent = conn->send_all(amqp::kProtocolHeader, deadline, cancel); !sent.ok()) return sent;
    amqp::FrameReader reader;

    auto start = next_method(*conn, reader, deadline, cancel, "the greeting");
    if (!start.ok()) return Unexpected<Failure>{start.error()};
    if (!start->method().is(amqp::Method::start)) return unexpected(start->method(), "Connection.Start", conn->peer());
    auto mechanisms = amqp::start_mechanisms(start->method().arguments);
    if (!mechanisms.ok()) return Unexpected<Failure>{mechanisms.error()};
    if (mechanisms->find("PLAIN") == std::string::npos) {
      return fail(FailureKind::invalid_config, fmt::format("{} offers no PLAIN login (it offers \"{}\")", conn->peer(),
                                                           redactor_->excerpt(*mechanisms)));
    }
    if (auto sent = conn->send_all(amqp::start_ok(t_.user, t_.password), deadline, cancel); !sent.ok()) return sent;

    auto tune = next_method(*conn, reader, deadline, cancel, "login");
    if (!tune.ok()) return Unexpected<Failure>{tune.error()};
    if (!tune->method().is(amqp::Method::tune)) return unexpected(tune->method(), "Connection.Tune", conn->peer(), Stage::login);
    auto limits = amqp::read_tune(tune->method().arguments);
    if (!limits.ok()) return Unexpected<Failure>{limits.error()};
    const uint32_t frame_max = limits->frame_max == 0 ? 131072 : limits->frame_max;
    if (auto sent = conn->send_all(amqp::tune_ok(limits->channel_max, frame_max) + amqp::open(t_.vhost), deadline, cancel); !sent.ok()) {
      return sent;
    }

    auto opened = next_method(*conn, reader, deadline, cancel, "the opening of the virtual host");
    if (!opened.ok()) return Unexpected<Failure>{opened.error()};
    if (opened->method().is(amqp::Method::blocked)) {
      return Unexpected<Failure>{Failure{FailureKind::unhealthy,
                                         fmt::format("{} blocks its clients (Connection.Blocked): a memory or disk alarm", conn->peer()),
                                         "the broker is out of memory or disk: free some, or raise its watermarks", Stage::query, "blocked"}};
    }
    if (!opened->method().is(amqp::Method::open_ok)) {
      return unexpected(opened->method(), "Connection.Open-Ok", conn->peer());
    }
    static_cast<void>(conn->send_all(amqp::close(), deadline, cancel));  // the broker's Close-Ok is not awaited
    return {};
  }

  // A method frame that owns its bytes: the view is taken when asked for,
  // never kept across a move (a short payload lives inside the string).
  struct Received {
    std::string payload;
    amqp::MethodFrame method() const { return amqp::read_method(payload).value(); }
  };

  // The next method frame on channel 0; heartbeats are skipped, and a
  // Connection.Close becomes the failure it reports.
  Result<Received> next_method(net::Connection& conn, amqp::FrameReader& reader, Deadline deadline, const CancelToken& cancel,
                               std::string_view during) const {
    char chunk[4096];
    for (;;) {
      auto frame = reader.next();
      if (!frame.ok()) return Unexpected<Failure>{frame.error()};
      if (*frame && (*frame)->type == amqp::FrameType::method) {
        Received r{std::move((*frame)->payload)};
        auto method = amqp::read_method(r.payload);
        if (!method.ok()) return Unexpected<Failure>{method.error()};
        if (method->is(amqp::Method::close)) {
          auto close = amqp::read_close(method->arguments);
          if (!close.ok()) return Unexpected<Failure>{close.error()};
          return Unexpected<Failure>{closed_by_server(*close, during, conn.peer(), *redactor_)};
        }
        return r;
      }
      if (*frame) continue;  // a heartbeat or content frame: not for us
      // A server that speaks another version answers with its own header.
      if (reader.buffered().starts_with("AMQP") && reader.buffered().size() >= 8) {
        return fail(FailureKind::protocol, fmt::format("{} speaks another AMQP version (it answered \"{}\"): AMQP 0-9-1 is "
                                                       "what RabbitMQ and Celery use",
                                                       conn.peer(), redactor_->excerpt(reader.buffered().substr(0, 8))));
      }
      auto got = conn.receive(chunk, sizeof chunk, deadline, cancel);
      if (!got.ok()) {
        Failure f = got.error();
        // Without authentication_failure_close, a broker refuses a login by
        // closing the socket.
        if (during == "login" && f.kind == FailureKind::protocol) {
          f = {FailureKind::auth, fmt::format("{} closed the connection after the login: the user or password was refused", conn.peer()),
               {}, Stage::login, {}};
        } else if (f.kind == FailureKind::protocol && !reader.buffered().empty()) {
          f.message += fmt::format(": it had sent \"{}\"", redactor_->excerpt(reader.buffered()));
        }
        return Unexpected<Failure>{f};
      }
      reader.feed({chunk, *got});
    }
  }

  static Status unexpected(const amqp::MethodFrame& m, std::string_view wanted, const std::string& peer,
                           Stage stage = Stage::reply) {
    return Unexpected<Failure>{at_stage({FailureKind::protocol, fmt::format("{} sent method {}.{} where {} was due", peer, m.class_id,
                                                                            m.method_id, wanted)},
                                        stage)};
  }

  AmqpTarget t_;
  std::shared_ptr<const Redactor> redactor_;
};

// One broker URL, or kombu's failover list "amqp://h1//;amqp://h2//" (Celery's
// broker_url): every broker that shares the first one's login, virtual host
// and TLS is an endpoint, tried in order; one that does not is listed as
// ignored, since the check logs in once, as the first.
Result<Target> read_amqp(std::string_view text) {
  const std::vector<std::string_view> urls = split(text, ';');
  auto first = read_url_target(kAmqpProbeType, trim(urls.front()));
  if (!first.ok() || urls.size() == 1) return first;
  Target& t = *first;
  t.form = "broker list (kombu failover)";
  std::vector<std::string> shown = {t.shown};
  for (size_t i = 1; i < urls.size(); ++i) {
    if (trim(urls[i]).empty()) continue;
    auto other = read_url_target(kAmqpProbeType, trim(urls[i]));
    if (!other.ok()) {
      Failure f = other.error();
      f.message = fmt::format("broker URL {}: {}", i + 1, f.message);
      return Unexpected<Failure>{std::move(f)};
    }
    for (auto& secret : other->secrets) t.secrets.push_back(std::move(secret));
    shown.push_back(other->shown);
    const bool same_login = other->user == t.user && other->password == t.password && other->url.path == t.url.path &&
                            other->tls.use == t.tls.use;
    if (same_login) {
      t.endpoints.push_back(other->endpoints.front());
    } else {
      t.ignored.push_back(fmt::format("broker URL {} (its user, password, virtual host or TLS differ from the first's)", i + 1));
    }
  }
  t.shown = fmt::format("{}", fmt::join(shown, ";"));
  return first;
}

Result<std::unique_ptr<Probe>> make_amqp_probe(const ProbeInput& in) {
  const Target& target = in.target;
  AmqpTarget t;
  t.endpoints = target.endpoints;
  t.tls.enabled = target.tls.use == TlsUse::required;
  t.tls.ca_file = target.tls.ca_file;
  t.tls.added_ca = target.tls.added_ca;
  t.tls.insecure_skip_verify = !target.tls.verify;
  // kombu's (Celery's) defaults: guest/guest, and the path without its
  // leading slash as the virtual host ("//" is "/"; none at all is "/").
  const bool guest = target.user.empty() && !target.password;
  t.user = guest ? "guest" : target.user;
  t.password = target.password.value_or(target.user.empty() ? "guest" : "");
  const std::string& path = in.url().path;
  auto vhost = percent_decode(path.size() > 1 ? std::string_view(path).substr(1) : std::string_view());
  if (!vhost) return fail(FailureKind::invalid_config, "the virtual host (the URL's path) has a broken %-escape");
  t.vhost = vhost->empty() ? "/" : *vhost;
  return std::unique_ptr<Probe>(std::make_unique<AmqpProbe>(std::move(t), in.redactor));
}

}  // namespace

// amqp_profile.cc
void offer_amqp_checks(const ProfileVariables& vars, std::vector<ProfileOffer>& out);

extern const ProbeType kAmqpProbeType{
    .name = "amqp",
    .schemes = {{"amqp", 5672}, {"amqps", 5671, true}, {"pyamqp", 5672}, {"librabbitmq", 5672}},
    .fields = {{"password", FieldType::string, true},
               {"username", FieldType::string},
               {"ca_file", FieldType::string},
               {"insecure_skip_verify", FieldType::boolean}},
    .make = make_amqp_probe,
    .read = read_amqp,
    .ca_field = "ca_file",
    .cleartext_advice = [](const Target& t) -> std::optional<std::string> {
      if (t.tls.use == TlsUse::required) return std::nullopt;
      return "the broker's user and password (PLAIN login) and every message; use amqps://";
    },
    .hint = amqp_hint,
    .offer = offer_amqp_checks,
    .health_names = {"rabbit", "rabbitmq", "amqp", "broker"},
};

}  // namespace preflight
