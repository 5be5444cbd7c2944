#include "probes/postgres/postgres_reader.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>

#include <fmt/format.h>

#include "base/text.h"
#include "probes/postgres/libpq_files.h"
#include "probes/probe_types.h"

namespace preflight {
namespace {

// Whose grammar a string follows; they differ only at the edges.
enum class Dialect { libpq, sqlalchemy, dj_database_url, jdbc };

// libpq 15's keywords (PQconninfoOptions in fe-connect.c): handed on as
// they are. The ones read into the target's own fields are handled first.
constexpr std::array<std::string_view, 27> kLibpqKeywords = {
    "service", "passfile", "channel_binding", "client_encoding", "options", "fallback_application_name",
    "keepalives", "keepalives_idle", "keepalives_interval", "keepalives_count", "tcp_user_timeout",
    "sslcompression", "sslpassword", "sslcrl", "sslcrldir", "sslsni", "requirepeer",
    "ssl_min_protocol_version", "ssl_max_protocol_version", "gssencmode", "krbsrvname", "gsslib",
    "target_session_attrs", "replication", "sslcert", "sslkey", "sslrootcert"};

constexpr std::array<std::string_view, 6> kSslModes = {"disable", "allow", "prefer", "require", "verify-ca", "verify-full"};

Unexpected<Failure> refuse(std::string message, std::string hint = {}) {
  return Unexpected<Failure>{Failure{FailureKind::invalid_config, std::move(message), std::move(hint)}};
}

const char* const kEncodeHint =
    "percent-encode the reserved characters of each part (a password containing @ : / ? # becomes %40 %3A %2F %3F %23)";

// Strings as found, before endpoints are built from them.
struct PostgresParts {
  std::string hosts, ports, hostaddrs;
  std::string user;
  std::optional<std::string> password;
  std::string dbname;
  std::string sslmode;
  std::string unix_sock;  // pg8000's path of the socket file itself
  bool no_verification = false;  // pgjdbc's NonValidatingFactory: encrypted, any certificate
  bool sslmode_given = false;
  std::optional<std::string> jdbc_ssl;  // pgjdbc's ssl=, read once sslmode is known
  std::vector<std::pair<std::string, std::string>> options;
  std::vector<std::string> ignored;
};

Result<std::string> decode(std::string_view s, std::string_view part, bool plus_is_space = false) {
  std::string text(s);
  if (plus_is_space) std::replace(text.begin(), text.end(), '+', ' ');
  auto out = percent_decode(text);
  if (!out) return refuse(fmt::format("the {} has an invalid %-escape", part), kEncodeHint);
  // libpq refuses %00: a C string cannot hold it.
  if (out->find('\0') != std::string::npos) return refuse(fmt::format("the {} contains %00", part));
  return *out;
}

// sslmode as libpq reads it, plus the spellings its wrappers add.
std::optional<std::string> ssl_mode(std::string_view value) {
  std::string v = to_lower(std::string(value));
  if (v == "no-verify") return "require";  // node-postgres: encrypted, any certificate
  if (std::find(kSslModes.begin(), kSslModes.end(), v) != kSslModes.end()) return v;
  return std::nullopt;
}

// `ssl=` outside JDBC URLs (pgjdbc's is read in build): libpq turns
// ssl=true into sslmode=require; asyncpg (through SQLAlchemy) takes sslmode
// names.
std::optional<std::string> ssl_flag(std::string_view value) {
  std::string v = to_lower(std::string(value));
  if (v == "true" || v == "1") return "require";
  if (v == "false" || v == "0") return "disable";
  return ssl_mode(v);
}

Status apply(PostgresParts& p, const std::string& key, std::string value, Dialect d) {
  if (key == "host") p.hosts = std::move(value);
  else if (key == "port") p.ports = std::move(value);
  else if (key == "hostaddr") p.hostaddrs = std::move(value);
  else if (key == "user") p.user = std::move(value);
  else if (key == "password") p.password = std::move(value);
  // "database" is the wrappers' and pgx's (Cloud SQL's Go sample writes
  // database= in a key=value string); libpq refuses it, so no libpq app has it.
  else if (key == "dbname" || key == "database") p.dbname = std::move(value);
  else if (key == "ssl" && d == Dialect::jdbc) p.jdbc_ssl = std::move(value);
  else if (key == "sslmode" || key == "ssl") {
    p.sslmode_given = p.sslmode_given || key == "sslmode";
    auto mode = key == "ssl" ? ssl_flag(value) : ssl_mode(value);
    if (!mode) return refuse(fmt::format("{} is not one of {}", key, fmt::join(kSslModes, ", ")));
    p.sslmode = *mode;
  } else if (key == "unix_sock" && d == Dialect::sqlalchemy) p.unix_sock = std::move(value);
  else if (key == "sslfactory" && d == Dialect::jdbc) {
    if (value == "org.postgresql.ssl.NonValidatingFactory") p.no_verification = true;
    else p.ignored.push_back("sslfactory (a Java class: sslmode decides here)");
  } else if (key == "connect_timeout") p.ignored.push_back("connect_timeout (the phase timeout governs)");
  else if (key == "application_name") p.ignored.push_back("application_name (preflight names itself)");
  else if (std::find(kLibpqKeywords.begin(), kLibpqKeywords.end(), key) != kLibpqKeywords.end()) {
    p.options.emplace_back(key, std::move(value));
  } else {
    p.ignored.push_back(key);
  }
  return {};
}

// "key=value&key=value", each part %-decoded (and '+' a space where the
// wrapper reads the query with Python's parse_qsl).
Status parse_query(std::string_view query, PostgresParts& p, Dialect d) {
  bool plus = d == Dialect::sqlalchemy || d == Dialect::dj_database_url;
  while (!query.empty()) {
    std::string_view pair = query.substr(0, query.find('&'));
    query.remove_prefix(std::min(query.size(), pair.size() + 1));
    if (pair.empty() && d != Dialect::libpq) continue;
    auto eq = pair.find('=');
    if (eq == std::string_view::npos) return refuse("a query parameter has no '=' (key=value)", kEncodeHint);
    if (pair.find('=', eq + 1) != std::string_view::npos && d == Dialect::libpq) {
      return refuse("a query parameter has a second '='", kEncodeHint);
    }
    auto key = decode(pair.substr(0, eq), "query parameter name", plus);
    if (!key.ok()) return Unexpected<Failure>{key.error()};
    auto value = decode(pair.substr(eq + 1), fmt::format("value of {}", *key), plus);
    if (!value.ok()) return Unexpected<Failure>{value.error()};
    if (auto applied = apply(p, *key, std::move(*value), d); !applied.ok()) return applied;
  }
  return {};
}

// libpq's URI grammar after "scheme://":
//   [user[:password]@][host[:port][,host[:port]...]][/dbname][?key=value&...]
// The user part ends at the first '@' before any '/', as in libpq.
Result<PostgresParts> parse_uri(std::string_view rest, Dialect d) {
  PostgresParts p;
  auto stop = rest.find_first_of("@/");
  if (stop != std::string_view::npos && rest[stop] == '@') {
    std::string_view userinfo = rest.substr(0, stop);
    rest.remove_prefix(stop + 1);
    auto colon = userinfo.find(':');
    auto user = decode(userinfo.substr(0, colon), "user name");
    if (!user.ok()) return Unexpected<Failure>{user.error()};
    p.user = *user;
    if (colon != std::string_view::npos && colon + 1 < userinfo.size()) {
      auto password = decode(userinfo.substr(colon + 1), "password");
      if (!password.ok()) return Unexpected<Failure>{password.error()};
      p.password = *password;
    }
  }
  std::string hosts, ports;
  size_t i = 0;
  char prev = 0;
  for (;;) {
    if (i < rest.size() && rest[i] == '[') {
      auto close = rest.find(']', i);
      if (close == std::string_view::npos) return refuse("an IPv6 address is missing its closing ']'");
      if (close == i + 1) return refuse("an IPv6 address between [ ] is empty");
      hosts += rest.substr(i + 1, close - i - 1);
      i = close + 1;
      if (i < rest.size() && std::string_view(":/?,").find(rest[i]) == std::string_view::npos) {
        return refuse("unexpected text after an IPv6 address (expected ':', '/', '?' or ',')");
      }
    } else {
      auto end = std::min(rest.find_first_of(":/?,", i), rest.size());
      hosts += rest.substr(i, end - i);
      i = end;
    }
    prev = i < rest.size() ? rest[i] : 0;
    if (prev == ':') {
      auto end = std::min(rest.find_first_of("/?,", i + 1), rest.size());
      ports += rest.substr(i + 1, end - i - 1);
      i = end;
      prev = i < rest.size() ? rest[i] : 0;
    }
    if (prev != ',') break;
    ++i;
    hosts += ',';
    ports += ',';
  }
  if (!hosts.empty() && hosts.find_first_not_of(',') != std::string::npos) {
    auto decoded = decode(hosts, "host");
    if (!decoded.ok()) return Unexpected<Failure>{decoded.error()};
    p.hosts = *decoded;
  }
  if (ports.find_first_not_of(',') != std::string::npos) {
    auto decoded = decode(ports, "port");
    if (!decoded.ok()) return Unexpected<Failure>{decoded.error()};
    p.ports = *decoded;
  }
  if (prev == '/') {
    auto end = std::min(rest.find('?', i + 1), rest.size());
    auto db = decode(rest.substr(i + 1, end - i - 1), "database name");
    if (!db.ok()) return Unexpected<Failure>{db.error()};
    p.dbname = *db;
    i = end;
    prev = i < rest.size() ? '?' : 0;
  }
  if (prev == '?') {
    if (auto q = parse_query(rest.substr(i + 1), p, d); !q.ok()) return Unexpected<Failure>{q.error()};
  }
  return p;
}

// Python's unquote: a '%' not followed by two hex digits stays as it is.
std::string unquote(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() &&
        std::isxdigit(static_cast<unsigned char>(s[i + 1])) && std::isxdigit(static_cast<unsigned char>(s[i + 2]))) {
      out += static_cast<char>(std::stoi(std::string(s.substr(i + 1, 2)), nullptr, 16));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

// SQLAlchemy 1.4's URL grammar (engine/url.py, _parse_rfc1738_args):
//   user[:password]@ host[:port] [/database] [?query]
// The user name stops at ':' or '/', the password at the next '@'; user and
// password are unquoted, host and database are not; the query goes to the
// driver, where psycopg2 reads repeated ?host=h:p as libpq's host list.
Result<PostgresParts> parse_sqlalchemy(std::string_view rest, std::string_view driver) {
  PostgresParts p;
  auto user_end = rest.find_first_of(":/@");
  if (user_end != std::string_view::npos && rest[user_end] != '/') {
    auto at = rest[user_end] == '@' ? user_end : rest.find('@', user_end + 1);
    if (at != std::string_view::npos) {
      p.user = unquote(rest.substr(0, user_end));
      if (at > user_end) p.password = unquote(rest.substr(user_end + 1, at - user_end - 1));
      rest.remove_prefix(at + 1);
    }
  }
  std::string_view host;
  size_t i = 0;
  if (rest.starts_with('[')) {
    auto close = rest.find(']');
    if (close == std::string_view::npos) return refuse("an IPv6 address is missing its closing ']'");
    host = rest.substr(1, close - 1);
    i = close + 1;
  } else {
    i = std::min(rest.find_first_of("/:?"), rest.size());
    host = rest.substr(0, i);
  }
  if (i < rest.size() && rest[i] == ':') {
    auto end = std::min(rest.find_first_of("/?", i + 1), rest.size());
    p.ports = std::string(rest.substr(i + 1, end - i - 1));
    if (p.ports.find_first_not_of("0123456789") != std::string::npos) {
      return refuse("the port is not a number (SQLAlchemy takes one host and port; list several as "
                    "?host=h1:5432&host=h2:5433)", kEncodeHint);
    }
    i = end;
  }
  if (host.find('%') != std::string_view::npos) {
    return refuse("SQLAlchemy does not %-decode the host, so the driver would look up an encoded name",
                  "give a socket directory as ?host=/cloudsql/PROJECT:REGION:INSTANCE");
  }
  if (host.find(',') != std::string_view::npos && driver != "psycopg2" && driver != "psycopg") {
    return refuse(fmt::format("{} reads a comma-separated host as one host name", driver),
                  "list several hosts as ?host=h1:5432&host=h2:5433 with psycopg2, or give one host");
  }
  p.hosts = std::string(host);
  if (i < rest.size() && rest[i] == '/') {
    auto end = std::min(rest.find('?', i + 1), rest.size());
    p.dbname = std::string(rest.substr(i + 1, end - i - 1));
    i = end;
  }
  if (i < rest.size() && rest[i] == '?') {
    std::vector<std::string> hosts, ports;
    std::string_view query = rest.substr(i + 1);
    PostgresParts rest_parts;
    std::string others;
    while (!query.empty()) {
      std::string_view pair = query.substr(0, query.find('&'));
      query.remove_prefix(std::min(query.size(), pair.size() + 1));
      std::string key = unquote(pair.substr(0, pair.find('=')));
      if (key != "host") {
        others += (others.empty() ? "" : "&") + std::string(pair);
        continue;
      }
      std::string value = pair.find('=') == std::string_view::npos ? "" : unquote(pair.substr(pair.find('=') + 1));
      std::replace(value.begin(), value.end(), '+', ' ');
      auto colon = value.rfind(':');
      if (!value.starts_with('/') && colon != std::string::npos) {
        hosts.push_back(value.substr(0, colon));
        ports.push_back(value.substr(colon + 1));
      } else {
        hosts.push_back(value);
        ports.emplace_back();
      }
    }
    if (auto q = parse_query(others, p, Dialect::sqlalchemy); !q.ok()) return Unexpected<Failure>{q.error()};
    if (!hosts.empty()) {
      p.hosts = fmt::format("{}", fmt::join(hosts, ","));
      bool any_port = std::any_of(ports.begin(), ports.end(), [](const std::string& x) { return !x.empty(); });
      if (any_port) p.ports = fmt::format("{}", fmt::join(ports, ","));
    }
  }
  return p;
}

// libpq's key=value grammar (conninfo_parse): values unquoted up to the next
// blank, or in single quotes; a backslash takes the next character as is.
Result<PostgresParts> parse_conninfo(std::string_view s) {
  PostgresParts p;
  size_t i = 0;
  auto skip_blanks = [&] {
    while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i]))) ++i;
  };
  for (;;) {
    skip_blanks();
    if (i >= s.size()) break;
    size_t key_start = i;
    while (i < s.size() && s[i] != '=' && !std::isspace(static_cast<unsigned char>(s[i]))) ++i;
    std::string key(s.substr(key_start, i - key_start));
    skip_blanks();
    if (i >= s.size() || s[i] != '=') return refuse("a libpq key=value string has a word without '=' after it");
    ++i;
    skip_blanks();
    std::string value;
    if (i < s.size() && s[i] == '\'') {
      ++i;
      for (;;) {
        if (i >= s.size()) return refuse("a quoted value in the libpq key=value string is not closed");
        if (s[i] == '\\' && i + 1 < s.size()) value += s[++i];
        else if (s[i] == '\'') break;
        else value += s[i];
        ++i;
      }
      ++i;
    } else {
      while (i < s.size() && !std::isspace(static_cast<unsigned char>(s[i]))) {
        if (s[i] == '\\' && i + 1 < s.size()) ++i;
        value += s[i++];
      }
    }
    if (auto applied = apply(p, key, std::move(value), Dialect::libpq); !applied.ok()) {
      return Unexpected<Failure>{applied.error()};
    }
  }
  return p;
}

