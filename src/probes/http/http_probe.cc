// http:// and https:// — one request through libcurl's multi interface,
// then expectations on the status, body, JSON and headers.
#include <algorithm>
#include <cctype>
#include <charconv>
#include <map>
#include <variant>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <nlohmann/json.hpp>

#include "net/accepts.h"
#include "net/certificate_watch.h"
#include "net/curl_multi.h"
#include "net/curl_response.h"
#include "net/resolve.h"
#include "base/redact.h"
#include "probes/google_identity.h"
#include "probes/http/health_body.h"
#include "probes/http/http_status.h"
#include "probes/http/login_wall.h"
#include "probes/http/value_matcher.h"
#include "probes/probe_types.h"
#include "probes/redis/resp.h"

namespace preflight {

extern const ProbeType kHttpProbeType;

namespace {

using json = nlohmann::json;

constexpr long kDefaultMaxBody = 1 << 20;
constexpr long kMaxMaxBody = 64L << 20;
// How much of a server error's text a failure shows: enough for a reason
// ("reason: dat..." was not).
constexpr size_t kServerErrorExcerpt = 300;
// A redirect's target, as much as tells where it goes.
constexpr size_t kLocationExcerpt = 200;

struct StatusRange {
  long low, high;
};

struct HttpTarget {
  std::string url;
  std::string path;  // the URL's, for a sign-in page that names it (?next=/health)
  std::string unix_socket;  // set: connect to this socket instead of the URL's host
  std::string shown;  // the URL for messages: credentials masked (Target::shown)
  std::string host, peer;
  uint16_t port = 0;
  bool tls = false;
  std::string method = "GET";
  std::vector<std::string> headers;  // "Name: value"
  std::string body;
  bool has_body = false;
  std::vector<StatusRange> status = {{200, 299}};
  // Text the body contains, or what the whole body (as a string) matches.
  std::optional<std::variant<std::string, ValueMatcher>> body_contains;
  std::vector<std::pair<json::json_pointer, ValueMatcher>> json_expect;
  // Lower-case name, and the text the value contains or what it matches.
  std::vector<std::pair<std::string, std::variant<std::string, ValueMatcher>>> header_expect;
  long max_body = kDefaultMaxBody;
  bool follow_redirects = false;
  std::string ca_file, client_cert, client_key;
  std::vector<std::string> added_ca;
  bool insecure_skip_verify = false;
  std::string audience;  // set: send a Google identity token for it ("auth": "google-id-token")
};

bool status_expected(const HttpTarget& t, long code) {
  return std::any_of(t.status.begin(), t.status.end(), [&](const StatusRange& r) { return code >= r.low && code <= r.high; });
}

class HttpProbe final : public Probe {
 public:
  HttpProbe(HttpTarget target, std::shared_ptr<const Redactor> redactor)
      : t_(std::move(target)), redactor_(std::move(redactor)) {}

  Status attempt(Deadline deadline, const CancelToken& cancel) const override {
    std::vector<std::string> unused;
    return attempt_noting(deadline, cancel, unused);
  }

  Status attempt_noting(Deadline deadline, const CancelToken& cancel, std::vector<std::string>& warnings) const override {
    long code = 0;
    Status st = t_.audience.empty()
                    ? exchange({}, deadline, cancel, code)
                    : with_identity_token(*identity_, t_.audience, deadline, cancel, [&](const std::string& bearer) {
                        return exchange("Authorization: " + bearer, deadline, cancel, code);
                      });
    // Accepted, but the route is not there: a range such as the built-in
    // profile's 200-499 (any answer means the service is up) let a guessed
    // or mistyped health path pass without checking anything of its health.
    // A config that lists 404 itself asked for it.
    const bool asked_for_404 = std::any_of(t_.status.begin(), t_.status.end(),
                                           [](const StatusRange& r) { return r.low == 404 && r.high == 404; });
    if (st.ok() && code == 404 && !asked_for_404) {
      warnings.push_back(fmt::format("{} answered 404: the service is up, but has no route at {}, so nothing of its "
                                     "health was checked; set \"health_path\" to its health route",
                                     t_.shown, t_.path.empty() ? "/" : t_.path));
    }
    return st;
  }

