// mysql:// and its kin (mysql_reader.h) — a login and `SELECT 1` (or
// `query`, compared with `expect`) through MariaDB Connector/C's
// non-blocking API, every wait on our deadline and cancel token.
#include <mysql.h>

#include <poll.h>

#include <algorithm>
#include <cmath>
#include <mutex>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "net/accepts.h"
#include "net/ca_bundle.h"
#include "net/resolve.h"
#include "net/socket_facts.h"
#include "net/wait.h"
#include "base/duration.h"
#include "base/redact.h"
#include "probes/mysql/mysql_reader.h"
#include "probes/mysql/mysql_session.h"
#include "probes/common_hints.h"
#include "probes/probe_types.h"

namespace preflight {
namespace {

struct MysqlTarget {
  Endpoint endpoint;
  std::string user, password, database;
  std::string tls_mode;  // mysql_reader.h's modes
  std::string ca, cert, key;
  std::vector<std::string> added_ca;
  std::string query = "SELECT 1";
  std::optional<std::string> expect;
};

struct Closer {
  void operator()(MYSQL* m) const { mysql_close(m); }
};
using Connection = std::unique_ptr<MYSQL, Closer>;

// Connector/C's authentication plugins that never put the password on the
// wire as it is: all but mysql_clear_password and dialog.
constexpr const char* kHashedPasswordPlugins =
    "mysql_native_password,mysql_old_password,caching_sha2_password,sha256_password,client_ed25519,auth_gssapi_client,"
    "parsec";

// The server's error numbers (mysqld_error.h) that name a cause.
Cause cause_of(unsigned code) {
  switch (code) {
    case 1045: return Cause::credentials_rejected;  // ER_ACCESS_DENIED_ERROR
    case 1698: return Cause::password_required;     // ER_ACCESS_DENIED_NO_PASSWORD_ERROR
    case 1044: return Cause::missing_permission;    // ER_DBACCESS_DENIED_ERROR
    case 1049: return Cause::no_such_database;      // ER_BAD_DB_ERROR
    case 1040:                                      // ER_CON_COUNT_ERROR
    case 1203:                                      // ER_TOO_MANY_USER_CONNECTIONS
    case 1226:                                      // ER_USER_LIMIT_REACHED
      return Cause::connection_limit;
    case 1053: return Cause::shutting_down;  // ER_SERVER_SHUTDOWN
    case 3159: return Cause::tls_required;   // ER_SECURE_TRANSPORT_REQUIRED
    default: return Cause::none;
  }
}

// The client's and the server's error numbers (errmsg.h, mysqld_error.h),
// as the kinds preflight reports. The server's words are scrubbed on their
// own: Connector/C keeps 511 bytes of them without marking the cut, and a
// secret cut there is seen as cut only where the text ends.
Failure classify(MYSQL* m, Stage step, const Redactor& redactor) {
  const unsigned code = mysql_errno(m);
  std::string message = fmt::format("mysql: {} ({} {})", redactor.scrub_peer(mysql_error(m)), code, mysql_sqlstate(m));
  auto failure = [&](FailureKind kind, Stage stage, std::string hint = {}) {
    Failure f{kind, message, std::move(hint), stage, std::to_string(code)};
    f.cause = cause_of(code);
    return f;
  };
  const bool in_query = step == Stage::query;
  switch (code) {
    case 1045:  // ER_ACCESS_DENIED_ERROR
    case 1044:  // ER_DBACCESS_DENIED_ERROR
    case 1698:  // ER_ACCESS_DENIED_NO_PASSWORD_ERROR
      return failure(FailureKind::auth, Stage::login);
    case 1130:  // ER_HOST_NOT_PRIVILEGED
      return failure(FailureKind::auth, Stage::login,
                     "the server has no account for this user from this client's address: MySQL matches user@host, so "
                     "an account for 'user'@'%' (or this address) is needed");
    case 1049:  // ER_BAD_DB_ERROR
      return failure(FailureKind::invalid_config, in_query ? Stage::query : Stage::login);
    case 1129:  // ER_HOST_IS_BLOCKED
      return failure(FailureKind::invalid_config, Stage::login,
                     "the server blocked this address after too many failed connections: FLUSH HOSTS (or raise "
                     "max_connect_errors) on the server, then fix what failed");
    case 1040:  // ER_CON_COUNT_ERROR
    case 1203:  // ER_TOO_MANY_USER_CONNECTIONS
    case 1226:  // ER_USER_LIMIT_REACHED
    case 1053:  // ER_SERVER_SHUTDOWN
    case 1927:  // ER_CONNECTION_KILLED
      return failure(FailureKind::unhealthy, in_query ? Stage::query : Stage::login);
    case 5010: {  // CR_PLUGIN_NOT_ALLOWED: the plugin is not in kHashedPasswordPlugins
      // The library's words may garble the plugin's name ('ve_password').
      Failure f = failure(FailureKind::auth, Stage::login,
                          "require TLS (?ssl_mode=REQUIRED, or VERIFY_IDENTITY with ssl_ca) or connect through the local "
                          "socket, where a password in clear cannot be read on the way; a server that should not ask "
                          "for it (mysql_native_password accounts) may have something in between reading passwords");
      f.message = fmt::format("mysql: the server asked for the password in clear text (mysql_clear_password, or PAM's "
                              "dialog) on a connection without TLS, and preflight did not send it ({} {})",
                              code, mysql_sqlstate(m));
      f.cause = Cause::cleartext_password_refused;
      return f;
    }
    case 3159:  // ER_SECURE_TRANSPORT_REQUIRED
      return failure(FailureKind::tls, Stage::login,
                     "the server requires TLS (require_secure_transport): add ?ssl_mode=REQUIRED (or VERIFY_IDENTITY "
                     "with ssl_ca) to the URL");
    case 2005:  // CR_UNKNOWN_HOST
      return failure(FailureKind::dns, Stage::resolve);
    case 2002:  // CR_CONNECTION_ERROR: a socket, or TCP refused
    case 2003:  // CR_CONN_HOST_ERROR
      if (message.find("(110)") != std::string::npos) return failure(FailureKind::timeout, Stage::connect);
      return Failure{FailureKind::connection_refused, message, {}, Stage::connect, "ECONNREFUSED"};
    case 2026: {  // CR_SSL_CONNECTION_ERROR: the library's words say whether it was the certificate
      Failure f = failure(FailureKind::tls, Stage::tls);
      if (message.find("certificate") != std::string::npos) f.cause = Cause::untrusted_certificate;
      return f;
    }
    case 2006:  // CR_SERVER_GONE_ERROR
    case 2013:  // CR_SERVER_LOST
    case 2027:  // CR_MALFORMED_PACKET
    case 2012:  // CR_SERVER_HANDSHAKE_ERR
      return failure(FailureKind::protocol, in_query ? Stage::query : Stage::reply);
    default:
      return failure(in_query && code < 2000 ? FailureKind::unhealthy : FailureKind::protocol, in_query ? Stage::query : Stage::login);
  }
}

class MysqlProbe final : public Probe, public SqlSession {
 public:
  MysqlProbe(MysqlTarget target, std::shared_ptr<const Redactor> redactor)
      : t_(std::move(target)), redactor_(std::move(redactor)) {}