// Npgsql's (ADO.NET) "Host=db;Port=5432;Username=app;Password=pw;Database=app":
// keys in any case, with or without spaces, and their aliases; a value in
// double or single quotes may hold ';'. Keys Npgsql knows that do not
// change where it connects are listed as ignored.
std::optional<std::string> npgsql_key(std::string key) {
  key.erase(std::remove(key.begin(), key.end(), ' '), key.end());
  key = to_lower(key);
  if (key == "host" || key == "server") return "host";
  if (key == "port") return "port";
  if (key == "database" || key == "db") return "dbname";
  if (key == "username" || key == "userid" || key == "user" || key == "uid") return "user";
  if (key == "password" || key == "psw" || key == "pwd") return "password";
  if (key == "sslmode") return "sslmode";
  if (key == "rootcertificate") return "sslrootcert";
  if (key == "sslcertificate") return "sslcert";
  if (key == "sslkey") return "sslkey";
  if (key == "trustservercertificate") return "trustservercertificate";
  // Npgsql's keys that do not change where or how it logs in: "" (ignored).
  static constexpr std::string_view kOthers[] = {
      "pooling", "minimumpoolsize", "minpoolsize", "maximumpoolsize", "maxpoolsize", "timeout", "commandtimeout",
      "includeerrordetail", "applicationname", "searchpath", "keepalive", "tcpkeepalive", "multiplexing", "enlist",
      "noresetonclose", "connectionidlelifetime", "connectionlifetime", "maxautoprepare", "autoprepareminusages",
      "servercompatibilitymode", "logparameters", "encoding", "clientencoding", "targetsessionattributes",
      "loadbalancehosts", "hostrecheckseconds", "kerberosservicename", "includerealm", "persistsecurityinfo",
      "integratedsecurity", "channelbinding", "options", "readbuffersize", "writebuffersize", "cancellationtimeout",
      "internalcommandtimeout", "arraynullabilitymode", "timezone", "gssencryptionmode"};
  if (std::find(std::begin(kOthers), std::end(kOthers), key) != std::end(kOthers)) return "";
  return std::nullopt;
}

