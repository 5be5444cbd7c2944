// grpc:// and grpcs:// — the standard health check, grpc.health.v1.Health/
// Check, over HTTP/2 through libcurl (cleartext with prior knowledge, or TLS
// with ALPN h2): SERVING passes; every other answer is named with the
// server's grpc-status and grpc-message.
#include <algorithm>
#include <charconv>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "net/accepts.h"
#include "net/certificate_watch.h"
#include "net/curl_multi.h"
#include "net/curl_response.h"
#include "probes/grpc/grpc_health.h"
#include "probes/grpc/grpc_target.h"
#include "probes/probe_types.h"
#include "probes/redis/resp.h"

namespace preflight {
namespace {

// A HealthCheckResponse is a few bytes; anything near this is not one.
constexpr size_t kMaxReply = 64 * 1024;

struct GrpcTarget {
  // More than one from an ipv4: or ipv6: list, which gRPC's default
  // pick_first policy tries in order.
  std::vector<Endpoint> endpoints;
  std::string shown;
  bool tls = false;
  std::string service;
  std::vector<std::string> metadata;  // "name: value"
  std::string ca_file, client_cert, client_key, server_name;
  std::vector<std::string> added_ca;
  bool insecure_skip_verify = false;
};

class GrpcProbe final : public Probe {
 public:
  GrpcProbe(GrpcTarget target, std::shared_ptr<const Redactor> redactor)
      : t_(std::move(target)), redactor_(std::move(redactor)), request_(grpc::health_check_request(t_.service)) {}

  Status attempt(Deadline deadline, const CancelToken& cancel) const override {
    Status last;
    for (size_t i = 0; i < t_.endpoints.size(); ++i) {
      last = attempt_at(t_.endpoints[i], deadline, cancel);
      // pick_first: the client keeps the first address it connects to,
      // and goes on only past one it cannot reach.
      if (last.ok() || t_.endpoints.size() == 1) return last;
      const Stage stage = last.error().stage;
      if (stage != Stage::resolve && stage != Stage::connect && last.error().kind != FailureKind::connection_refused) break;
    }
    Failure f = last.error();
    f.message = fmt::format("of the addresses {}, none served: {}", join_endpoints(t_.endpoints), f.message);
    return Unexpected<Failure>{std::move(f)};
  }

