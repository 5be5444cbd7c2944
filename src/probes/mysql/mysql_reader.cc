#include "probes/mysql/mysql_reader.h"

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <optional>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <nlohmann/json.hpp>

#include "base/redact.h"
#include "base/text.h"
#include "base/url.h"

namespace preflight {
namespace {

constexpr std::string_view kTlsModes[] = {"disabled", "preferred", "required", "verify_ca", "verify_identity"};

struct MysqlParts {
  std::string host;
  uint16_t port = kDefaultMysqlPort;
  std::string socket;
  std::string socket_origin;  // when not written in the string: where it came from
  std::string user;
  std::optional<std::string> password;
  std::string database;
  std::string tls_mode;  // "": the clients' default, no TLS
  // Whose parameters: "pymysql" (SQLAlchemy's +pymysql), "jdbc", "" else.
  std::string client;
  bool check_hostname = true;  // SQLAlchemy's ssl_check_hostname
  std::string ca, cert, key;
  std::vector<std::string> ignored;
  std::vector<std::pair<std::string, std::string>> shown_query;  // values of secret-looking keys masked
};

bool truthy(std::string_view v) {
  std::string l = to_lower(v);
  return l == "true" || l == "1" || l == "yes" || l == "on";
}

// Raises the TLS mode to at least `mode` (a verify flag does not lower an
// ssl_mode given beside it).
void at_least(MysqlParts& p, std::string_view mode) {
  auto rank = [](std::string_view m) {
    auto it = std::find(std::begin(kTlsModes), std::end(kTlsModes), m);
    return it == std::end(kTlsModes) ? -1 : static_cast<int>(it - std::begin(kTlsModes));
  };
  if (rank(mode) > rank(p.tls_mode)) p.tls_mode = std::string(mode);
}

// One query parameter, named as the clients of the URL forms name it:
// pymysql and mysqlclient (through SQLAlchemy), Prisma, node mysql2,
// Connector/J, go-sql-driver. The error never quotes the value.
std::optional<std::string> apply_parameter(MysqlParts& p, const std::string& raw_key, const std::string& value) {
  std::string key = to_lower(raw_key);
  std::replace(key.begin(), key.end(), '-', '_');
  if (key == "unix_socket" || key == "socket" || key == "socketpath") {
    p.socket = value;
  } else if (key == "ssl_mode" || key == "sslmode") {
    std::string mode = to_lower(value);
    if (std::find(std::begin(kTlsModes), std::end(kTlsModes), mode) == std::end(kTlsModes)) {
      return fmt::format("{} must be one of {}", raw_key, fmt::join(kTlsModes, ", "));
    }
    p.tls_mode = mode;
  } else if (key == "ssl_ca" || key == "sslca" || key == "sslrootcert" || key == "sslcert" /* Prisma: the server's CA */) {
    p.ca = value;
  } else if (key == "ssl_cert") {
    p.cert = value;
  } else if (key == "ssl_key") {
    p.key = value;
  } else if (key == "ssl_check_hostname") {
    p.check_hostname = truthy(value);
  } else if (key == "requiressl") {  // Connector/J 5.1: TLS or no connection
    if (truthy(value)) at_least(p, "required");
  } else if (key == "verifyservercertificate") {  // Connector/J 5.1 and 8: with TLS, the CA is checked
    if (truthy(value)) at_least(p, "verify_ca");
  } else if (key == "ssl" && !value.empty() && value.front() == '{') {
    // node mysql2: ssl={"rejectUnauthorized":false} is TLS without checks;
    // any other object is Node's TLS, which checks the name too.
    auto options = nlohmann::json::parse(value, nullptr, false);
    if (!options.is_object()) return fmt::format("{} is not a JSON object", raw_key);
    auto reject = options.find("rejectUnauthorized");
    at_least(p, reject != options.end() && reject->is_boolean() && !reject->get<bool>() ? "required" : "verify_identity");
    if (auto ca = options.find("ca"); ca != options.end()) {
      p.ignored.push_back("ssl's ca (certificates inline: give ca_file the same PEM)");
    }
  } else if (key == "ssl" && !value.empty() && !truthy(value) && to_lower(value) != "false" && value != "0" &&
             to_lower(value) != "no" && to_lower(value) != "off") {
    // node mysql2: a profile's name ("Amazon RDS"), whose CA is bundled.
    at_least(p, "verify_identity");
    p.ignored.push_back("ssl's profile (mysql2 bundles its CA: give ca_file the same bundle)");
  } else if (key == "ssl_verify_cert") {
    if (truthy(value)) at_least(p, "verify_ca");
  } else if (key == "ssl_verify_identity") {
    if (truthy(value)) at_least(p, "verify_identity");
  } else if (key == "ssl" || key == "usessl") {
    if (truthy(value)) at_least(p, "required");
    else if (p.tls_mode.empty()) p.tls_mode = "disabled";
  } else if (key == "tls") {  // go-sql-driver: true verifies the name; a custom name is a registered config
    std::string v = to_lower(value);
    if (v == "true") at_least(p, "verify_identity");
    else if (v == "skip-verify") at_least(p, "required");
    else if (v == "preferred") at_least(p, "preferred");
    else if (v == "false") p.tls_mode = "disabled";
    else {
      at_least(p, "required");
      p.ignored.push_back("tls=<registered config> (its CA is in the Go program: checked as required)");
    }
  } else if (key == "sslaccept") {  // Prisma
    at_least(p, to_lower(value) == "strict" ? "verify_identity" : "required");
  } else if (key == "user" || key == "username") {
    p.user = value;
  } else if (key == "password") {
    p.password = value;
  } else if (key == "database" || key == "dbname") {
    p.database = value;
  } else {
    p.ignored.push_back(raw_key);
  }
  p.shown_query.emplace_back(raw_key, parameter_looks_secret(raw_key) ? "***" : value);
  return std::nullopt;
}

// `decode`: false for MariaDB Connector/J, which takes the query's values
// as written ("p%40ss" is sent as those five bytes).
std::optional<std::string> apply_query(MysqlParts& p, std::string_view query, std::string_view form, bool decode = true) {
  for (size_t start = 0; start < query.size();) {
    size_t end = std::min(query.find('&', start), query.size());
    std::string_view pair = query.substr(start, end - start);
    start = end + 1;
    if (pair.empty()) continue;
    size_t eq = pair.find('=');
    const std::string_view raw_value = eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1);
    auto key = decode ? percent_decode(pair.substr(0, eq)) : std::optional<std::string>(pair.substr(0, eq));
    auto value = decode ? percent_decode(raw_value) : std::optional<std::string>(raw_value);
    if (!key || !value) return fmt::format("{}: a query parameter has a broken %-escape", form);
    if (auto error = apply_parameter(p, *key, *value)) return fmt::format("{}: {}", form, *error);
  }
  return std::nullopt;
}

std::string shown_query(const MysqlParts& p) {
  if (p.shown_query.empty()) return {};
  std::vector<std::string> pairs;
  for (const auto& [k, v] : p.shown_query) pairs.push_back(v == "***" ? k + "=***" : k + "=" + percent_encode(v));
  return "?" + fmt::format("{}", fmt::join(pairs, "&"));
}

// libmysqlclient and MariaDB Connector/C (under mysqlclient, Rails'
// mysql2, MariaDB Connector/Python) connect to the host named exactly
// "localhost" through the Unix socket, whatever the port: MYSQL_UNIX_PORT,
// else the compiled-in /run/mysqld/mysqld.sock (seen with python3-mysqldb:
// "Can't connect to local server through socket '/run/mysqld/mysqld.sock'").
void localhost_through_socket(MysqlParts& p, std::string_view written_host, bool port_written) {
  // Compared as written: the client's strcmp is case-sensitive.
  if (!p.socket.empty() || written_host != "localhost") return;
  const char* env = std::getenv("MYSQL_UNIX_PORT");
  p.socket = env && *env ? env : kDefaultMysqlSocket;
  p.socket_origin = env && *env ? "MYSQL_UNIX_PORT (preflight's environment)" : "libmysqlclient's default for localhost";
  if (port_written) p.ignored.push_back("the port (libmysqlclient reaches localhost through the Unix socket; write 127.0.0.1 for TCP)");
}

// A CA, certificate or key without a TLS mode turns TLS on, each client in
// its own way: pymysql (under SQLAlchemy, whose ssl_* keys make its ssl
// dict) checks the CA and the name when given a CA (its _create_ssl_ctx)
// and nothing without one; mysqlclient over Connector/C 3.3, Connector/J
// and Go check nothing unless told.
void tls_from_files(MysqlParts& p) {
  if (!p.tls_mode.empty() || (p.ca.empty() && p.cert.empty() && p.key.empty())) return;
  if (p.client == "pymysql" && !p.ca.empty()) p.tls_mode = p.check_hostname ? "verify_identity" : "verify_ca";
  else p.tls_mode = "required";
}

Result<Target> build(MysqlParts p, std::string form, std::string shown) {
  tls_from_files(p);
  if (!p.socket.empty() && p.socket.front() != '/') {
    return fail(FailureKind::invalid_config, fmt::format("{}: the socket is not an absolute path", form),
                "write the socket's full path, such as /cloudsql/PROJECT:REGION:INSTANCE");
  }
  Target t;
  t.form = std::move(form);
  t.scheme = "mysql";
  if (!p.socket.empty()) {
    t.endpoints.push_back({"", 0, p.socket});
  } else {
    t.endpoints.push_back({p.host.empty() ? "localhost" : p.host, p.port, {}});
  }
  t.user = p.user;
  t.password = p.password;
  if (p.password && !p.password->empty()) t.secrets.push_back(*p.password);
  t.database = p.database;
  t.tls.protocol_mode = p.tls_mode.empty() ? "disabled" : p.tls_mode;
  t.tls.verify = t.tls.protocol_mode == "verify_ca" || t.tls.protocol_mode == "verify_identity";
  t.tls.use = t.tls.protocol_mode == "disabled"    ? TlsUse::off
              : t.tls.protocol_mode == "preferred" ? TlsUse::optional
                                                   : TlsUse::required;
  t.tls.ca_file = p.ca;
  t.tls.cert = p.cert;
  t.tls.key = p.key;
  t.ignored = std::move(p.ignored);
  if (!p.socket_origin.empty()) t.outside_origins.emplace_back("socket", p.socket_origin);
  t.shown = std::move(shown);
  return t;
}

std::string shown_userinfo(const MysqlParts& p) {
  if (p.user.empty() && !p.password) return {};
  return percent_encode(p.user) + (p.password ? ":***" : "") + "@";
}

// URL forms. dj-database-url takes a host that is a %2F-encoded path as a
// socket (Django's MySQL backend connects to a HOST starting with /).
Result<Target> read_mysql_url(std::string_view text) {
  std::string_view body = text;
  bool jdbc = body.starts_with("jdbc:");
  if (jdbc) body.remove_prefix(5);
  size_t sep = body.find("://");
  std::string scheme = to_lower(body.substr(0, sep));
  std::string_view rest = body.substr(sep + 3);
  std::string driver = scheme.find('+') != std::string::npos ? scheme.substr(scheme.find('+') + 1) : "";
  std::string base = scheme.substr(0, scheme.find('+'));
  if (base != "mysql" && base != "mariadb" && base != "mysql2") {
    return fail(FailureKind::invalid_config, fmt::format("a mysql check cannot use a {}:// URL", scheme),
                "use mysql://, mariadb://, mysql2://, mysql+DRIVER:// (SQLAlchemy) or a Go DSN user:password@tcp(host:3306)/db");
  }
  std::string form = jdbc ? "JDBC URL" : !driver.empty() ? fmt::format("SQLAlchemy URL ({})", driver)
                                       : scheme == "mysql2"  ? "Rails URL (mysql2)"
                                                             : "URL";
  MysqlParts p;
  p.client = jdbc ? "jdbc" : driver;
  size_t authority_end = std::min(rest.find_first_of("/?#"), rest.size());
  std::string_view authority = rest.substr(0, authority_end);
  size_t at = authority.rfind('@');
  std::string_view host_part = at == std::string_view::npos ? authority : authority.substr(at + 1);
  // No host (mysql://user:pw@/db?unix_socket=...) or a socket as the host:
  // the URL is read with localhost in its place.
  const bool socket_host = to_lower(host_part.substr(0, 3)) == "%2f";
  if (socket_host) {
    // dj-database-url turns only %2F into / (a %3A stays as written, and
    // Django's backend then looks for that very path).
    for (size_t i = 0; i < host_part.size(); ++i) {
      bool slash = i + 2 < host_part.size() && host_part[i] == '%' && host_part[i + 1] == '2' &&
                   (host_part[i + 2] == 'f' || host_part[i + 2] == 'F');
      p.socket += slash ? '/' : host_part[i];
      if (slash) i += 2;
    }
  }
  const bool no_host = socket_host || host_part.empty() || host_part.starts_with(':');
  std::string readable = no_host ? fmt::format("mysql://{}localhost{}{}", at == std::string_view::npos ? "" : authority.substr(0, at + 1),
                                               socket_host ? "" : host_part, rest.substr(authority_end))
                                 : fmt::format("mysql://{}", rest);
  auto url = parse_url(readable);
  if (!url.ok()) {
    return fail(FailureKind::invalid_config, fmt::format("{}: {}", form, url.error()),
                "write mysql://user:password@host:3306/database (percent-encode @ : / in the password)");
  }
  if (p.socket.empty()) {
    p.host = url->host;
    p.port = url->port.value_or(kDefaultMysqlPort);
  }
  // The forms whose client is libmysqlclient or Connector/C. A bare
  // mysql:// is also Node's and Prisma's (TCP): lint says what it assumed.
  const bool c_client = driver == "mysqldb" || driver == "mariadbconnector" || scheme == "mysql2";
  p.user = url->username;
  p.password = url->password;
  auto database = percent_decode(url->path.empty() ? std::string_view() : std::string_view(url->path).substr(1));
  if (!database) return fail(FailureKind::invalid_config, fmt::format("{}: the database name has a broken %-escape", form));
  p.database = *database;
  const bool connector_j_mariadb = jdbc && base == "mariadb";
  if (auto error = apply_query(p, url->query, form, !connector_j_mariadb)) return fail(FailureKind::invalid_config, *error);
  // No host is read as localhost too (libmysqlclient's default).
  const std::string_view written_host = no_host ? std::string_view("localhost") : host_part.substr(0, host_part.rfind(':'));
  if (c_client && !jdbc) localhost_through_socket(p, written_host, url->port.has_value());
  std::string host_shown = socket_host ? std::string(host_part) : no_host ? std::string(host_part) : url->authority(kDefaultMysqlPort);
  std::string shown = fmt::format("{}{}://{}{}/{}{}", jdbc ? "jdbc:" : "", scheme, shown_userinfo(p), host_shown,
                                  percent_encode(p.database), shown_query(p));
  auto target = build(std::move(p), std::move(form), std::move(shown));
  if (target.ok()) target->url = std::move(*url);
  return target;
}

// go-sql-driver/mysql's DSN: [user[:password]@][net[(addr)]]/dbname[?params].
// Like ParseDSN, the database starts after the last '/', and the user
// information ends at the last '@' before it; nothing is %-encoded.
Result<Target> read_go_dsn(std::string_view text) {
  constexpr std::string_view kForm = "Go DSN (go-sql-driver/mysql)";
  size_t slash = text.rfind('/');
  if (slash == std::string_view::npos) {
    return fail(FailureKind::invalid_config, fmt::format("{}: there is no / before the database name", kForm),
                "write user:password@tcp(host:3306)/database");
  }
  std::string_view left = text.substr(0, slash), right = text.substr(slash + 1);
  MysqlParts p;
  size_t at = left.rfind('@');
  std::string_view net_address = left;
  if (at != std::string_view::npos) {
    std::string_view userinfo = left.substr(0, at);
    size_t colon = userinfo.find(':');
    p.user = std::string(userinfo.substr(0, colon));
    if (colon != std::string_view::npos) p.password = std::string(userinfo.substr(colon + 1));
    net_address = left.substr(at + 1);
  }
  std::string_view net = net_address, address;
  if (size_t paren = net_address.find('('); paren != std::string_view::npos) {
    if (!net_address.ends_with(')')) {
      return fail(FailureKind::invalid_config, fmt::format("{}: the address has no closing parenthesis", kForm));
    }
    net = net_address.substr(0, paren);
    address = net_address.substr(paren + 1, net_address.size() - paren - 2);
  }
  if (net == "unix") {
    p.socket = std::string(address);
  } else if (net == "tcp" || net.empty()) {
    std::string_view host = address, port;
    if (address.starts_with('[')) {
      size_t close = address.find(']');
      host = address.substr(1, close == std::string_view::npos ? std::string_view::npos : close - 1);
      if (close != std::string_view::npos && close + 1 < address.size() && address[close + 1] == ':') port = address.substr(close + 2);
    } else if (size_t colon = address.rfind(':'); colon != std::string_view::npos) {
      host = address.substr(0, colon);
      port = address.substr(colon + 1);
    }
    p.host = host.empty() ? "127.0.0.1" : std::string(host);  // the driver's default address
    if (!port.empty()) {
      unsigned value = 0;
      auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
      if (ec != std::errc() || end != port.data() + port.size() || value == 0 || value > 65535) {
        return fail(FailureKind::invalid_config, fmt::format("{}: the port is not a number from 1 to 65535", kForm));
      }
      p.port = static_cast<uint16_t>(value);
    }
  } else {
    return fail(FailureKind::invalid_config, fmt::format("{}: the network is not tcp or unix", kForm));
  }
  size_t question = right.find('?');
  p.database = std::string(right.substr(0, question));
  if (question != std::string_view::npos) {
    if (auto error = apply_query(p, right.substr(question + 1), kForm)) return fail(FailureKind::invalid_config, *error);
  }
  std::string shown = fmt::format("{}{}({})/{}{}", p.user.empty() && !p.password ? "" : p.user + (p.password ? ":***" : "") + "@",
                                  p.socket.empty() ? "tcp" : "unix",
                                  p.socket.empty() ? Endpoint{p.host, p.port, {}}.display() : p.socket, p.database, shown_query(p));
  return build(std::move(p), std::string(kForm), std::move(shown));
}

}  // namespace

Result<Target> read_mysql(std::string_view text) {
  if (text.find("://") != std::string_view::npos) return read_mysql_url(text);
  return read_go_dsn(text);
}

}  // namespace preflight