// The key=value pairs of an Npgsql string, split at ';' outside quotes;
// nullopt when a part has no '=' or a quote is not closed.
std::optional<std::vector<std::pair<std::string, std::string>>> npgsql_pairs(std::string_view s) {
  std::vector<std::pair<std::string, std::string>> pairs;
  for (size_t i = 0; i < s.size();) {
    size_t eq = s.find('=', i);
    size_t semicolon = s.find(';', i);
    if (eq == std::string_view::npos || semicolon < eq) {
      if (!trim(s.substr(i, semicolon == std::string_view::npos ? std::string_view::npos : semicolon - i)).empty()) return std::nullopt;
      if (semicolon == std::string_view::npos) break;
      i = semicolon + 1;
      continue;
    }
    std::string key = trim(s.substr(i, eq - i));
    i = eq + 1;
    while (i < s.size() && s[i] == ' ') ++i;
    std::string value;
    if (i < s.size() && (s[i] == '"' || s[i] == '\'')) {
      const char quote = s[i++];
      size_t close = s.find(quote, i);
      if (close == std::string_view::npos) return std::nullopt;
      value = std::string(s.substr(i, close - i));
      i = close + 1;
      while (i < s.size() && s[i] != ';') ++i;
    } else {
      size_t end = std::min(s.find(';', i), s.size());
      value = trim(s.substr(i, end - i));
      i = end;
    }
    if (i < s.size()) ++i;  // the ';'
    pairs.emplace_back(std::move(key), std::move(value));
  }
  return pairs;
}