  Status attempt(Deadline deadline, const CancelToken& cancel) const override {
    auto address = dial_address(deadline, cancel);
    if (!address.ok()) return Unexpected<Failure>{address.error()};
    auto conn = connect(*address, deadline, cancel);
    if (!conn.ok()) return Unexpected<Failure>{conn.error()};
    return query(conn->get(), deadline, cancel);
  }

  Result<std::vector<SqlAnswer>> ask(const std::vector<std::string>& statements, Deadline deadline,
                                     const CancelToken& cancel) const override {
    auto address = dial_address(deadline, cancel);
    if (!address.ok()) return Unexpected<Failure>{address.error()};
    auto conn = connect(*address, deadline, cancel);
    if (!conn.ok()) return Unexpected<Failure>{conn.error()};
    std::vector<SqlAnswer> answers;
    for (const std::string& sql : statements) {
      auto result = run(conn->get(), sql, deadline, cancel);
      if (!result.ok()) return Unexpected<Failure>{result.error()};
      SqlAnswer& answer = answers.emplace_back();
      if (result->refused) {
        answer.refused = std::move(result->refused);
        continue;
      }
      MYSQL_RES* rows = result->rows.get();
      const unsigned columns = rows ? mysql_num_fields(rows) : 0;
      while (MYSQL_ROW row = rows ? mysql_fetch_row(rows) : nullptr) {
        SqlRow& cells = answer.rows.emplace_back();
        for (unsigned i = 0; i < columns; ++i) cells.push_back(row[i] ? std::optional<std::string>(row[i]) : std::nullopt);
      }
    }
    return answers;
  }