 private:
  Status exchange(const std::string& authorization, Deadline deadline, const CancelToken& cancel, long& code) const {
    net::curl_init_once();
    net::EasyHandle easy(curl_easy_init());
    if (!easy) return fail(FailureKind::protocol, "libcurl could not allocate a handle");
    char error_text[CURL_ERROR_SIZE] = {};
    net::CurlResponse x(static_cast<size_t>(t_.max_body));
    net::SlistHandle headers;
    for (const auto& h : t_.headers) headers.reset(curl_slist_append(headers.release(), h.c_str()));
    if (!authorization.empty()) headers.reset(curl_slist_append(headers.release(), authorization.c_str()));

    CURL* e = easy.get();
    curl_easy_setopt(e, CURLOPT_URL, t_.url.c_str());
    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    if (!t_.unix_socket.empty()) {
      curl_easy_setopt(e, CURLOPT_UNIX_SOCKET_PATH, t_.unix_socket.c_str());
      curl_easy_setopt(e, CURLOPT_PROXY, "");  // a local socket is never proxied
    }
    // A lookup still running at the deadline is left to finish on its own
    // thread: without this, removing the handle joins libcurl's resolver
    // thread and waits out getaddrinfo (5 s per lost DNS query).
    curl_easy_setopt(e, CURLOPT_QUICK_EXIT, 1L);
    curl_easy_setopt(e, CURLOPT_ERRORBUFFER, error_text);
    curl_easy_setopt(e, CURLOPT_USERAGENT, "preflight/" PREFLIGHT_VERSION);
    curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "");
    net::capture_response(e, x);
    curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, t_.follow_redirects ? 1L : 0L);
    curl_easy_setopt(e, CURLOPT_MAXREDIRS, 10L);
    // Our deadline governs; curl's own limit is only a backstop a little later.
    curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, static_cast<long>(deadline.remaining_ms_for_poll()) + 1000);
    if (headers) curl_easy_setopt(e, CURLOPT_HTTPHEADER, headers.get());
    if (t_.method == "HEAD") curl_easy_setopt(e, CURLOPT_NOBODY, 1L);
    else if (t_.method != "GET") curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, t_.method.c_str());
    if (t_.has_body) {
      curl_easy_setopt(e, CURLOPT_POSTFIELDS, t_.body.c_str());
      curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE, static_cast<long>(t_.body.size()));
    }
    if (auto tls = net::set_tls_files(e, t_.ca_file, t_.added_ca, t_.client_cert, t_.client_key, t_.insecure_skip_verify); !tls.ok()) {
      return Unexpected<Failure>{tls.error()};
    }
    net::CertificateWatch watch;
    if (t_.tls) watch.attach(e);
    // Proxies come from http_proxy / https_proxy / no_proxy, as libcurl reads them.
    auto ran = net::run_transfer(e, x, deadline, cancel, t_.host, t_.peer, t_.tls);
    if (!ran.ok()) return Unexpected<Failure>{ran.error()};
    const CURLcode result = *ran;
    if (x.body_too_large) {
      return fail(FailureKind::protocol, fmt::format("the response body from {} is larger than max_body ({} bytes)", t_.peer, t_.max_body));
    }
    if (result == CURLE_TOO_MANY_REDIRECTS) {
      return fail(FailureKind::protocol, fmt::format("{} redirects more than 10 times (a redirect loop?)", t_.shown));
    }
    if (result != CURLE_OK) {
      return Unexpected<Failure>{net::with_other_loopback(
          watch.with_facts(net::classify_curl_error(result, e, error_text, t_.host, t_.peer, t_.tls)), t_.host, t_.port, deadline, cancel)};
    }
    curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &code);
    // Followed redirects that end on a sign-in page: its 200 is the login
    // form's, not the health route's.
    long redirects = 0;
    char* landed = nullptr;
    curl_easy_getinfo(e, CURLINFO_REDIRECT_COUNT, &redirects);
    curl_easy_getinfo(e, CURLINFO_EFFECTIVE_URL, &landed);
    if (redirects > 0 && landed && redirects_to_sign_in(landed, t_.path)) {
      return Unexpected<Failure>{
          at_stage(behind_login(code, redactor_->excerpt(landed, kLocationExcerpt)), Stage::reply, std::to_string(code))};
    }
    auto checked = check_response(code, x);
    if (!checked.ok()) return Unexpected<Failure>{at_stage(checked.error(), Stage::reply, std::to_string(code))};
    return checked;
  }

  // A health body's reason, which its first bytes (the overall status)
  // do not carry: the failing components a JSON body names, each with its
  // reason; else more of a server error's text than of other answers.
  std::string what_the_body_says(long code, const std::string& body) const {
    std::vector<std::string> parts;
    for (const FailingComponent& c : failing_components(body)) {
      std::string part = c.name.empty() ? c.status : fmt::format("{} {}", c.name, c.status);
      if (!c.reason.empty()) part += fmt::format(": \"{}\"", reason_excerpt(c.reason));
      parts.push_back(redactor_->scrub(part));
    }
    if (!parts.empty()) return fmt::format("{}", fmt::join(parts, "; "));
    return fmt::format("\"{}\"", redactor_->excerpt(body, code >= 500 ? kServerErrorExcerpt : 40));
  }

  // Scrubbed whole, then cut: the start and the end of a long reason,
  // since an exception chain ends with its cause.
  std::string reason_excerpt(const std::string& reason) const {
    std::string text = redactor_->scrub(reason);
    for (char& c : text) {
      if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = ' ';  // one line, no terminal controls
    }
    if (text.size() <= kServerErrorExcerpt) return text;
    auto boundary = [&](size_t at) {  // not inside a UTF-8 character
      while (at > 0 && at < text.size() && (static_cast<unsigned char>(text[at]) & 0xC0) == 0x80) --at;
      return at;
    };
    const size_t head = boundary(kServerErrorExcerpt / 3), tail = boundary(text.size() - kServerErrorExcerpt * 2 / 3);
    return text.substr(0, head) + " ... " + text.substr(tail);
  }

  // No retry gets past a login: the health route must be exempt from it.
  Failure behind_login(long code, std::string_view sign_in) const {
    Failure f{FailureKind::invalid_config,
              fmt::format("{} answered HTTP {} redirecting to a sign-in page ({})", t_.shown, code, sign_in)};
    f.cause = Cause::login_wall;
    return f;
  }

  Status check_response(long code, const net::CurlResponse& x) const {
    if (!status_expected(t_, code)) {
      std::string where;
      if (code >= 300 && code < 400 && x.headers.contains("location")) {
        const std::string& location = x.headers.at("location");
        // A redirect may carry what the server made up for the user: a
        // token in its fragment, a signed URL's signature.
        const std::string shown = redactor_->excerpt(location, kLocationExcerpt);
        if (redirects_to_sign_in(location, t_.path)) return Unexpected<Failure>{behind_login(code, shown)};
        where = fmt::format(" (Location: {})", shown);
      }
      // 404 and 405 say the path or method is wrong, not that the service
      // is still starting: another attempt cannot change them.
      Failure f{code == 404 || code == 405 ? FailureKind::invalid_config : FailureKind::unhealthy,
                fmt::format("{} answered HTTP {}{}: {}", t_.shown, code, where, what_the_body_says(code, x.body))};
      f.cause = http_status_cause(code);
      for (const FailingComponent& c : failing_components(x.body)) {
        if (!c.name.empty()) f.failing_components.push_back(redactor_->scrub(c.name));
      }
      return Unexpected<Failure>{std::move(f)};
    }
    if (t_.body_contains) {
      const auto* text = std::get_if<std::string>(&*t_.body_contains);
      if (text && x.body.find(*text) == std::string::npos) {
        return fail(FailureKind::unhealthy, fmt::format("the body from {} does not contain \"{}\": \"{}\"", t_.shown,
                                                        *text, redactor_->excerpt(x.body)));
      }
      // A health body is read whole up to max_body; a pattern reads at most
      // kMaxBodyText of it, which bounds the time one match takes.
      constexpr size_t kMaxBodyText = 65536;
      if (!text && !std::get<ValueMatcher>(*t_.body_contains).matches(json(x.body), kMaxBodyText)) {
        return fail(FailureKind::unhealthy,
                    fmt::format("the body from {} is \"{}\", expected {}", t_.shown, redactor_->excerpt(x.body),
                                std::get<ValueMatcher>(*t_.body_contains).describe()));
      }
    }
    for (const auto& [name, expected] : t_.header_expect) {
      auto it = x.headers.find(name);
      const auto* contains = std::get_if<std::string>(&expected);
      const bool held = it != x.headers.end() && (contains ? it->second.find(*contains) != std::string::npos
                                                           : std::get<ValueMatcher>(expected).matches(json(it->second)));
      if (!held) {
        return fail(FailureKind::unhealthy,
                    fmt::format("header {} from {} is {} (expected it to {})", name, t_.shown,
                                it == x.headers.end() ? "missing" : "\"" + it->second + "\"",
                                contains ? fmt::format("contain \"{}\"", *contains)
                                         : "be " + std::get<ValueMatcher>(expected).describe()));
      }
    }
    if (!t_.json_expect.empty()) {
      json doc = json::parse(x.body, nullptr, false);
      if (doc.is_discarded()) {
        return fail(FailureKind::unhealthy, fmt::format("the body from {} is not JSON: \"{}\"", t_.shown, redactor_->excerpt(x.body)));
      }
      for (const auto& [pointer, expected] : t_.json_expect) {
        if (!doc.contains(pointer)) {
          return fail(FailureKind::unhealthy, fmt::format("{} in the JSON from {} is missing: \"{}\"", pointer.to_string(), t_.shown, redactor_->excerpt(x.body)));
        }
        if (!expected.matches(doc.at(pointer))) {
          return fail(FailureKind::unhealthy, fmt::format("{} in the JSON from {} is {}, expected {}", pointer.to_string(), t_.shown,
                                                          redactor_->prefix(doc.at(pointer).dump(), 200), expected.describe()));
        }
      }
    }
    return {};
  }

  HttpTarget t_;
  std::shared_ptr<const Redactor> redactor_;
  std::shared_ptr<GoogleIdentity> identity_ = std::make_shared<GoogleIdentity>(redactor_);
};