// Npgsql's form when it has a ';' and every key of it is one of Npgsql's:
// a libpq string whose value holds a ';' ("password=a;b host=db") has a
// key "b host" that is not.
bool looks_like_npgsql(std::string_view s) {
  if (s.find(';') == std::string_view::npos) return false;
  auto pairs = npgsql_pairs(s);
  return pairs && !pairs->empty() &&
         std::all_of(pairs->begin(), pairs->end(), [](const auto& kv) { return npgsql_key(kv.first).has_value(); });
}

Result<PostgresParts> parse_npgsql(std::string_view s) {
  PostgresParts p;
  std::string ports_beside_hosts;
  auto pairs = npgsql_pairs(s);
  if (!pairs) return refuse("an Npgsql connection string has a part without '=' or an unclosed quote");
  for (auto& [raw_key, raw_value] : *pairs) {
    std::string value = std::move(raw_value);
    auto key = npgsql_key(raw_key);
    if (!key || key->empty()) {
      p.ignored.push_back(raw_key);
      continue;
    }
    if (*key == "sslmode") {
      // Npgsql: Disable, Allow, Prefer, Require, VerifyCA, VerifyFull.
      std::string mode = to_lower(value);
      if (mode == "verifyca") mode = "verify-ca";
      if (mode == "verifyfull") mode = "verify-full";
      value = mode;
    } else if (*key == "trustservercertificate") {
      p.ignored.push_back("Trust Server Certificate (Npgsql's; sslmode decides here)");
      continue;
    } else if (*key == "host") {
      // Npgsql's "h1:5433,h2": ports beside the hosts, as libpq's lists are apart.
      std::vector<std::string> names, ports;
      for (std::string_view item : split(value, ',')) {
        std::string_view host = item, port;
        if (size_t colon = item.rfind(':'); colon != std::string_view::npos && item.find(':') == colon) {
          host = item.substr(0, colon);
          port = item.substr(colon + 1);
        }
        names.emplace_back(trim(host));
        ports.emplace_back(trim(port));
      }
      value = fmt::format("{}", fmt::join(names, ","));
      if (std::any_of(ports.begin(), ports.end(), [](const std::string& x) { return !x.empty(); })) {
        ports_beside_hosts = fmt::format("{}", fmt::join(ports, ","));
      }
    }
    if (auto applied = apply(p, *key, std::move(value), Dialect::libpq); !applied.ok()) return Unexpected<Failure>{applied.error()};
  }
  if (!ports_beside_hosts.empty()) {
    // A port beside a host wins over Port=, which stands for the others.
    std::vector<std::string> ports;
    for (std::string_view port : split(ports_beside_hosts, ',')) ports.emplace_back(port.empty() ? (p.ports.empty() ? "5432" : p.ports) : port);
    p.ports = fmt::format("{}", fmt::join(ports, ","));
  }
  if (p.hosts.empty()) return refuse("an Npgsql connection string needs Host=", "write Host=db.internal;Username=...;Password=...;Database=...");
  return p;
}