 private:
  // A statement's stored rows, or the server's refusal of it (code: the
  // server's error number).
  struct Stored {
    std::unique_ptr<MYSQL_RES, decltype(&mysql_free_result)> rows{nullptr, mysql_free_result};
    std::optional<Failure> refused;
  };

  // Sends `sql` and stores its rows; a stall or a lost connection is the
  // Result's failure.
  Result<Stored> run(MYSQL* m, const std::string& sql, Deadline deadline, const CancelToken& cancel) const {
    int error = 0;
    int status = mysql_real_query_start(&error, m, sql.c_str(), sql.size());
    auto sent = drive(m, status, [&](int events) { return mysql_real_query_cont(&error, m, events); }, deadline, cancel, Stage::query);
    if (!sent.ok()) return Unexpected<Failure>{sent.error()};
    if (error != 0) return statement_failure(m, sql);
    MYSQL_RES* result = nullptr;
    status = mysql_store_result_start(&result, m);
    auto stored = drive(m, status, [&](int events) { return mysql_store_result_cont(&result, m, events); }, deadline, cancel, Stage::query);
    if (!stored.ok()) return Unexpected<Failure>{stored.error()};
    Stored stored_rows;
    stored_rows.rows.reset(result);
    if (!result && mysql_errno(m) != 0) return statement_failure(m, sql);
    return stored_rows;
  }

  // The server's refusal, or a failure of the connection (a lost server
  // is the attempt's, not the statement's).
  Result<Stored> statement_failure(MYSQL* m, const std::string& sql) const {
    Failure f = classify(m, Stage::query, *redactor_);
    f.message = fmt::format("query \"{}\" failed: {}", sql, f.message);
    if (f.kind != FailureKind::unhealthy) return Unexpected<Failure>{std::move(f)};
    Stored refused;
    refused.refused = std::move(f);
    return refused;
  }

  // The address handed to the library, looked up here under the deadline:
  // the connector's own lookup blocks. Name verification needs the name,
  // so verify_identity hands that on (and the connector looks it up again).
  Result<std::string> dial_address(Deadline deadline, const CancelToken& cancel) const {
    const Endpoint& e = t_.endpoint;
    if (e.is_socket() || net::is_ip_literal(e.host)) return e.is_socket() ? std::string("localhost") : e.host;
    auto resolved = net::resolve(e.host, e.port, deadline, cancel);
    if (!resolved.ok()) return Unexpected<Failure>{resolved.error()};
    if (t_.tls_mode == "verify_identity") return e.host;
    return resolved->front();
  }

  // Runs a _start/_cont pair to its end: waits for what the library asks,
  // on our deadline and cancel token.
  template <typename Continue>
  Status drive(MYSQL* m, int status, Continue&& cont, Deadline deadline, const CancelToken& cancel,
               Stage step) const {
    while (status != 0) {
      short events = static_cast<short>(((status & MYSQL_WAIT_READ) ? POLLIN : 0) | ((status & MYSQL_WAIT_WRITE) ? POLLOUT : 0) |
                                        ((status & MYSQL_WAIT_EXCEPT) ? POLLPRI : 0));
      Deadline until = deadline;
      if (status & MYSQL_WAIT_TIMEOUT) until = Deadline::after(Millis{mysql_get_timeout_value_ms(m)}).earlier(deadline);
      auto w = net::wait_fd(mysql_get_socket(m), events, until, cancel);
      if (w == net::WaitResult::cancelled) return fail(FailureKind::interrupted, "interrupted by a signal");
      if (w == net::WaitResult::deadline && deadline.expired()) {
        return Unexpected<Failure>{Failure{FailureKind::timeout,
                                           fmt::format("mysql {} with {} did not complete before the deadline",
                                                       step == Stage::query ? "query" : "connect and login",
                                                       t_.endpoint.display()),
                                           {}, step, {}}};
      }
      status = cont(w == net::WaitResult::deadline ? MYSQL_WAIT_TIMEOUT : status & ~MYSQL_WAIT_TIMEOUT);
    }
    return {};
  }