// What is wrong with an operator object as written; a pattern holding a
// ${...} reference is read only once interpolated.
std::optional<std::string> matcher_problem(const json& spec) {
  if (!ValueMatcher::is_operator(spec)) return std::nullopt;
  const json& operand = spec.begin().value();
  if (operand.is_string() && operand.get<std::string>().find("${") != std::string::npos) return std::nullopt;
  auto read = ValueMatcher::read(spec);
  if (!read.ok()) return read.error();
  return std::nullopt;
}

std::optional<StatusRange> parse_status(const json& j) {
  if (j.is_number_integer()) {
    long v = j.get<long>();
    if (v >= 100 && v <= 599) return StatusRange{v, v};
    return std::nullopt;
  }
  if (!j.is_string()) return std::nullopt;
  const auto& s = j.get_ref<const std::string&>();
  auto dash = s.find('-');
  long low = 0, high = 0;
  auto a = std::from_chars(s.data(), s.data() + (dash == std::string::npos ? s.size() : dash), low);
  if (a.ec != std::errc()) return std::nullopt;
  if (dash == std::string::npos) {
    high = low;
    if (a.ptr != s.data() + s.size()) return std::nullopt;
  } else {
    auto b = std::from_chars(s.data() + dash + 1, s.data() + s.size(), high);
    if (b.ec != std::errc() || b.ptr != s.data() + s.size()) return std::nullopt;
  }
  if (low < 100 || high > 599 || low > high) return std::nullopt;
  return StatusRange{low, high};
}