std::vector<std::string> split_list(const std::string& s) {
  std::vector<std::string> out;
  size_t start = 0;
  for (;;) {
    auto comma = s.find(',', start);
    out.push_back(s.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
    if (comma == std::string::npos) return out;
    start = comma + 1;
  }
}

Result<uint16_t> parse_port(std::string_view text) {
  if (text.empty()) return uint16_t{5432};
  unsigned value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) {
    return refuse("a port is not a number", kEncodeHint);
  }
  if (value == 0 || value > 65535) return refuse("a port is out of range (1-65535)");
  return static_cast<uint16_t>(value);
}

bool valid_host_name(std::string_view host) {
  bool ipv6 = host.find(':') != std::string_view::npos;
  return std::all_of(host.begin(), host.end(), [&](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.' || c == '_' ||
           (ipv6 && (c == ':' || c == '%'));
  });
}

// pg8000's unix_sock names the socket file; libpq's host names its directory.
Status apply_unix_sock(PostgresParts& p) {
  auto slash = p.unix_sock.rfind('/');
  std::string_view file = slash == std::string::npos ? std::string_view(p.unix_sock) : std::string_view(p.unix_sock).substr(slash + 1);
  if (slash == std::string::npos || !file.starts_with(".s.PGSQL.")) {
    return refuse("unix_sock must be the path of a socket file, such as /cloudsql/PROJECT:REGION:INSTANCE/.s.PGSQL.5432");
  }
  p.hosts = slash == 0 ? "/" : p.unix_sock.substr(0, slash);
  p.ports = std::string(file.substr(9));
  return {};
}

