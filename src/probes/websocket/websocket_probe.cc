// ws:// and wss:// — HTTP/1.1 Upgrade over the shared transport, the accept
// key verified, then a masked ping that must be answered by a pong, then a
// clean close.
#include <algorithm>
#include <cctype>
#include <random>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "net/connection.h"
#include "base/duration.h"
#include "base/redact.h"
#include "base/text.h"
#include "probes/google_identity.h"
#include "probes/http/http_status.h"
#include "probes/probe_types.h"
#include "probes/http/http_head.h"
#include "probes/redis/resp.h"
#include "probes/websocket/websocket_frame.h"

namespace preflight {
namespace {

using json = nlohmann::json;
using http::ResponseHead;

constexpr size_t kMaxResponseHead = 16 * 1024;
constexpr std::string_view kPingPayload = "preflight";
// A refusal's body is read this far, and waited for at most this long: its
// reason ("origin not allowed") is worth a moment, not the phase.
constexpr size_t kReasonBytes = 200;
constexpr Millis kReasonWait{200};

struct WebSocketTarget {
  std::string host;
  uint16_t port = 80;
  std::string path;  // with query
  net::TlsOptions tls;
  std::string subprotocol;
  std::vector<std::pair<std::string, std::string>> headers;
  bool ping = true;
  std::string audience;  // set: send a Google identity token for it
};

class WebSocketProbe final : public Probe {
 public:
  WebSocketProbe(WebSocketTarget target, std::shared_ptr<const Redactor> redactor)
      : t_(std::move(target)), redactor_(std::move(redactor)) {}

  Status attempt(Deadline deadline, const CancelToken& cancel) const override {
    if (t_.audience.empty()) return exchange({}, deadline, cancel);
    return with_identity_token(*identity_, t_.audience, deadline, cancel,
                               [&](const std::string& bearer) { return exchange(bearer, deadline, cancel); });
  }

 private:
  // One upgrade, ping and close; `authorization` is the header's value, if any.
  Status exchange(const std::string& authorization, Deadline deadline, const CancelToken& cancel) const {
    auto conn = net::Connection::open(t_.host, t_.port, t_.tls, deadline, cancel);
    if (!conn.ok()) return Unexpected<Failure>{conn.error()};
    std::random_device entropy;
    std::mt19937 rng(entropy());
    std::string raw_key(16, '\0');
    for (char& c : raw_key) c = static_cast<char>(rng() & 0xFF);
    const std::string key = base64_encode(raw_key);

    if (auto sent = conn->send_all(upgrade_request(key, authorization), deadline, cancel); !sent.ok()) return sent;
    std::string buffer;
    char chunk[4096];
    size_t head_end = std::string::npos;
    while ((head_end = buffer.find("\r\n\r\n")) == std::string::npos) {
      if (buffer.size() > kMaxResponseHead) {
        return fail(FailureKind::protocol, fmt::format("{} sent over {} bytes without ending its response headers", conn->peer(), kMaxResponseHead));
      }
      auto got = conn->receive(chunk, sizeof chunk, deadline, cancel);
      if (!got.ok()) return Unexpected<Failure>{got.error()};
      buffer.append(chunk, *got);
    }
    ResponseHead head = http::parse_head(std::string_view(buffer).substr(0, head_end));
    if (head.status != 101 && head.status != 0) {
      std::string body = buffer.substr(head_end + 4);
      read_reason(*conn, head, body, deadline, cancel);
      return Unexpected<Failure>{refusal(head, body, conn->peer())};
    }
    if (auto bad = check_handshake(head, key, conn->peer()); !bad.ok()) return Unexpected<Failure>{at_stage(bad.error(), Stage::reply)};
    if (!t_.ping) return close(*conn, deadline, cancel);

    ws::FrameDecoder decoder(/*masked=*/false);
    decoder.feed(std::string_view(buffer).substr(head_end + 4));
    if (auto sent = conn->send_all(ws::encode_frame(ws::Opcode::ping, kPingPayload, mask(rng)), deadline, cancel); !sent.ok()) return sent;
    for (;;) {
      auto frame = decoder.next();
      if (!frame.ok()) return Unexpected<Failure>{frame.error()};
      if (!*frame) {
        auto got = conn->receive(chunk, sizeof chunk, deadline, cancel);
        if (!got.ok()) {
          Failure f = got.error();
          if (f.kind == FailureKind::timeout) {
            f = {FailureKind::unhealthy, fmt::format("{} completed the handshake but sent no pong before the deadline", conn->peer()), {}};
          }
          return Unexpected<Failure>{f};
        }
        decoder.feed({chunk, *got});
        continue;
      }
      const ws::Frame& f = **frame;
      if (f.opcode == ws::Opcode::pong && f.payload == kPingPayload) return close(*conn, deadline, cancel);
      if (f.opcode == ws::Opcode::close) {
        unsigned code = f.payload.size() >= 2 ? (static_cast<uint8_t>(f.payload[0]) << 8) | static_cast<uint8_t>(f.payload[1]) : 1005;
        return fail(FailureKind::unhealthy, fmt::format("{} closed the WebSocket (code {}) instead of answering the ping: \"{}\"",
                                                        conn->peer(), code, redactor_->excerpt(f.payload.size() > 2 ? f.payload.substr(2) : "")));
      }
      if (f.opcode == ws::Opcode::ping) {
        // Answer the server's own keepalive; it may come before our pong.
        if (auto sent = conn->send_all(ws::encode_frame(ws::Opcode::pong, f.payload, mask(rng)), deadline, cancel); !sent.ok()) return sent;
      }
      // Data frames (a welcome message, fragments) are not what we wait for.
    }
  }