// The index of the first '~' of `pointer` that is not ~0 or ~1 (RFC 6901),
// the one malformation a pointer starting with '/' can have.
std::optional<size_t> malformed_escape(std::string_view pointer) {
  for (size_t at = pointer.find('~'); at != std::string_view::npos; at = pointer.find('~', at + 1)) {
    if (at + 1 == pointer.size() || (pointer[at + 1] != '0' && pointer[at + 1] != '1')) return at;
  }
  return std::nullopt;
}

std::optional<std::string> check_http_shape(const json& fields) {
  if (auto h = fields.find("headers"); h != fields.end()) {
    for (const auto& [name, value] : h->items()) {
      if (!value.is_string()) return fmt::format("headers/{}: expected a string", name);
    }
  }
  if (auto m = fields.find("max_body"); m != fields.end() && (m->get<long>() <= 0 || m->get<long>() > kMaxMaxBody)) {
    return fmt::format("max_body: expected 1 to {} bytes", kMaxMaxBody);
  }
  auto ex = fields.find("expect");
  if (ex == fields.end()) return std::nullopt;
  for (const auto& [key, value] : ex->items()) {
    if (key == "status") {
      if (!value.is_array() || value.empty()) return "expect/status: expected a non-empty list of codes or \"200-299\" ranges";
      for (size_t i = 0; i < value.size(); ++i) {
        if (!parse_status(value[i]) && !(value[i].is_string() && value[i].get<std::string>().find("${") != std::string::npos)) {
          return fmt::format("expect/status/{}: {} is not a status code (100-599) or a range such as \"200-299\"", i, value[i].dump());
        }
      }
    } else if (key == "body_contains") {
      if (!value.is_string() && !ValueMatcher::is_operator(value)) {
        return "expect/body_contains: expected a string (text the body contains) or an operator object";
      }
      if (auto problem = matcher_problem(value)) return fmt::format("expect/body_contains/{}", *problem);
    } else if (key == "json") {
      if (!value.is_object()) return "expect/json: expected an object of JSON pointer → value";
      for (const auto& [pointer, v] : value.items()) {
        if (!pointer.empty() && pointer[0] != '/') return fmt::format("expect/json/{}: a JSON pointer starts with '/'", pointer);
        if (auto bad = malformed_escape(pointer)) {
          return fmt::format("expect/json/{}: not a JSON pointer: the '~' at character {} must be followed by 0 or 1 "
                             "(RFC 6901: ~0 is '~', ~1 is '/')", pointer, *bad + 1);
        }
        if (auto problem = matcher_problem(v)) return fmt::format("expect/json/{}/{}", pointer, *problem);
      }
    } else if (key == "header") {
      if (!value.is_object()) return "expect/header: expected an object of header name → expected text";
      for (const auto& [name, v] : value.items()) {
        if (!v.is_string() && !ValueMatcher::is_operator(v)) {
          return fmt::format("expect/header/{}: expected a string (text the value contains) or an operator object", name);
        }
        if (auto problem = matcher_problem(v)) return fmt::format("expect/header/{}/{}", name, *problem);
      }
    } else {
      return fmt::format("expect/{}: unknown key (allowed: status, body_contains, json, header)", key);
    }
  }
  return std::nullopt;
}