Result<std::vector<Endpoint>> endpoints(const PostgresParts& p, Dialect d) {
  std::vector<std::string> hosts = split_list(p.hosts);
  std::vector<std::string> ports = split_list(p.ports);
  bool have_hostaddr = !p.hostaddrs.empty();
  std::vector<std::string> addresses = split_list(p.hostaddrs);
  if (have_hostaddr && addresses.size() != hosts.size() && !(p.hosts.empty() && addresses.size() > 0)) {
    return refuse(fmt::format("{} hostaddr entries are given for {} hosts: libpq needs one for each host",
                              addresses.size(), hosts.size()));
  }
  if (have_hostaddr && p.hosts.empty()) hosts.resize(addresses.size());
  if (ports.size() != 1 && ports.size() != hosts.size()) {
    return refuse(fmt::format("{} ports are given for {} hosts: libpq needs one port, or one for each host",
                              ports.size(), hosts.size()));
  }
  std::vector<Endpoint> out;
  for (size_t i = 0; i < hosts.size(); ++i) {
    auto port = parse_port(ports.size() == 1 ? ports[0] : ports[i]);
    if (!port.ok()) return Unexpected<Failure>{port.error()};
    // libpq connects to hostaddr when it is given; host then only names the
    // server for TLS verification (kept in the options, handed on as is).
    Endpoint e{have_hostaddr && !addresses[i].empty() ? addresses[i] : hosts[i], *port, {}};
    if (e.host.empty() && d == Dialect::jdbc) e.host = "localhost";  // pgjdbc's default
    if (e.host.empty() && !have_hostaddr) e.host = std::string(kDefaultPostgresSocketDir);
    if (e.host.starts_with('/') || e.host.starts_with('@')) {
      while (e.host.size() > 1 && e.host.ends_with('/')) e.host.pop_back();
      e.socket_path = fmt::format("{}{}.s.PGSQL.{}", e.host, e.host == "/" ? "" : "/", e.port);
    } else if (!valid_host_name(e.host)) {
      return refuse("a host has a character that a host name cannot contain", kEncodeHint);
    }
    out.push_back(std::move(e));
  }
  return out;
}

std::string encode_userinfo(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (std::isalnum(static_cast<unsigned char>(c)) || std::string_view("-._~").find(c) != std::string_view::npos) out += c;
    else out += fmt::format("%{:02X}", static_cast<unsigned char>(c));
  }
  return out;
}

// The target as a URI of the same scheme, credentials masked; sockets go
// in ?host= since a socket directory cannot stand in the authority.
std::string shown(const Target& t, std::string_view scheme) {
  std::string out = fmt::format("{}://", scheme);
  if (!t.user.empty() || t.password) out += fmt::format("{}{}@", encode_userinfo(t.user), t.password ? ":***" : "");
  std::vector<std::string> socket_dirs, ports;
  std::string authority;
  for (const auto& e : t.endpoints) {
    if (e.is_socket()) socket_dirs.push_back(e.host), ports.push_back(std::to_string(e.port));
    else authority += (authority.empty() ? "" : ",") + e.display();
  }
  if (socket_dirs.empty()) out += authority;
  out += "/" + t.database;
  std::vector<std::string> query;
  if (!socket_dirs.empty()) {
    query.push_back(fmt::format("host={}", fmt::join(socket_dirs, ",")));
    bool default_ports = std::all_of(ports.begin(), ports.end(), [](const std::string& p) { return p == "5432"; });
    if (!default_ports) query.push_back(fmt::format("port={}", fmt::join(ports, ",")));
  }
  if (!t.tls.protocol_mode.empty()) query.push_back("sslmode=" + t.tls.protocol_mode);
  if (!query.empty()) out += fmt::format("?{}", fmt::join(query, "&"));
  return out;
}

}  // namespace