  static std::array<uint8_t, 4> mask(std::mt19937& rng) {
    auto m = static_cast<uint32_t>(rng());
    return {static_cast<uint8_t>(m), static_cast<uint8_t>(m >> 8), static_cast<uint8_t>(m >> 16), static_cast<uint8_t>(m >> 24)};
  }

  std::string upgrade_request(const std::string& key, const std::string& authorization) const {
    const std::string host = host_in_url(t_.host);
    std::string req = fmt::format(
        "GET {} HTTP/1.1\r\nHost: {}:{}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: {}\r\n"
        "Sec-WebSocket-Version: 13\r\nUser-Agent: preflight/{}\r\n",
        t_.path, host, t_.port, key, PREFLIGHT_VERSION);
    if (!t_.subprotocol.empty()) req += fmt::format("Sec-WebSocket-Protocol: {}\r\n", t_.subprotocol);
    for (const auto& [name, value] : t_.headers) req += fmt::format("{}: {}\r\n", name, value);
    if (!authorization.empty()) req += fmt::format("Authorization: {}\r\n", authorization);
    return req + "\r\n";
  }

  // Reads more of a refusal's body until it holds its reason, the body ends,
  // or kReasonWait passes; a failure to read only leaves the reason shorter.
  static void read_reason(net::Connection& conn, const ResponseHead& head, std::string& body, Deadline deadline,
                          const CancelToken& cancel) {
    const Deadline wait = Deadline::after(kReasonWait).earlier(deadline);
    char chunk[512];
    while (!http::body_prefix_complete(head, body, kReasonBytes) && body.size() < kMaxResponseHead) {
      auto got = conn.receive(chunk, sizeof chunk, wait, cancel);
      if (!got.ok()) return;
      body.append(chunk, *got);
    }
  }

  // 5xx and 429 can pass by themselves (a gateway whose backend is still
  // starting); 401/403 need credentials; any other answer means this is not
  // a WebSocket endpoint (a 400 page, a 404 for a wrong path). The body's
  // first bytes are the server's reason ("origin not allowed").
  Failure refusal(const ResponseHead& head, std::string_view body, const std::string& peer) const {
    FailureKind kind = head.status == 401 || head.status == 403                         ? FailureKind::auth
                       : head.status >= 500 || head.status == 429 || head.status == 408 ? FailureKind::unhealthy
                                                                                        : FailureKind::protocol;
    std::string reason = trim(http::body_prefix(head, body, kReasonBytes));
    Failure f{kind, fmt::format("{} refused the WebSocket upgrade: \"{}\"{}", peer, redactor_->excerpt(head.status_line),
                                reason.empty() ? "" : fmt::format(", saying \"{}\"", redactor_->excerpt(reason, kReasonBytes)))};
    f.cause = http_status_cause(head.status);
    return at_stage(std::move(f), Stage::reply, std::to_string(head.status));
  }