// http+unix://%2Fsocket%2Fpath/path?query, as requests-unixsocket and
// wait-on write it: the authority is the socket's path, percent-encoded.
// The URL is read as http://localhost/path?query.
Result<Target> read_http(std::string_view text) {
  constexpr std::string_view kUnixScheme = "http+unix://";
  if (!text.starts_with(kUnixScheme)) return read_url_target(kHttpProbeType, text);
  std::string_view rest = text.substr(kUnixScheme.size());
  size_t end = std::min(rest.find_first_of("/?#"), rest.size());
  auto socket = percent_decode(rest.substr(0, end));
  if (!socket || socket->empty() || socket->front() != '/') {
    return fail(FailureKind::invalid_config, "the URL's socket is not an absolute path, percent-encoded",
                "write http+unix://%2Frun%2Fapp.sock/health (the socket's path with each / as %2F)");
  }
  auto target = read_url_target(kHttpProbeType, fmt::format("http://localhost{}", rest.substr(end)));
  if (!target.ok()) return target;
  target->scheme = "http+unix";
  target->endpoints = {Endpoint{"", 0, *socket}};
  target->shown = fmt::format("{}{}{}", kUnixScheme, rest.substr(0, end), shown_url(target->url).substr(std::string_view("http://localhost").size()));
  return target;
}