  Result<Connection> connect(const std::string& address, Deadline deadline, const CancelToken& cancel) const {
    static std::once_flag library_ready;
    std::call_once(library_ready, [] { mysql_library_init(0, nullptr, nullptr); });
    Connection conn(mysql_init(nullptr));
    if (!conn) return fail(FailureKind::protocol, "the MySQL client library could not allocate a connection");
    MYSQL* m = conn.get();
    mysql_options(m, MYSQL_OPT_NONBLOCK, nullptr);
    // Our deadline governs; the library's own limit is a backstop past it.
    unsigned backstop = static_cast<unsigned>(std::ceil(deadline.remaining_ms_for_poll() / 1000.0)) + 1;
    mysql_options(m, MYSQL_OPT_CONNECT_TIMEOUT, &backstop);
    mysql_options(m, MYSQL_OPT_READ_TIMEOUT, &backstop);
    mysql_options(m, MYSQL_OPT_WRITE_TIMEOUT, &backstop);
    unsigned protocol = t_.endpoint.is_socket() ? MYSQL_PROTOCOL_SOCKET : MYSQL_PROTOCOL_TCP;
    mysql_options(m, MYSQL_OPT_PROTOCOL, &protocol);
    auto ca = net::library_ca_file(t_.ca, t_.added_ca);
    if (!ca.ok()) return Unexpected<Failure>{ca.error()};
    if (t_.tls_mode != "disabled") {
      // preferred: TLS when the server offers it; required and stronger: TLS or fail.
      my_bool enforce = t_.tls_mode != "preferred";
      my_bool verify = t_.tls_mode == "verify_identity";
      mysql_ssl_set(m, t_.key.empty() ? nullptr : t_.key.c_str(), t_.cert.empty() ? nullptr : t_.cert.c_str(),
                    ca->empty() ? nullptr : ca->c_str(), nullptr, nullptr);
      mysql_options(m, MYSQL_OPT_SSL_ENFORCE, &enforce);
      mysql_options(m, MYSQL_OPT_SSL_VERIFY_SERVER_CERT, &verify);
    }
    // The password in clear (mysql_clear_password, PAM's dialog) only where
    // nothing can read it on the way: TLS that is enforced, or the socket.
    // Any server may ask for it, and Connector/C would send it.
    if (!t_.endpoint.is_socket() && (t_.tls_mode == "disabled" || t_.tls_mode == "preferred")) {
      mysql_options(m, MARIADB_OPT_RESTRICTED_AUTH, kHashedPasswordPlugins);
    }
    const Endpoint& e = t_.endpoint;
    MYSQL* connected = nullptr;
    int status = mysql_real_connect_start(&connected, m, address.c_str(), t_.user.empty() ? nullptr : t_.user.c_str(),
                                          t_.password.c_str(), t_.database.empty() ? nullptr : t_.database.c_str(),
                                          e.is_socket() ? 0 : e.port, e.is_socket() ? e.socket_path.c_str() : nullptr, 0);
    auto done = drive(m, status, [&](int events) { return mysql_real_connect_cont(&connected, m, events); }, deadline,
                      cancel, Stage::login);
    if (!done.ok()) return Unexpected<Failure>{done.error()};
    if (!connected) {
      Failure f = classify(m, Stage::login, *redactor_);
      f = e.is_socket() ? net::with_socket_facts(std::move(f), e.socket_path)
                        : net::with_other_loopback(std::move(f), address, e.port, deadline, cancel);
      return Unexpected<Failure>{f};
    }
    // Whether a connection without TLS is refused depends on the library's
    // version; what was negotiated does not.
    if (t_.tls_mode != "disabled" && t_.tls_mode != "preferred" && mysql_get_ssl_cipher(m) == nullptr) {
      return Unexpected<Failure>{Failure{FailureKind::tls,
                                         fmt::format("{} logged in without TLS, and ssl_mode is {}: the server offers none",
                                                     e.display(), t_.tls_mode),
                                         "turn TLS on at the server (ssl_cert and ssl_key), or lower ssl_mode if the path is "
                                         "private",
                                         Stage::tls, "SSL_NOT_SUPPORTED"}};
    }
    return conn;
  }

  Status query(MYSQL* m, Deadline deadline, const CancelToken& cancel) const {
    auto result = run(m, t_.query, deadline, cancel);
    if (!result.ok()) return Unexpected<Failure>{result.error()};
    if (result->refused) return Unexpected<Failure>{std::move(*result->refused)};
    if (!t_.expect) return {};
    MYSQL_RES* rows = result->rows.get();
    MYSQL_ROW row = rows ? mysql_fetch_row(rows) : nullptr;
    std::string got = !row ? "(no rows)" : row[0] ? row[0] : "NULL";
    if (got == *t_.expect) return {};
    return Unexpected<Failure>{at_stage({FailureKind::unhealthy, fmt::format("query \"{}\" returned \"{}\", expected \"{}\"", t_.query,
                                                                             redactor_->prefix(got, 200), *t_.expect)},
                                        Stage::query)};
  }

