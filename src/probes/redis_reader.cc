#include "probes/redis_reader.h"

#include <algorithm>
#include <charconv>

#include <fmt/format.h>

#include "preflight/text.h"

namespace preflight {
namespace {

Unexpected<Failure> refuse(std::string message, std::string hint = {}) {
  return Unexpected<Failure>{Failure{FailureKind::invalid_config, std::move(message), std::move(hint)}};
}

const char* const kEncodeHint = "percent-encode the reserved characters of the password (@ : / ? # become %40 %3A %2F %3F %23)";

std::optional<int> parse_db(std::string_view text) {
  int value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value < 0) return std::nullopt;
  return value;
}

// redis-py's ssl_cert_reqs: "none", "optional", "required" (or the ssl
// module's CERT_* names).
std::optional<bool> verify_from(std::string_view value) {
  std::string v = to_lower(value);
  if (v == "none" || v == "cert_none") return false;
  if (v == "required" || v == "cert_required" || v == "optional" || v == "cert_optional") return true;
  return std::nullopt;
}

Status apply_query(std::string_view query, Target& t, std::optional<int>& db) {
  while (!query.empty()) {
    std::string_view pair = query.substr(0, query.find('&'));
    query.remove_prefix(std::min(query.size(), pair.size() + 1));
    if (pair.empty()) continue;
    auto eq = pair.find('=');
    // Python's parse_qs drops a parameter without a value.
    if (eq == std::string_view::npos || eq + 1 == pair.size()) continue;
    std::string raw_key(pair.substr(0, eq)), raw_value(pair.substr(eq + 1));
    std::replace(raw_key.begin(), raw_key.end(), '+', ' ');
    std::replace(raw_value.begin(), raw_value.end(), '+', ' ');
    auto key = percent_decode(raw_key);
    auto value = percent_decode(raw_value);
    if (!key || !value) return refuse("a query parameter has an invalid %-escape", kEncodeHint);
    // parse_qs keeps every value and redis-py takes the first.
    if (*key == "db") {
      if (db) continue;
      db = parse_db(*value);
      if (!db) return refuse("the db query parameter is not a number");
    } else if (*key == "password") {
      if (!t.password) t.password = *value;
    } else if (*key == "username") {
      if (t.user.empty()) t.user = *value;
    } else if (*key == "ssl_cert_reqs") {
      auto verify = verify_from(*value);
      if (!verify) return refuse("ssl_cert_reqs is not one of none, optional, required");
      t.tls.verify = *verify;
    } else if (*key == "ssl_ca_certs") {
      t.tls.ca_file = *value;
    } else if (*key == "ssl_certfile") {
      t.tls.cert = *value;
    } else if (*key == "ssl_keyfile") {
      t.tls.key = *value;
    } else {
      t.ignored.push_back(*key);
    }
  }
  return {};
}

bool valid_host(std::string_view host) {
  bool ipv6 = host.find(':') != std::string_view::npos;
  return !host.empty() && std::all_of(host.begin(), host.end(), [&](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.' || c == '_' || (ipv6 && c == ':');
  });
}

std::string shown(const Target& t, std::string_view scheme, bool socket) {
  std::string auth;
  if (!t.user.empty() || t.password) auth = fmt::format("{}{}@", t.user, t.password ? ":***" : "");
  if (socket) return fmt::format("{}://{}{}?db={}", scheme, auth, t.endpoints.front().socket_path, t.database);
  return fmt::format("{}://{}{}/{}", scheme, auth, t.endpoints.front().display(), t.database);
}

}  // namespace