Result<std::unique_ptr<Probe>> make_http_probe(const ProbeInput& in) {
  HttpTarget t;
  const Endpoint& endpoint = in.target.endpoints.front();
  // libcurl takes an http(s):// URL and the socket beside it.
  const std::string url = in.target.scheme == "http+unix" ? shown_url(in.url()) : in.fields.value("url", "");
  t.url = join_url_path(url, string_field(in.fields, "health_path"));
  if (endpoint.is_socket()) t.unix_socket = endpoint.socket_path;
  t.shown = in.target.shown;
  t.host = in.url().host;
  t.tls = in.url().scheme == "https";
  t.peer = in.target.endpoints.front().display();
  t.port = in.target.endpoints.front().port;
  if (auto m = string_field(in.fields, "method"); !m.empty()) {
    t.method = m;
    std::transform(t.method.begin(), t.method.end(), t.method.begin(), [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  }
  if (auto h = in.fields.find("headers"); h != in.fields.end()) {
    for (const auto& [name, value] : h->items()) t.headers.push_back(fmt::format("{}: {}", name, value.get<std::string>()));
  }
  if (auto b = in.fields.find("body"); b != in.fields.end()) {
    t.body = b->get<std::string>();
    t.has_body = true;
  }
  if (auto m = in.fields.find("max_body"); m != in.fields.end()) t.max_body = m->get<long>();
  t.follow_redirects = in.fields.value("follow_redirects", false);
  t.path = in.url().path;
  t.insecure_skip_verify = !in.target.tls.verify;
  t.ca_file = in.target.tls.ca_file;
  t.added_ca = in.target.tls.added_ca;
  t.client_cert = string_field(in.fields, "client_cert");
  t.client_key = string_field(in.fields, "client_key");
  if (auto ex = in.fields.find("expect"); ex != in.fields.end()) {
    if (auto st = ex->find("status"); st != ex->end()) {
      t.status.clear();
      for (const auto& s : *st) {
        auto range = parse_status(s);
        if (!range) return fail(FailureKind::invalid_config, fmt::format("expect/status: {} is not a status code or range", s.dump()));
        t.status.push_back(*range);
      }
    }
    if (auto bc = ex->find("body_contains"); bc != ex->end()) {
      if (bc->is_string()) {
        t.body_contains = bc->get<std::string>();
      } else {
        auto matcher = ValueMatcher::read(*bc);
        if (!matcher.ok()) return fail(FailureKind::invalid_config, fmt::format("expect/body_contains/{}", matcher.error()));
        t.body_contains = std::move(*matcher);
      }
    }
    if (auto js = ex->find("json"); js != ex->end()) {
      for (const auto& [pointer, value] : js->items()) {
        // check_shape refused these as written; an interpolated key is read here.
        if ((!pointer.empty() && pointer[0] != '/') || malformed_escape(pointer)) {
          return fail(FailureKind::invalid_config, "expect/json: a key is not a JSON pointer (RFC 6901)");
        }
        auto matcher = ValueMatcher::read(value);
        if (!matcher.ok()) return fail(FailureKind::invalid_config, fmt::format("expect/json/{}/{}", pointer, matcher.error()));
        t.json_expect.emplace_back(json::json_pointer(pointer), std::move(*matcher));
      }
    }
    if (auto hd = ex->find("header"); hd != ex->end()) {
      for (const auto& [name, value] : hd->items()) {
        std::string lower = name;
        std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        if (value.is_string()) {
          t.header_expect.emplace_back(lower, value.get<std::string>());
          continue;
        }
        auto matcher = ValueMatcher::read(value);
        if (!matcher.ok()) return fail(FailureKind::invalid_config, fmt::format("expect/header/{}/{}", name, matcher.error()));
        t.header_expect.emplace_back(lower, std::move(*matcher));
      }
    }
  }
  auto audience = token_audience(in.fields, in.url(), t.tls);
  if (!audience.ok()) return Unexpected<Failure>{audience.error()};
  t.audience = *audience;
  if (!t.tls && (!t.ca_file.empty() || !t.client_cert.empty() || t.insecure_skip_verify)) {
    return fail(FailureKind::invalid_config, "ca_file, client_cert and insecure_skip_verify need an https:// URL");
  }
  return std::unique_ptr<Probe>(std::make_unique<HttpProbe>(std::move(t), in.redactor));
}

}  // namespace

// http_profile.cc
void offer_http_checks(const ProfileVariables& vars, std::vector<ProfileOffer>& out);

extern const ProbeType kHttpProbeType{
    .name = "http",
    .schemes = {{"http", 80}, {"https", 443, true}, {"http+unix", 0}},
    .fields = {{"method", FieldType::string},
               {"unix_socket", FieldType::string},
               {"headers", FieldType::object, true},
               {"body", FieldType::string},
               {"expect", FieldType::object},
               {"max_body", FieldType::integer},
               {"follow_redirects", FieldType::boolean},
               {"ca_file", FieldType::string},
               {"client_cert", FieldType::string},
               {"client_key", FieldType::string},
               {"insecure_skip_verify", FieldType::boolean},
               {"health_path", FieldType::string},
               {"auth", FieldType::string},
               {"audience", FieldType::string}},
    .make = make_http_probe,
    .check_shape = check_http_shape,
    .read = read_http,
    .ca_field = "ca_file",
    .cleartext_advice = [](const Target& t) -> std::optional<std::string> {
      if (t.scheme == "http" && !t.endpoints.front().is_socket()) return "the request and its headers; use https://";
      return std::nullopt;
    },
    .hint = http_status_hint,
    .follows_proxy_variables = true,
    .ca_variables = {"REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE"},
    .offer = offer_http_checks,
};

}  // namespace preflight