  MysqlTarget t_;
  std::shared_ptr<const Redactor> redactor_;
};

MysqlTarget mysql_target(const ProbeInput& in) {
  const Target& target = in.target;
  MysqlTarget t;
  t.endpoint = target.endpoints.front();
  t.user = target.user;
  t.password = target.password.value_or("");
  t.database = target.database;
  t.tls_mode = target.tls.protocol_mode;
  t.ca = target.tls.ca_file;
  t.added_ca = target.tls.added_ca;
  t.cert = target.tls.cert;
  t.key = target.tls.key;
  // MariaDB Connector/C checks the chain only together with the name: a
  // CA-only check would refuse Cloud SQL, whose certificates name the
  // instance, not its address. It is checked as required (encrypted).
  if (t.tls_mode == "verify_ca") t.tls_mode = "required";
  return t;
}

Result<std::unique_ptr<Probe>> make_mysql_probe(const ProbeInput& in) {
  MysqlTarget t = mysql_target(in);
  if (auto q = string_field(in.fields, "query"); !q.empty()) t.query = q;
  if (in.fields.contains("expect")) t.expect = string_field(in.fields, "expect");
  return std::unique_ptr<Probe>(std::make_unique<MysqlProbe>(std::move(t), in.redactor));
}

std::optional<std::string> mysql_cleartext(const Target& t) {
  if (t.endpoints.front().is_socket()) return std::nullopt;
  if (t.tls.protocol_mode == "disabled" || t.tls.protocol_mode == "preferred") {
    return "the MySQL login and every row; add ?ssl_mode=VERIFY_IDENTITY (with ssl_ca for a private CA)";
  }
  return std::nullopt;
}

}  // namespace

Result<std::unique_ptr<SqlSession>> make_mysql_session(const ProbeInput& in) {
  return std::unique_ptr<SqlSession>(std::make_unique<MysqlProbe>(mysql_target(in), in.redactor));
}

std::string mysql_hint(const Failure& f, const HintContext& c) {
  switch (f.cause) {
    case Cause::no_such_database: return no_such_database_hint(c);
    case Cause::connection_limit:
      return connection_limit_hint("MySQL max_connections, or the account's MAX_USER_CONNECTIONS", "");
    case Cause::missing_permission:
      return fmt::format("the login worked, but the user may not use the database {}{}: GRANT it on the server, or "
                         "fix the database name",
                         c.target ? c.target->database : "?", c.named_source(c.target ? c.target->database : ""));
    default: return {};
  }
}

// mysql_profile.cc
void offer_mysql_checks(const ProfileVariables& vars, std::vector<ProfileOffer>& out);

extern const ProbeType kMysqlProbeType{
    .name = "mysql",
    .schemes = {{"mysql", 3306}, {"mariadb", 3306}, {"mysql2", 3306}},
    .fields = {{"user", FieldType::string},
               {"password", FieldType::string, true},
               {"dbname", FieldType::string},
               {"ca_file", FieldType::string},
               {"query", FieldType::string},
               {"expect", FieldType::string}},
    .make = make_mysql_probe,
    .read = read_mysql,
    .ca_field = "ca_file",
    .cleartext_advice = mysql_cleartext,
    .managed_ca = "Cloud SQL: the instance's server CA",
    .lint_notes = [](const Target& t, bool) -> std::vector<std::string> {
      const Endpoint& e = t.endpoints.front();
      if (t.form != "URL" || e.is_socket() || e.host != "localhost") return {};
      return {fmt::format("\"localhost\" is checked over TCP, as Node's, Go's, Java's and pymysql's clients connect; "
                          "mysqlclient (Django, SQLAlchemy's default driver) reaches it through the Unix socket {} "
                          "instead: write 127.0.0.1 to mean TCP for every client",
                          kDefaultMysqlSocket)};
    },
    .hint = mysql_hint,
    .offer = offer_mysql_checks,
    .health_names = {"db", "database", "datasource", "mysql", "mariadb", "sql"},
};

}  // namespace preflight