void set_sslmode(TargetTls& tls, std::string mode) {
  if (mode.empty()) tls.use = TlsUse::client_default;
  else if (mode == "disable") tls.use = TlsUse::off;
  else if (mode == "allow" || mode == "prefer") tls.use = TlsUse::optional;
  else tls.use = TlsUse::required;
  tls.verify = mode == "verify-ca" || mode == "verify-full";
  tls.protocol_mode = std::move(mode);
}

void apply_postgres_fields(Target& target, const nlohmann::json& fields) {
  if (auto v = string_field(fields, "sslmode"); !v.empty()) set_sslmode(target.tls, v);
  if (auto v = string_field(fields, "sslrootcert"); !v.empty()) target.tls.ca_file = v;
}

namespace {

// service=NAME: the service file's keywords fill in what the string leaves
// unset, as libpq's parseServiceInfo does before the environment and the
// defaults.
Status apply_service(PostgresParts& p, std::string& form, std::vector<std::string>& applied_keys, std::string& origin) {
  auto named = std::find_if(p.options.begin(), p.options.end(), [](const auto& kv) { return kv.first == "service"; });
  if (named == p.options.end()) return {};
  const std::string service = named->second;
  auto definition = find_service(service);
  if (!definition.ok()) return Unexpected<Failure>{definition.error()};
  for (auto& [key, value] : definition->keywords) {
    const bool set = key == "host"       ? !p.hosts.empty()
                     : key == "port"     ? !p.ports.empty()
                     : key == "hostaddr" ? !p.hostaddrs.empty()
                     : key == "user"     ? !p.user.empty()
                     : key == "password" ? p.password.has_value()
                     : key == "dbname"   ? !p.dbname.empty()
                     : key == "sslmode"  ? !p.sslmode.empty()
                                         : std::any_of(p.options.begin(), p.options.end(),
                                                       [&key = key](const auto& kv) { return kv.first == key; });
    if (set) continue;
    applied_keys.push_back(key);
    if (auto applied = apply(p, key, value, Dialect::libpq); !applied.ok()) {
      Failure f = applied.error();
      f.message = fmt::format("service \"{}\" in {}: {}", service, definition->file, f.message);
      return Unexpected<Failure>{std::move(f)};
    }
  }
  origin = fmt::format("service \"{}\" of {}", service, definition->file);
  form += " + " + origin;
  return {};
}

Result<Target> build(PostgresParts p, std::string form, std::string_view scheme, Dialect d) {
  std::vector<std::string> from_service;
  std::string service_origin;
  if (auto service = apply_service(p, form, from_service, service_origin); !service.ok()) {
    return Unexpected<Failure>{service.error()};
  }
  if (!p.unix_sock.empty()) {
    if (auto s = apply_unix_sock(p); !s.ok()) return Unexpected<Failure>{s.error()};
  }
  auto eps = endpoints(p, d);
  if (!eps.ok()) return Unexpected<Failure>{eps.error()};
  Target t;
  t.form = std::move(form);
  t.scheme = "postgres";
  t.endpoints = std::move(*eps);
  t.user = p.user;
  t.password = p.password;
  t.database = p.dbname;
  // pgjdbc (SslMode.of, checked against pgjdbc 42.5): sslmode wins wherever
  // it stands; else ssl=true in any case, or ssl= empty, is verify-full, and
  // any other value (1, yes, false) leaves pgjdbc's default, prefer.
  if (p.jdbc_ssl && !p.sslmode_given) {
    p.sslmode = to_lower(*p.jdbc_ssl) == "true" || p.jdbc_ssl->empty() ? "verify-full" : "prefer";
  }
  // pgjdbc's NonValidatingFactory accepts any certificate, whatever
  // ssl=true (verify-full in a JDBC URL) or sslmode says.
  if (p.no_verification && (p.sslmode == "verify-full" || p.sslmode == "verify-ca")) p.sslmode = "require";
  set_sslmode(t.tls, p.sslmode);
  t.options = std::move(p.options);
  if (!p.hostaddrs.empty()) {
    t.options.emplace_back("hostaddr", p.hostaddrs);
    t.options.emplace_back("host", p.hosts);
  }
  for (const auto& [key, value] : t.options) {
    if (key == "sslrootcert") t.tls.ca_file = value;
    else if (key == "sslcert") t.tls.cert = value;
    else if (key == "sslkey") t.tls.key = value;
    else if (key == "sslpassword" && !value.empty()) t.secrets.push_back(value);
  }
  t.ignored = std::move(p.ignored);
  if (t.password && !t.password->empty()) t.secrets.push_back(*t.password);
  for (const std::string& key : from_service) {
    const bool endpoint_part = key == "host" || key == "port";
    for (size_t i = 0; endpoint_part && i < t.endpoints.size(); ++i) {
      const bool socket = key == "host" && t.endpoints[i].is_socket();
      std::string part = socket ? "socket directory" : key;
      if (t.endpoints.size() > 1) part += fmt::format(" {}", i + 1);
      t.outside_origins.emplace_back(std::move(part), service_origin);
    }
    if (key == "user" || key == "password") t.outside_origins.emplace_back(key, service_origin);
    if (key == "dbname") t.outside_origins.emplace_back("database", service_origin);
  }
  t.shown = shown(t, scheme);
  return t;
}

bool is_dj_database_url_alias(std::string_view scheme) {
  return scheme == "pgsql" || scheme == "postgis" || scheme == "timescale" || scheme == "timescalegis";
}

}  // namespace