 private:
  Status attempt_at(const Endpoint& at, Deadline deadline, const CancelToken& cancel) const {
    const std::string& host = at.host;
    const uint16_t port = at.port;
    const std::string peer = at.display();
    net::curl_init_once();
    net::EasyHandle easy(curl_easy_init());
    if (!easy) return fail(FailureKind::protocol, "libcurl could not allocate a handle");
    char error_text[CURL_ERROR_SIZE] = {};
    net::CurlResponse reply(kMaxReply);
    net::SlistHandle headers;
    auto add_header = [&](const std::string& h) { headers.reset(curl_slist_append(headers.release(), h.c_str())); };
    add_header("content-type: application/grpc");
    add_header("te: trailers");
    // The server may stop working on the call when the check has given up.
    add_header(fmt::format("grpc-timeout: {}m", std::max<int64_t>(1, deadline.remaining_ms_for_poll())));
    add_header("Expect:");  // no "100-continue" round trip before the body
    for (const auto& m : t_.metadata) add_header(m);

    // With a server_name, the URL carries it (SNI, the certificate's name,
    // :authority) while the connection goes to the real host.
    // Over a Unix socket, gRPC's :authority is "localhost".
    const std::string url_host = !t_.server_name.empty() ? t_.server_name : at.is_socket() ? "localhost" : host_in_url(host);
    const std::string url = at.is_socket() ? fmt::format("{}://{}{}", t_.tls ? "https" : "http", url_host, grpc::kHealthCheckPath)
                                           : fmt::format("{}://{}:{}{}", t_.tls ? "https" : "http", url_host, port, grpc::kHealthCheckPath);
    net::SlistHandle connect_to;
    if (!t_.server_name.empty()) {
      connect_to.reset(curl_slist_append(nullptr, fmt::format("{}:{}:{}:{}", t_.server_name, port, host_in_url(host), port).c_str()));
    }

    CURL* e = easy.get();
    curl_easy_setopt(e, CURLOPT_URL, url.c_str());
    if (at.is_socket()) curl_easy_setopt(e, CURLOPT_UNIX_SOCKET_PATH, at.socket_path.c_str());
    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    // As in the HTTP check: a stalled lookup must not hold the attempt past its deadline.
    curl_easy_setopt(e, CURLOPT_QUICK_EXIT, 1L);
    curl_easy_setopt(e, CURLOPT_PROXY, "");
    curl_easy_setopt(e, CURLOPT_HTTP_VERSION, t_.tls ? CURL_HTTP_VERSION_2TLS : CURL_HTTP_VERSION_2_PRIOR_KNOWLEDGE);
    curl_easy_setopt(e, CURLOPT_ERRORBUFFER, error_text);
    curl_easy_setopt(e, CURLOPT_USERAGENT, "preflight/" PREFLIGHT_VERSION);
    curl_easy_setopt(e, CURLOPT_POSTFIELDS, request_.data());
    curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE, static_cast<long>(request_.size()));
    curl_easy_setopt(e, CURLOPT_HTTPHEADER, headers.get());
    if (connect_to) curl_easy_setopt(e, CURLOPT_CONNECT_TO, connect_to.get());
    curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, static_cast<long>(deadline.remaining_ms_for_poll()) + 1000);
    net::capture_response(e, reply);
    if (auto tls = net::set_tls_files(e, t_.ca_file, t_.added_ca, t_.client_cert, t_.client_key, t_.insecure_skip_verify); !tls.ok()) {
      return Unexpected<Failure>{tls.error()};
    }
    net::CertificateWatch watch;
    if (t_.tls) watch.attach(e);
    auto ran = net::run_transfer(e, reply, deadline, cancel, host, peer, t_.tls);
    if (!ran.ok()) return Unexpected<Failure>{ran.error()};
    CURLcode result = *ran;
    if (reply.body_too_large) {
      return fail(FailureKind::protocol, fmt::format("{} sent more than {} bytes: not a health check's reply", peer, kMaxReply));
    }
    // A server may answer before it has read the request, when the call
    // cannot proceed (no health service, no credentials), and reset the
    // stream (RFC 9113, 8.1). libcurl 7.88 then fails the upload of the
    // request message with a bare CURLE_HTTP2_STREAM (no error text) and
    // drops the answer unread unless it had already passed it on. A few
    // percent of calls lose that race on an idle machine, many more on a
    // busy one; the next attempt usually reads the answer.
    if (result == CURLE_HTTP2_STREAM && reply.headers.contains("grpc-status")) result = CURLE_OK;
    if (result == CURLE_HTTP2_STREAM && error_text[0] == '\0') {
      return Unexpected<Failure>{at_stage({FailureKind::unhealthy,
                                           fmt::format("{} ended the call before it read the request, and its answer was lost "
                                                       "(libcurl 7.88 drops an answer that overtakes the request)",
                                                       peer),
                                           "a server answers early when the call cannot proceed: no health service, or "
                                           "credentials missing or refused; the next attempt reads the answer"},
                                          Stage::reply)};
    }
    if (result == CURLE_HTTP2 || result == CURLE_HTTP2_STREAM || result == CURLE_WEIRD_SERVER_REPLY) {
      return Unexpected<Failure>{at_stage({FailureKind::protocol,
                                           fmt::format("{} does not speak HTTP/2 as gRPC needs: {}", peer,
                                                       error_text[0] ? error_text : curl_easy_strerror(result)),
                                           t_.tls ? "is this a gRPC server? A TLS server must offer h2 in ALPN"
                                                  : "is this a gRPC server, and does it take cleartext (h2c)? For TLS use grpcs://"},
                                          Stage::reply)};
    }
    if (result != CURLE_OK) {
      return Unexpected<Failure>{net::with_other_loopback(
          watch.with_facts(net::classify_curl_error(result, e, error_text, host, peer, t_.tls)), host, port, deadline, cancel)};
    }
    long http_version = 0, http_status = 0;
    curl_easy_getinfo(e, CURLINFO_HTTP_VERSION, &http_version);
    curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &http_status);
    if (http_version != CURL_HTTP_VERSION_2_0) {
      return Unexpected<Failure>{at_stage({FailureKind::protocol,
                                           fmt::format("{} answered in HTTP/1 (ALPN did not choose h2): not a gRPC server", peer),
                                           "check the port: a gRPC server over TLS offers h2"},
                                          Stage::reply, std::to_string(http_status))};
    }
    return read_reply(peer, http_status, reply);
  }

  Status read_reply(const std::string& peer, long http_status, const net::CurlResponse& reply) const {
    const std::string service = t_.service.empty() ? "the whole server (service \"\")" : fmt::format("service \"{}\"", t_.service);
    auto status_header = reply.headers.find("grpc-status");
    int code = 0;
    if (http_status != 200) {
      code = grpc::status_from_http(http_status);
    } else if (status_header == reply.headers.end()) {
      return Unexpected<Failure>{at_stage({FailureKind::protocol, fmt::format("{} ended the call without a grpc-status: not a gRPC server? (\"{}\")",
                                                                               peer, redactor_->excerpt(reply.body))},
                                          Stage::reply)};
    } else {
      auto [end, ec] = std::from_chars(status_header->second.data(), status_header->second.data() + status_header->second.size(), code);
      if (ec != std::errc() || end != status_header->second.data() + status_header->second.size()) {
        return Unexpected<Failure>{at_stage({FailureKind::protocol, fmt::format("{} sent grpc-status \"{}\", not a number", peer,
                                                                                 redactor_->excerpt(status_header->second))},
                                            Stage::reply)};
      }
    }
    if (code != 0) return Unexpected<Failure>{call_failed(code, http_status, reply, service)};
    auto serving = grpc::read_health_response(reply.body);
    if (!serving.ok()) return Unexpected<Failure>{at_stage(serving.error(), Stage::reply)};
    if (*serving == static_cast<int>(grpc::Serving::serving)) return {};
    const std::string name = grpc::serving_name(*serving);
    return Unexpected<Failure>{at_stage({FailureKind::unhealthy, fmt::format("{} reports {} for {}", t_.shown, name, service),
                                         *serving == static_cast<int>(grpc::Serving::not_serving)
                                             ? "the server says this service cannot take calls yet; it sets SERVING when it can"
                                             : ""},
                                        Stage::reply, name)};
  }

  Failure call_failed(int code, long http_status, const net::CurlResponse& reply, const std::string& service) const {
    const std::string name = grpc::status_code_name(code);
    std::string said;
    if (auto m = reply.headers.find("grpc-message"); m != reply.headers.end() && !m->second.empty()) {
      said = fmt::format(": \"{}\"", redactor_->excerpt(grpc::decode_message(m->second), 200));
    } else if (http_status != 200) {
      said = fmt::format(" (HTTP {}: \"{}\")", http_status, redactor_->excerpt(reply.body));
    }
    const std::string message = fmt::format("the health check of {} on {} failed with {}{}", service, t_.shown, name, said);
    auto failure = [&](FailureKind kind, std::string hint) { return at_stage({kind, message, std::move(hint)}, Stage::reply, name); };
    switch (code) {
      case 5: {  // NOT_FOUND: the health service does not know the name (yet); grpc_hint says where it is set
        Failure f = failure(FailureKind::unhealthy, "");
        f.cause = Cause::unknown_service;
        return f;
      }
      case 12:  // UNIMPLEMENTED
        return failure(FailureKind::invalid_config,
                       "the server has no grpc.health.v1.Health service: enable it (grpc::EnableDefaultHealthCheckService, "
                       "grpc-go's health.NewServer, grpcio-health-checking), or use a tcp check");
      case 7: case 16:  // PERMISSION_DENIED, UNAUTHENTICATED
        return failure(FailureKind::auth, "send the credentials the server expects as \"metadata\" (e.g. authorization)");
      case 1: case 4: case 8: case 10: case 14:  // CANCELLED, DEADLINE_EXCEEDED, RESOURCE_EXHAUSTED, ABORTED, UNAVAILABLE
        return failure(FailureKind::unhealthy, "");
      default: return failure(FailureKind::protocol, "");
    }
  }

  GrpcTarget t_;
  std::shared_ptr<const Redactor> redactor_;
  std::string request_;
};