  Status check_handshake(const ResponseHead& head, const std::string& key, const std::string& peer) const {
    if (head.status == 0) {
      return fail(FailureKind::protocol, fmt::format("{} did not answer with HTTP: \"{}\"", peer, redactor_->excerpt(head.status_line)));
    }
    if (to_lower(head.header("upgrade")) != "websocket") {
      return fail(FailureKind::protocol, fmt::format("{} answered 101 without \"Upgrade: websocket\"", peer));
    }
    std::string accept = head.header("sec-websocket-accept");
    if (accept != ws::accept_key(key)) {
      return fail(FailureKind::protocol, fmt::format("{} sent a wrong Sec-WebSocket-Accept (\"{}\"): not a WebSocket server, or a proxy "
                                                     "that mangles the handshake", peer, redactor_->excerpt(accept)));
    }
    if (!t_.subprotocol.empty() && head.header("sec-websocket-protocol") != t_.subprotocol) {
      return fail(FailureKind::protocol, fmt::format("{} did not accept subprotocol \"{}\"", peer, t_.subprotocol));
    }
    return {};
  }

  static Status close(net::Connection& conn, Deadline deadline, const CancelToken& cancel) {
    // Status 1000 (normal closure); the server's close reply is not awaited.
    std::mt19937 rng(std::random_device{}());
    static_cast<void>(conn.send_all(ws::encode_frame(ws::Opcode::close, std::string("\x03\xe8", 2), mask(rng)), deadline, cancel));
    return {};
  }

  WebSocketTarget t_;
  std::shared_ptr<const Redactor> redactor_;
  std::shared_ptr<GoogleIdentity> identity_ = std::make_shared<GoogleIdentity>(redactor_);
};

Result<std::unique_ptr<Probe>> make_websocket_probe(const ProbeInput& in) {
  WebSocketTarget t;
  const Url& url = in.url();
  t.host = url.host;
  t.tls.enabled = in.target.tls.use == TlsUse::required;
  t.port = in.target.endpoints.front().port;
  t.path = url.path.empty() ? "/" : url.path;
  if (!url.query.empty()) t.path += "?" + url.query;
  t.subprotocol = in.fields.value("subprotocol", "");
  t.ping = in.fields.value("ping", true);
  t.tls.ca_file = in.target.tls.ca_file;
  t.tls.added_ca = in.target.tls.added_ca;
  t.tls.insecure_skip_verify = !in.target.tls.verify;
  if (auto h = in.fields.find("headers"); h != in.fields.end()) {
    for (const auto& [name, value] : h->items()) {
      if (!value.is_string()) return fail(FailureKind::invalid_config, fmt::format("headers/{}: expected a string", name));
      t.headers.emplace_back(name, value.get<std::string>());
    }
  }
  auto audience = token_audience(in.fields, url, t.tls.enabled);
  if (!audience.ok()) return Unexpected<Failure>{audience.error()};
  t.audience = *audience;
  if (!t.tls.enabled && (!t.tls.ca_file.empty() || t.tls.insecure_skip_verify)) {
    return fail(FailureKind::invalid_config, "ca_file and insecure_skip_verify need a wss:// (or https://) URL");
  }
  return std::unique_ptr<Probe>(std::make_unique<WebSocketProbe>(std::move(t), in.redactor));
}

}  // namespace

// websocket_profile.cc
void offer_websocket_checks(const ProfileVariables& vars, std::vector<ProfileOffer>& out);

extern const ProbeType kWebSocketProbeType{
    .name = "websocket",
    // ws >= 8 and socket.io-client take http(s):// for ws(s):// on the
    // same host, port and path.
    .schemes = {{"ws", 80}, {"wss", 443, true}, {"http", 80}, {"https", 443, true}},
    .fields = {{"subprotocol", FieldType::string},
               {"headers", FieldType::object, true},
               {"ping", FieldType::boolean},
               {"ca_file", FieldType::string},
               {"insecure_skip_verify", FieldType::boolean},
               {"auth", FieldType::string},
               {"audience", FieldType::string}},
    .make = make_websocket_probe,
    .ca_field = "ca_file",
    .cleartext_advice = [](const Target& t) -> std::optional<std::string> {
      if (t.tls.use != TlsUse::required) return "the upgrade request; use wss://";
      return std::nullopt;
    },
    .hint = http_status_hint,
    .offer = offer_websocket_checks,
};

}  // namespace preflight