Result<Target> read_postgres(std::string_view text) {
  std::string lower = to_lower(std::string(text.substr(0, std::min<size_t>(text.size(), 64))));
  if (lower.starts_with("jdbc:postgresql:")) {
    std::string_view rest = text.substr(16);
    if (!rest.starts_with("//")) {  // jdbc:postgresql:database — localhost:5432
      auto q = rest.find('?');
      std::string uri = fmt::format("localhost/{}", rest.substr(0, q));
      if (q != std::string_view::npos) uri += rest.substr(q);
      auto p = parse_uri(uri, Dialect::jdbc);
      if (!p.ok()) return Unexpected<Failure>{p.error()};
      return build(std::move(*p), "JDBC URL", "jdbc:postgresql", Dialect::jdbc);
    }
    auto p = parse_uri(rest.substr(2), Dialect::jdbc);
    if (!p.ok()) return Unexpected<Failure>{p.error()};
    return build(std::move(*p), "JDBC URL", "jdbc:postgresql", Dialect::jdbc);
  }
  auto sep = lower.find("://");
  if (sep != std::string::npos && lower.find('=') > sep) {
    std::string scheme = lower.substr(0, sep);
    std::string_view rest = text.substr(sep + 3);
    if (scheme == "postgres" || scheme == "postgresql") {
      auto p = parse_uri(rest, Dialect::libpq);
      if (!p.ok()) return Unexpected<Failure>{p.error()};
      return build(std::move(*p), "libpq URI", scheme, Dialect::libpq);
    }
    auto plus = scheme.find('+');
    std::string base = scheme.substr(0, plus);
    if ((base == "postgres" || base == "postgresql") && plus != std::string::npos && plus + 1 < scheme.size()) {
      auto p = parse_sqlalchemy(rest, std::string_view(scheme).substr(plus + 1));
      if (!p.ok()) return Unexpected<Failure>{p.error()};
      return build(std::move(*p), fmt::format("SQLAlchemy URL ({})", scheme.substr(plus + 1)), scheme, Dialect::sqlalchemy);
    }
    if (is_dj_database_url_alias(scheme)) {
      auto p = parse_uri(rest, Dialect::dj_database_url);
      if (!p.ok()) return Unexpected<Failure>{p.error()};
      return build(std::move(*p), fmt::format("dj-database-url URL ({})", scheme), scheme, Dialect::dj_database_url);
    }
    return refuse("a postgres check cannot use this URL scheme",
                  "write postgresql://, a driver URL such as postgresql+asyncpg://, jdbc:postgresql://, or a libpq "
                  "key=value string");
  }
  if (looks_like_npgsql(text)) {
    auto p = parse_npgsql(text);
    if (!p.ok()) return Unexpected<Failure>{p.error()};
    return build(std::move(*p), "Npgsql connection string", "postgresql", Dialect::libpq);
  }
  if (text.find('=') != std::string_view::npos) {
    auto p = parse_conninfo(text);
    if (!p.ok()) return Unexpected<Failure>{p.error()};
    return build(std::move(*p), "libpq key=value string", "postgresql", Dialect::libpq);
  }
  return refuse("the value is neither a PostgreSQL URL nor a libpq key=value string",
                "write postgresql://user:password@host:5432/dbname or host=... dbname=... user=...");
}

}  // namespace preflight