std::optional<std::string> check_grpc_shape(const nlohmann::json& fields) {
  if (auto m = fields.find("metadata"); m != fields.end()) {
    for (const auto& [name, value] : m->items()) {
      if (!value.is_string()) return fmt::format("metadata/{}: expected a string", name);
      if (name.empty() || name.starts_with(':') || name.find_first_of(" \t\r\n") != std::string::npos) {
        return fmt::format("metadata/{}: not a metadata key", name);
      }
    }
  }
  return std::nullopt;
}

// The service asked about: the "service" field, else the URL's path
// without its slash (grpc://host:port/package.Service), else "" (the whole
// server).
std::string health_service(const nlohmann::json& fields, std::string_view url_path) {
  std::string service = string_field(fields, "service");
  if (service.empty() && url_path.size() > 1) service = std::string(url_path.substr(1));
  return service;
}

// Where the service name was set, named: the remedy is to change it there.
std::string grpc_hint(const Failure& f, const HintContext& c) {
  if (f.cause != Cause::unknown_service) return {};
  const bool in_field = !string_field(*c.fields, "service").empty();
  const auto url = parse_url(string_field(*c.fields, "url"));
  const std::string service = health_service(*c.fields, url.ok() ? std::string_view(url->path) : std::string_view());
  const std::string where = in_field ? fmt::format("the check's \"service\" field{}", c.named_source(service))
                                     : fmt::format("the URL's path{}", c.url_source);
  return fmt::format("the server's health service does not know \"{}\" (set in {}): the name is the fully-qualified "
                     "service (package.Service) the server registered with its health service, \"\" asks about the "
                     "whole server; a server that registers its services once started knows it when it is ready",
                     service, where);
}