Result<Target> read_redis(std::string_view text) {
  auto sep = text.find("://");
  if (sep == std::string_view::npos) {
    return refuse("the value is not a Redis URL", "write redis://[:password@]host[:port][/db] (rediss:// for TLS)");
  }
  std::string scheme = to_lower(text.substr(0, sep));
  bool socket = scheme == "unix" || scheme == "redis+unix" || scheme == "redis+socket";
  if (!socket && scheme != "redis" && scheme != "rediss") {
    return refuse("a redis check cannot use this URL scheme", "write redis://, rediss:// (TLS) or unix:///path/to/redis.sock");
  }
  std::string_view rest = text.substr(sep + 3);
  // Python's urlsplit: a fragment, then the query, are cut first.
  rest = rest.substr(0, rest.find('#'));
  std::string_view query;
  if (auto q = rest.find('?'); q != std::string_view::npos) {
    query = rest.substr(q + 1);
    rest = rest.substr(0, q);
  }
  auto slash = rest.find('/');
  std::string_view netloc = rest.substr(0, slash);
  std::string_view path = slash == std::string_view::npos ? std::string_view{} : rest.substr(slash);

  Target t;
  t.form = "Redis URL";
  t.scheme = scheme == "rediss" ? "rediss" : "redis";
  t.tls.mode = scheme == "rediss" ? "on" : "off";
  if (auto at = netloc.rfind('@'); at != std::string_view::npos) {
    std::string_view userinfo = netloc.substr(0, at);
    netloc.remove_prefix(at + 1);
    auto colon = userinfo.find(':');
    auto user = percent_decode(userinfo.substr(0, colon));
    if (!user) return refuse("the user name has an invalid %-escape", kEncodeHint);
    t.user = *user;
    if (colon != std::string_view::npos) {
      auto password = percent_decode(userinfo.substr(colon + 1));
      if (!password) return refuse("the password has an invalid %-escape", kEncodeHint);
      if (!password->empty()) t.password = *password;
    }
  }
  std::optional<int> db;
  if (auto q = apply_query(query, t, db); !q.ok()) return Unexpected<Failure>{q.error()};

  Endpoint e;
  if (socket) {
    auto decoded = percent_decode(path);
    if (!decoded || decoded->empty()) return refuse("a unix:// Redis URL needs the socket's path (unix:///run/redis/redis.sock)");
    e.socket_path = *decoded;
  } else {
    std::string_view host = netloc, port_text;
    if (host.starts_with('[')) {
      auto close = host.find(']');
      if (close == std::string_view::npos) return refuse("an IPv6 address is missing its closing ']'");
      port_text = host.substr(close + 1);
      host = host.substr(1, close - 1);
      if (!port_text.empty() && port_text[0] != ':') return refuse("unexpected text after an IPv6 address");
      if (!port_text.empty()) port_text.remove_prefix(1);
    } else if (auto colon = host.rfind(':'); colon != std::string_view::npos) {
      port_text = host.substr(colon + 1);
      host = host.substr(0, colon);
    }
    auto decoded = percent_decode(host);
    if (!decoded) return refuse("the host has an invalid %-escape");
    e.host = to_lower(*decoded);
    if (e.host.empty()) e.host = "localhost";  // redis-py's default host
    if (!valid_host(e.host)) return refuse("the host has a character that a host name cannot contain", kEncodeHint);
    e.port = 6379;
    if (!port_text.empty()) {
      unsigned value = 0;
      auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), value);
      if (ec != std::errc() || end != port_text.data() + port_text.size()) return refuse("the port is not a number", kEncodeHint);
      if (value == 0 || value > 65535) return refuse("the port is out of range (1-65535)");
      e.port = static_cast<uint16_t>(value);
    }
    // redis-py reads "/N" as db N when ?db= is absent, and ignores a path
    // that is not a number.
    std::string digits(path);
    digits.erase(std::remove(digits.begin(), digits.end(), '/'), digits.end());
    if (!db && !digits.empty()) {
      db = parse_db(digits);
      if (!db) t.ignored.push_back("the path (not a db number: redis-py uses db 0)");
    }
  }
  t.endpoints.push_back(std::move(e));
  t.database = std::to_string(db.value_or(0));
  if (t.password) {
    t.secrets.push_back(*t.password);
  } else if (!t.user.empty()) {
    // redis://SECRET@host: redis-py takes SECRET as a user name, but it is
    // nearly always a password written without its ':'.
    t.secrets.push_back(t.user);
  }
  Target masked = t;
  if (!t.password && !t.user.empty()) masked.user = "***";
  t.shown = shown(masked, scheme, socket);
  return t;
}

}  // namespace preflight
