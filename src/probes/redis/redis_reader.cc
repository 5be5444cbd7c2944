#include "probes/redis/redis_reader.h"

#include <algorithm>
#include <charconv>

#include <fmt/format.h>

#include "base/text.h"

namespace preflight {
namespace {

Unexpected<Failure> refuse_redis_url(std::string message, std::string hint = {}) {
  return Unexpected<Failure>{Failure{FailureKind::invalid_config, std::move(message), std::move(hint)}};
}

// C0 control characters and space (WHATWG), which urlsplit strips from the
// start of a URL.
constexpr std::string_view kLeadingJunk{
    "\x00\x01\x02\x03\x04\x05\x06\x07\x08\t\n\x0b\x0c\r\x0e\x0f"
    "\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f ",
    33};

const char* const kRedisEncodeHint = "percent-encode the reserved characters of the password (@ : / ? # become %40 %3A %2F %3F %23)";

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

Status apply_query(std::string_view query, Target& t, std::optional<int>& db, bool sentinel, bool socket) {
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
    if (!key || !value) return refuse_redis_url("a query parameter has an invalid %-escape", kRedisEncodeHint);
    // parse_qs keeps every value and redis-py takes the first.
    if (*key == "db") {
      if (db) continue;
      db = parse_db(*value);
      if (!db) return refuse_redis_url("the db query parameter is not a number");
    } else if (*key == "password") {
      if (!t.password) t.password = *value;
    } else if (*key == "username") {
      if (t.user.empty()) t.user = *value;
    } else if (socket && *key == "pass") {  // redis-rs: redis+unix:///path?pass=
      if (!t.password) t.password = *value;
    } else if (socket && *key == "user") {
      if (t.user.empty()) t.user = *value;
    } else if (*key == "ssl_cert_reqs") {
      auto verify = verify_from(*value);
      if (!verify) return refuse_redis_url("ssl_cert_reqs is not one of none, optional, required");
      t.tls.verify = *verify;
    } else if (*key == "ssl_ca_certs") {
      t.tls.ca_file = *value;
    } else if (*key == "ssl_certfile") {
      t.tls.cert = *value;
    } else if (*key == "ssl_keyfile") {
      t.tls.key = *value;
    } else if (sentinel && *key == "service") {
      t.master_name = *value;
    } else if (sentinel && *key == "sentinel_password") {
      t.sentinel_password = *value;
    } else if (sentinel && *key == "client_type") {
      if (*value != "master" && *value != "slave") return refuse_redis_url("client_type is not master or slave");
      if (*value == "slave") t.ignored.push_back("client_type=slave (preflight checks the master the replicas follow)");
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

// host[:port], host as a name or [IPv6]; an empty host is redis-py's
// default, localhost.
Result<Endpoint> read_host_port(std::string_view host, uint16_t default_port) {
  std::string_view port_text;
  if (host.starts_with('[')) {
    auto close = host.find(']');
    if (close == std::string_view::npos) return refuse_redis_url("an IPv6 address is missing its closing ']'");
    port_text = host.substr(close + 1);
    host = host.substr(1, close - 1);
    if (!port_text.empty() && port_text[0] != ':') return refuse_redis_url("unexpected text after an IPv6 address");
    if (!port_text.empty()) port_text.remove_prefix(1);
  } else if (auto colon = host.rfind(':'); colon != std::string_view::npos) {
    port_text = host.substr(colon + 1);
    host = host.substr(0, colon);
  }
  auto decoded = percent_decode(host);
  if (!decoded) return refuse_redis_url("the host has an invalid %-escape");
  Endpoint e;
  e.host = to_lower(*decoded);
  if (e.host.empty()) e.host = "localhost";
  if (!valid_host(e.host)) return refuse_redis_url("the host has a character that a host name cannot contain", kRedisEncodeHint);
  e.port = default_port;
  if (!port_text.empty()) {
    unsigned value = 0;
    auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), value);
    if (ec != std::errc() || end != port_text.data() + port_text.size()) return refuse_redis_url("the port is not a number", kRedisEncodeHint);
    if (value == 0 || value > 65535) return refuse_redis_url("the port is out of range (1-65535)");
    e.port = static_cast<uint16_t>(value);
  }
  return e;
}

// Redis-Sentinel-Url's redis+sentinel://host[:port][,host2[:port2]...][/service_name[/db]]:
// the sentinels, then the master's name and db (?service= and ?db= win).
// Without a name, redisvl's default "mymaster".
Status read_sentinels(std::string_view hosts, std::string_view path, Target& t, std::optional<int>& db) {
  while (true) {
    std::string_view one = hosts.substr(0, hosts.find(','));
    auto endpoint = read_host_port(one, 26379);
    if (!endpoint.ok()) return Unexpected<Failure>{endpoint.error()};
    t.endpoints.push_back(std::move(*endpoint));
    if (one.size() == hosts.size()) break;
    hosts.remove_prefix(one.size() + 1);
  }
  if (path.starts_with('/')) path.remove_prefix(1);
  std::string_view name = path.substr(0, path.find('/'));
  std::string_view db_text = name.size() < path.size() ? path.substr(name.size() + 1) : std::string_view{};
  if (t.master_name.empty()) {
    auto decoded = percent_decode(name);
    if (!decoded) return refuse_redis_url("the master name has an invalid %-escape");
    t.master_name = decoded->empty() ? "mymaster" : *decoded;
  }
  if (!db && !db_text.empty()) {
    db = parse_db(db_text);
    if (!db) return refuse_redis_url("the db after the master name is not a number");
  }
  return {};
}

// The password as written in a URL that lost tabs, CRs or LFs on the way
// in: the registered secret must also match the text as written.
void add_raw_password(std::string_view raw, std::vector<std::string>& secrets) {
  auto sep = raw.find("://");
  if (sep == std::string_view::npos) return;
  std::string_view rest = raw.substr(sep + 3);
  std::string_view netloc = rest.substr(0, rest.find_first_of("/?#"));
  auto at = netloc.rfind('@');
  if (at == std::string_view::npos) return;
  std::string_view userinfo = netloc.substr(0, at);
  std::string_view password = userinfo.substr(std::min(userinfo.size(), userinfo.find(':') + 1));
  if (password.empty()) password = userinfo;
  secrets.emplace_back(password);
  if (auto decoded = percent_decode(password)) secrets.push_back(std::move(*decoded));
}

std::string shown(const Target& t, std::string_view scheme, bool socket) {
  std::string auth;
  if (!t.user.empty() || t.password) auth = fmt::format("{}{}@", t.user, t.password ? ":***" : "");
  if (!t.master_name.empty()) {
    return fmt::format("{}://{}{}/{}/{}{}", scheme, auth, join_endpoints(t.endpoints), t.master_name, t.database,
                       t.sentinel_password ? "?sentinel_password=***" : "");
  }
  if (socket) return fmt::format("{}://{}{}?db={}", scheme, auth, t.endpoints.front().socket_path, t.database);
  return fmt::format("{}://{}{}/{}", scheme, auth, t.endpoints.front().display(), t.database);
}

}  // namespace

Result<Target> read_redis(std::string_view raw) {
  // Python's urlsplit, under redis-py: leading control characters and
  // spaces go, and so does every tab, CR and LF (a secret made with `echo`
  // ends in one).
  std::string cleaned;
  for (char c : raw.substr(std::min(raw.size(), raw.find_first_not_of(kLeadingJunk)))) {
    if (c != '\t' && c != '\r' && c != '\n') cleaned += c;
  }
  std::string_view text = cleaned;
  Target t;
  if (cleaned.size() != raw.size()) add_raw_password(raw, t.secrets);
  auto sep = text.find("://");
  if (sep == std::string_view::npos) {
    return refuse_redis_url("the value is not a Redis URL", "write redis://[:password@]host[:port][/db] (rediss:// for TLS)");
  }
  std::string scheme = to_lower(text.substr(0, sep));
  bool socket = scheme == "unix" || scheme == "redis+unix" || scheme == "redis+socket";
  bool sentinel = scheme == "redis+sentinel";
  if (!socket && !sentinel && scheme != "redis" && scheme != "rediss") {
    return refuse_redis_url("a redis check cannot use this URL scheme",
                  "write redis://, rediss:// (TLS), unix:///path/to/redis.sock or redis+sentinel://host:26379/MASTER");
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

  t.form = sentinel ? "Redis Sentinel URL" : "Redis URL";
  t.scheme = scheme == "rediss" ? "rediss" : "redis";
  t.tls.use = scheme == "rediss" ? TlsUse::required : TlsUse::off;
  // Redis-Sentinel-Url, which defines redis+sentinel://, splits at the
  // first '@'; redis-py's urlparse at the last.
  if (auto at = sentinel ? netloc.find('@') : netloc.rfind('@'); at != std::string_view::npos) {
    std::string_view userinfo = netloc.substr(0, at);
    netloc.remove_prefix(at + 1);
    auto colon = userinfo.find(':');
    auto user = percent_decode(userinfo.substr(0, colon));
    if (!user) return refuse_redis_url("the user name has an invalid %-escape", kRedisEncodeHint);
    t.user = *user;
    if (colon != std::string_view::npos) {
      auto password = percent_decode(userinfo.substr(colon + 1));
      if (!password) return refuse_redis_url("the password has an invalid %-escape", kRedisEncodeHint);
      if (!password->empty()) t.password = *password;
    }
  }
  std::optional<int> db;
  if (auto q = apply_query(query, t, db, sentinel, socket); !q.ok()) return Unexpected<Failure>{q.error()};

  Endpoint e;
  if (sentinel) {
    if (auto read = read_sentinels(netloc, path, t, db); !read.ok()) return Unexpected<Failure>{read.error()};
  } else if (socket) {
    auto decoded = percent_decode(path);
    if (!decoded || decoded->empty()) return refuse_redis_url("a unix:// Redis URL needs the socket's path (unix:///run/redis/redis.sock)");
    e.socket_path = *decoded;
  } else {
    auto endpoint = read_host_port(netloc, 6379);
    if (!endpoint.ok()) return Unexpected<Failure>{endpoint.error()};
    e = std::move(*endpoint);
    // redis-py reads "/N" as db N when ?db= is absent, and ignores a path
    // that is not a number.
    std::string digits(path);
    digits.erase(std::remove(digits.begin(), digits.end(), '/'), digits.end());
    if (!db && !digits.empty()) {
      db = parse_db(digits);
      if (!db) t.ignored.push_back("the path (not a db number: redis-py uses db 0)");
    }
  }
  if (!sentinel) t.endpoints.push_back(std::move(e));
  t.database = std::to_string(db.value_or(0));
  if (t.sentinel_password) t.secrets.push_back(*t.sentinel_password);
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