Result<std::unique_ptr<Probe>> make_grpc_probe(const ProbeInput& in) {
  GrpcTarget t;
  t.endpoints = in.target.endpoints;
  t.shown = in.target.shown;
  t.tls = uses_tls(in.target);
  t.service = health_service(in.fields, in.url().path);
  if (auto m = in.fields.find("metadata"); m != in.fields.end()) {
    for (const auto& [name, value] : m->items()) t.metadata.push_back(fmt::format("{}: {}", name, value.get<std::string>()));
  }
  t.ca_file = in.target.tls.ca_file;
  t.added_ca = in.target.tls.added_ca;
  t.client_cert = string_field(in.fields, "client_cert");
  t.client_key = string_field(in.fields, "client_key");
  t.server_name = string_field(in.fields, "server_name");
  t.insecure_skip_verify = !in.target.tls.verify;
  if (!t.tls && (!t.ca_file.empty() || !t.client_cert.empty() || !t.server_name.empty() || t.insecure_skip_verify)) {
    return fail(FailureKind::invalid_config, "ca_file, client_cert, server_name and insecure_skip_verify need TLS: a grpcs:// URL, or \"tls\": true");
  }
  return std::unique_ptr<Probe>(std::make_unique<GrpcProbe>(std::move(t), in.redactor));
}

}  // namespace

// grpc_profile.cc
void offer_grpc_checks(const ProfileVariables& vars, std::vector<ProfileOffer>& out);

extern const ProbeType kGrpcProbeType{
    .name = "grpc",
    // gRPC has no registered port; grpc-go's default for a target without
    // one is 443, which only makes sense with TLS.
    .schemes = {{"grpc", 0}, {"grpcs", 443, true}},
    .fields = {{"service", FieldType::string},
               {"metadata", FieldType::object, true},
               {"ca_file", FieldType::string},
               {"client_cert", FieldType::string},
               {"client_key", FieldType::string},
               {"server_name", FieldType::string},
               {"insecure_skip_verify", FieldType::boolean},
               {"tls", FieldType::boolean}},
    .make = make_grpc_probe,
    .check_shape = check_grpc_shape,
    .read = read_grpc,
    // "tls": what a gRPC target cannot say, as grpc-health-probe's -tls.
    .apply_fields =
        [](Target& t, const nlohmann::json& fields) {
          if (auto tls = fields.find("tls"); tls != fields.end() && tls->is_boolean()) {
            t.tls.use = tls->get<bool>() ? TlsUse::required : TlsUse::off;
          }
        },
    .ca_field = "ca_file",
    .cleartext_advice = [](const Target& t) -> std::optional<std::string> {
      if (!uses_tls(t)) return "the calls and their metadata; use grpcs:// or \"tls\": true";
      return std::nullopt;
    },
    .lint_notes = [](const Target& t, bool) -> std::vector<std::string> {
      if (t.tls.use != TlsUse::client_default) return {};
      return {uses_tls(t) ? "a gRPC target does not say whether the channel uses TLS: checked with TLS, as on port 443; "
                            "set \"tls\": false if the client connects without it"
                          : "a gRPC target does not say whether the channel uses TLS: checked without it; set \"tls\": true "
                            "if the client uses TLS credentials"};
    },
    .hint = grpc_hint,
    .ca_variables = {"GRPC_DEFAULT_SSL_ROOTS_FILE_PATH"},
    .environment_ca_caveat = "gRPC's C core (grpcio, gRPC C++) reads none of SSL_CERT_FILE, SSL_CERT_DIR and "
                             "NODE_EXTRA_CA_CERTS, only its own roots or "
                             "GRPC_DEFAULT_SSL_ROOTS_FILE_PATH; grpc-js and grpc-go read them as preflight does",
    .offer = offer_grpc_checks,
};

}  // namespace preflight
