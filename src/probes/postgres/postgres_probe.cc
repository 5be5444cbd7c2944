// postgres:// and postgresql:// — a real login with libpq's non-blocking
// connect, then `SELECT 1` (or a configured query whose first cell may be
// compared with `expect`).
#include <libpq-fe.h>
#include <poll.h>

#include <algorithm>
#include <cctype>
#include <mutex>

#include <netinet/in.h>
#include <sys/socket.h>

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include "net/accepts.h"
#include "net/ca_bundle.h"
#include "net/certificate_watch.h"
#include "net/openssl_init.h"
#include "net/socket_facts.h"
#include "net/resolve.h"
#include "net/wait.h"
#include "base/redact.h"
#include "base/text.h"
#include "probes/postgres/libpq_files.h"
#include "probes/postgres/postgres_reader.h"
#include "probes/postgres/postgres_session.h"
#include "base/hosts.h"
#include "probes/common_hints.h"
#include "probes/headroom.h"
#include "probes/probe_types.h"

namespace preflight {
namespace {

void log_notice(void*, const char* message) {
  std::string_view text(message);
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.remove_suffix(1);
  spdlog::debug("postgres notice: {}", text);
}

struct PostgresTarget {
  std::vector<Endpoint> endpoints;
  std::vector<std::pair<std::string, std::string>> options;  // libpq keywords, handed on
  std::string user, password, dbname, sslmode;
  std::string ca_file;  // sslrootcert, with added_ca joined to it when connecting
  std::vector<std::string> added_ca;
  std::string query = "SELECT 1";
  std::optional<std::string> expect;
  int headroom = kDefaultHeadroomPercent;  // percent of connections to keep free; 0: no warning
};

struct ConnDeleter {
  void operator()(PGconn* c) const { PQfinish(c); }
};
struct ResultDeleter {
  void operator()(PGresult* r) const { PQclear(r); }
};
using Conn = std::unique_ptr<PGconn, ConnDeleter>;
using PgResult = std::unique_ptr<PGresult, ResultDeleter>;

// Why, from libpq's (and the server's) words: the one place they are read.
template <typename Has>
Cause cause_of(FailureKind kind, std::string_view code, const Has& has) {
  if (code == "HOSTNAME_MISMATCH") return Cause::hostname_mismatch;
  if (code == "CERT_HAS_EXPIRED") return Cause::certificate_expired;
  if (code == "SSL_NOT_SUPPORTED") return Cause::server_without_tls;
  if (code == "UNABLE_TO_GET_ISSUER_CERT_LOCALLY") return Cause::untrusted_certificate;
  if (code == "CA_FILE_UNREADABLE") return Cause::ca_file_unreadable;
  // pg_hba.conf's clientcert=verify-ca (or verify-full), or the cert method.
  if (has("requires a valid client certificate")) return Cause::client_certificate_required;
  if (kind == FailureKind::auth) {
    // pg_hba.conf has only a hostssl line for this login.
    if (has("no pg_hba.conf entry") && has("no encryption")) return Cause::tls_required;
    if (has("no password supplied") || has("password is required")) return Cause::password_required;
    if (has("role") && has("does not exist")) return Cause::unknown_user;
    if (has("password authentication failed")) return Cause::credentials_rejected;
    return Cause::none;
  }
  if (kind == FailureKind::unhealthy) {
    if (has("no more connections allowed")) return Cause::pooler_full;
    if (has("too many connections") || has("too many clients") || has("remaining connection slots")) {
      return Cause::connection_limit;
    }
    if (has("shutting down")) return Cause::shutting_down;
    // "not yet accepting connections": recovery at start-up, before a
    // consistent state.
    if (has("starting up") || has("not yet accepting connections")) return Cause::starting_up;
    if (has("in recovery") || has("not accepting connections")) return Cause::standby;
  }
  if (kind == FailureKind::invalid_config && has("database") && has("does not exist")) return Cause::no_such_database;
  return Cause::none;
}

// libpq reports connection failures as text only; these phrases are stable
// across PostgreSQL 9.6-17.
Failure classify(const std::string& raw) {
  std::string message = trim(raw);
  std::string m = to_lower(message);
  auto has = [&](std::string_view s) { return m.find(s) != std::string::npos; };
  FailureKind kind = FailureKind::protocol;
  // A socket that is not there yet (the Cloud SQL Auth Proxy starting) is
  // as retryable as a refused port.
  // "could not create socket: Too many open files": this machine's limit.
  if (has("too many open files") || has("out of memory")) {
    Failure f{FailureKind::resource, fmt::format("postgres: {}", message), {}, Stage::connect, {}};
    f.cause = has("out of memory") ? Cause::out_of_memory : Cause::out_of_file_descriptors;
    return f;
  }
  if (has("connection refused") || has("no such file or directory")) kind = FailureKind::connection_refused;
  else if (has("could not translate host name")) kind = FailureKind::dns;
  // "not accepting connections": a standby with hot_standby off (DETAIL:
  // Hot standby mode is disabled), or one still catching up.
  // "no more connections allowed (max_client_conn)": PgBouncer, full.
  else if (has("starting up") || has("in recovery") || has("too many connections") || has("too many clients") || has("shutting down") ||
           has("not accepting connections") || has("not yet accepting connections") || has("remaining connection slots") ||
           has("no more connections allowed"))
    kind = FailureKind::unhealthy;
  else if (has("password authentication failed") || has("no pg_hba.conf entry") || has("authentication failed") ||
           has("no password supplied") || has("password is required") || (has("role") && has("does not exist")))
    kind = FailureKind::auth;
  else if (has("database") && has("does not exist")) kind = FailureKind::invalid_config;
  // Before any connection: no user given, and the OS user libpq would name
  // instead has no passwd entry (`docker run --user 10001`, a distroless
  // image). Nothing is wrong with the server.
  else if (has("local user with id") && has("does not exist")) {
    return {FailureKind::invalid_config, fmt::format("postgres: {}", message),
            "the check names no user, so libpq takes the name of the user preflight runs as, and this UID has no "
            "entry in /etc/passwd (docker run --user, an image without that user): put the user in the URL "
            "(postgres://USER@HOST/DB) or in the check's \"user\" field",
            Stage::login, "NO_PASSWD_ENTRY"};
  }
  // "received invalid response to SSL negotiation: H": not PostgreSQL at
  // all (an HTTP server, say), whatever the TLS settings.
  else if (has("invalid response to ssl negotiation")) kind = FailureKind::protocol;
  else if (has("ssl") || has("certificate")) kind = FailureKind::tls;
  else if (has("timeout expired")) kind = FailureKind::timeout;
  // libpq does not say which step failed; the kind does, mostly.
  Stage stage = kind == FailureKind::dns                  ? Stage::resolve
                : kind == FailureKind::connection_refused ? Stage::connect
                : kind == FailureKind::tls                ? Stage::tls
                : kind == FailureKind::timeout            ? Stage::connect
                                                          : Stage::login;
  // libpq's words are the only record of why TLS failed.
  std::string code = has("does not match host name")       ? "HOSTNAME_MISMATCH"
                     : has("certificate has expired")      ? "CERT_HAS_EXPIRED"
                     : has("server does not support ssl")  ? "SSL_NOT_SUPPORTED"
                     : has("certificate verify failed")    ? "UNABLE_TO_GET_ISSUER_CERT_LOCALLY"
                     : has("root certificate file")        ? "CA_FILE_UNREADABLE"
                     : has("no such file or directory")    ? "ENOENT"
                     : kind == FailureKind::connection_refused ? "ECONNREFUSED"
                                                           : "";
  Failure f{kind, fmt::format("postgres: {}", message), {}, stage, code};
  f.cause = cause_of(kind, code, has);
  return f;
}

// `step` for the message ("TCP connect", "query \"SELECT 1\""), `stage`
// for the data.
Failure stalled(std::string_view step, const PostgresTarget& t, Stage stage) {
  return {FailureKind::timeout,
          fmt::format("postgres {} with {} did not complete before the deadline", step, join_endpoints(t.endpoints)), {},
          stage, {}};
}

bool has_option(const PostgresTarget& t, std::string_view key) {
  return std::any_of(t.options.begin(), t.options.end(), [&](const auto& kv) { return kv.first == key; });
}

class PostgresProbe final : public Probe, public SqlSession {
 public:
  PostgresProbe(PostgresTarget target, std::shared_ptr<const Redactor> redactor)
      : t_(std::move(target)), redactor_(std::move(redactor)) {}

  Status attempt(Deadline deadline, const CancelToken& cancel) const override {
    std::vector<std::string> unused;
    return attempt_noting(deadline, cancel, unused);
  }

  Status attempt_noting(Deadline deadline, const CancelToken& cancel, std::vector<std::string>& warnings) const override {
    auto lists = host_lists(deadline, cancel);
    if (!lists.ok()) return Unexpected<Failure>{lists.error()};
    auto conn = connect(*lists, deadline, cancel);
    if (!conn.ok()) return Unexpected<Failure>{conn.error()};
    auto first = run(conn->get(), t_.query, deadline, cancel);
    if (!first.ok()) return Unexpected<Failure>{first.error()};
    if (auto checked = check_result(first->get()); !checked.ok()) return checked;
    note_observations(conn->get(), deadline, cancel, warnings);
    return {};
  }

  Result<std::vector<SqlAnswer>> ask(const std::vector<std::string>& statements, Deadline deadline,
                                     const CancelToken& cancel) const override {
    auto lists = host_lists(deadline, cancel);
    if (!lists.ok()) return Unexpected<Failure>{lists.error()};
    auto conn = connect(*lists, deadline, cancel);
    if (!conn.ok()) return Unexpected<Failure>{conn.error()};
    std::vector<SqlAnswer> answers;
    for (const std::string& sql : statements) {
      auto r = run(conn->get(), sql, deadline, cancel);
      if (!r.ok()) return Unexpected<Failure>{r.error()};
      SqlAnswer& answer = answers.emplace_back();
      if (auto refused = statement_failure(r->get(), sql)) {
        answer.refused = std::move(refused);
        continue;
      }
      for (int row = 0; row < PQntuples(r->get()); ++row) {
        SqlRow& cells = answer.rows.emplace_back();
        for (int column = 0; column < PQnfields(r->get()); ++column) {
          cells.push_back(PQgetisnull(r->get(), row, column) ? std::nullopt
                                                              : std::optional<std::string>(PQgetvalue(r->get(), row, column)));
        }
      }
    }
    return answers;
  }

 private:
  // libpq's host, hostaddr and port lists, one entry per address to try.
  struct HostLists {
    std::string hosts, addresses, ports;
  };

  // libpq tries each host/hostaddr pair in turn; `host` keeps the name for
  // TLS verification while `hostaddr` spares libpq its own blocking lookup.
  // Sockets need no lookup, and a hostaddr given by the user is kept.
  Result<HostLists> host_lists(Deadline deadline, const CancelToken& cancel) const {
    std::vector<std::string> hosts, addresses, ports;
    bool user_hostaddr = has_option(t_, "hostaddr");
    for (const Endpoint& e : t_.endpoints) {
      if (e.is_socket() || user_hostaddr) {
        hosts.push_back(e.host);
        addresses.emplace_back();
        ports.push_back(std::to_string(e.port));
        continue;
      }
      auto resolved = net::resolve(e.host, e.port, deadline, cancel);
      if (!resolved.ok()) {
        // Another host of a multi-host list may still answer, as in libpq.
        if (t_.endpoints.size() > 1 && resolved.error().kind == FailureKind::dns) continue;
        return Unexpected<Failure>{resolved.error()};
      }
      for (const auto& a : *resolved) {
        hosts.push_back(e.host);
        addresses.push_back(a);
        ports.push_back(std::to_string(e.port));
      }
    }
    if (hosts.empty()) {
      return fail(FailureKind::dns, fmt::format("none of the hosts {} resolves", join_endpoints(t_.endpoints)));
    }
    return HostLists{fmt::format("{}", fmt::join(hosts, ",")), fmt::format("{}", fmt::join(addresses, ",")),
                     fmt::format("{}", fmt::join(ports, ","))};
  }

  // A failed connection, with what the attempt can still learn: whether the
  // other loopback family accepts, or what is on disk where the socket is not.
  Failure connect_failure(PGconn* conn, const HostLists& lists, Deadline deadline, const CancelToken& cancel) const {
    Failure f = classify(redactor_->scrub_peer(PQerrorMessage(conn)));
    if (t_.endpoints.size() != 1) return f;
    if (t_.endpoints.front().is_socket()) return net::with_socket_facts(std::move(f), t_.endpoints.front().socket_path);
    if (!lists.addresses.empty() && lists.addresses.find(',') == std::string::npos) {
      f = net::with_other_loopback(std::move(f), lists.addresses, t_.endpoints.front().port, deadline, cancel);
    }
    return f;
  }

  Result<Conn> connect(const HostLists& lists, Deadline deadline, const CancelToken& cancel) const {
    std::vector<std::pair<const char*, const char*>> params = {{"port", lists.ports.c_str()},
                                                                {"application_name", "preflight"}};
    // A hostaddr of the user's own comes with its host list in the options.
    if (!has_option(t_, "hostaddr")) {
      params.emplace_back("host", lists.hosts.c_str());
      if (lists.addresses.find_first_not_of(',') != std::string::npos) params.emplace_back("hostaddr", lists.addresses.c_str());
    }
    // GSSAPI negotiation can block in Kerberos; only when asked for.
    if (!has_option(t_, "gssencmode")) params.emplace_back("gssencmode", "disable");
    for (const auto& [key, value] : t_.options) params.emplace_back(key.c_str(), value.c_str());
    auto add = [&](const char* key, const std::string& value) {
      if (!value.empty()) params.emplace_back(key, value.c_str());
    };
    auto rootcert = net::library_ca_file(t_.ca_file, t_.added_ca);
    if (!rootcert.ok()) return Unexpected<Failure>{rootcert.error()};
    add("sslrootcert", *rootcert);
    add("user", t_.user);
    add("password", t_.password);
    add("dbname", t_.dbname);
    add("sslmode", t_.sslmode);
    std::vector<const char*> keys, values;
    for (const auto& [k, v] : params) {
      keys.push_back(k);
      values.push_back(v);
    }
    keys.push_back(nullptr);
    values.push_back(nullptr);

    Conn conn(PQconnectStartParams(keys.data(), values.data(), 0));
    if (!conn) return fail(FailureKind::protocol, "libpq could not allocate a connection");
    // libpq's default prints a server's NOTICE to stderr, past the
    // scrubbing of every other output: it goes to the log instead.
    PQsetNoticeProcessor(conn.get(), log_notice, nullptr);
    if (PQstatus(conn.get()) == CONNECTION_BAD) return Unexpected<Failure>{connect_failure(conn.get(), lists, deadline, cancel)};
    // libpq initialises OpenSSL (reading openssl.cnf) only when SCRAM needs
    // it, after the server's first answer; done now, it overlaps the connect
    // and the server's fork of a backend instead.
    net::openssl_init_once();
    PostgresPollingStatusType st = PGRES_POLLING_WRITING;
    while (st != PGRES_POLLING_OK) {
      if (st == PGRES_POLLING_FAILED) return Unexpected<Failure>{connect_failure(conn.get(), lists, deadline, cancel)};
      auto w = net::wait_fd(PQsocket(conn.get()), st == PGRES_POLLING_READING ? POLLIN : POLLOUT, deadline, cancel);
      if (w == net::WaitResult::cancelled) return fail(FailureKind::interrupted, "interrupted by a signal");
      if (w == net::WaitResult::deadline) {
        bool tcp_done = PQstatus(conn.get()) != CONNECTION_STARTED;
        return Unexpected<Failure>{stalled(tcp_done ? "login" : "TCP connect", t_, tcp_done ? Stage::login : Stage::connect)};
      }
      st = PQconnectPoll(conn.get());
    }
    // libpq verifies inside itself; the chain it accepted is still shown
    // to the watches in force (a certificate that runs out soon).
    if (auto* ssl = static_cast<SSL*>(PQsslStruct(conn.get(), "OpenSSL"))) net::CertificateWatch::observe(ssl);
    return conn;
  }

  // Sends `sql` and returns its first result, which may be an error result.
  Result<PgResult> run(PGconn* conn, const std::string& sql, Deadline deadline, const CancelToken& cancel) const {
    if (PQsetnonblocking(conn, 1) != 0 || PQsendQuery(conn, sql.c_str()) == 0) {
      return Unexpected<Failure>{classify(redactor_->scrub_peer(PQerrorMessage(conn)))};
    }
    for (int flushed = PQflush(conn); flushed != 0; flushed = PQflush(conn)) {
      if (flushed < 0) return Unexpected<Failure>{classify(redactor_->scrub_peer(PQerrorMessage(conn)))};
      auto w = net::wait_fd(PQsocket(conn), POLLOUT, deadline, cancel);
      if (w == net::WaitResult::cancelled) return fail(FailureKind::interrupted, "interrupted by a signal");
      if (w == net::WaitResult::deadline) return Unexpected<Failure>{stalled("query", t_, Stage::send)};
    }
    PgResult first;
    for (;;) {
      if (PQconsumeInput(conn) == 0) return Unexpected<Failure>{classify(redactor_->scrub_peer(PQerrorMessage(conn)))};
      while (!PQisBusy(conn)) {
        PgResult r(PQgetResult(conn));
        if (!r) return first;
        if (!first) first = std::move(r);
      }
      auto w = net::wait_fd(PQsocket(conn), POLLIN, deadline, cancel);
      if (w == net::WaitResult::cancelled) return fail(FailureKind::interrupted, "interrupted by a signal");
      if (w == net::WaitResult::deadline) return Unexpected<Failure>{stalled(fmt::format("query \"{}\"", sql), t_, Stage::query)};
    }
  }

  // What a passed check can still learn, in one round trip after its query:
  //  * headroom: client backends against max_connections less the slots
  //    reserved for superusers (and, from PostgreSQL 16, for
  //    pg_use_reserved_connections);
  //  * a pooler (pgbouncer) or proxy in between: the server's own port is
  //    not the one dialled, and the connection it serves comes from another
  //    port than this one. Then connection limits are the pooler's, and
  //    drivers that cache prepared statements break on pgbouncer's
  //    transaction pooling.
  // Best effort: a server that does not answer (an old one) gives no
  // warning; the check has passed already.
  void note_observations(PGconn* conn, Deadline deadline, const CancelToken& cancel, std::vector<std::string>& warnings) const {
    static const std::string kSql =
        "SELECT current_setting('max_connections')::int, current_setting('superuser_reserved_connections')::int"
        " + coalesce(current_setting('reserved_connections', true)::int, 0),"
        " (SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend')::int,"
        " inet_server_port(), inet_client_port()";
    auto r = run(conn, kSql, deadline.earlier(Deadline::after(std::chrono::milliseconds(500))), cancel);
    if (!r.ok() || PQresultStatus(r->get()) != PGRES_TUPLES_OK || PQntuples(r->get()) != 1 || PQnfields(r->get()) != 5) return;
    auto number = [&](int column) { return PQgetisnull(r->get(), 0, column) ? -1L : std::atol(PQgetvalue(r->get(), 0, column)); };
    const long max = number(0), reserved = number(1), used = number(2);
    if (auto w = headroom_warning(fmt::format("PostgreSQL at {}", join_endpoints(t_.endpoints)), max - reserved, used, t_.headroom,
                                  fmt::format("max_connections {}, {} reserved", max, reserved))) {
      warnings.push_back(*w);
    }
    const long server_port = number(3), client_port = number(4);
    if (t_.endpoints.size() != 1 || t_.endpoints.front().is_socket() || server_port < 0 || client_port < 0) return;
    sockaddr_storage local{};
    socklen_t length = sizeof local;
    if (getsockname(PQsocket(conn), reinterpret_cast<sockaddr*>(&local), &length) != 0) return;
    const long our_port = ntohs(local.ss_family == AF_INET6 ? reinterpret_cast<sockaddr_in6*>(&local)->sin6_port
                                                            : reinterpret_cast<sockaddr_in*>(&local)->sin_port);
    const Endpoint& dialled = t_.endpoints.front();
    if (server_port == dialled.port || client_port == our_port) return;
    warnings.push_back(fmt::format(
        "{} is reached through a pooler or proxy (pgbouncer, the Cloud SQL Auth Proxy...): the server listens on port {} "
        "and serves a connection from another port than this check's. Connection limits are the pooler's; with pgbouncer "
        "in transaction pooling, drivers that prepare statements need it off (asyncpg: statement_cache_size=0; "
        "psycopg 3: prepare_threshold=None)",
        dialled.display(), server_port));
  }

  // The statement's error as a Failure whose code is the SQLSTATE;
  // nullopt when the server ran it.
  std::optional<Failure> statement_failure(PGresult* r, std::string_view sql) const {
    if (r == nullptr) return Failure{FailureKind::protocol, "postgres returned no result"};
    ExecStatusType status = PQresultStatus(r);
    if (status == PGRES_TUPLES_OK || status == PGRES_COMMAND_OK) return std::nullopt;
    const char* state = PQresultErrorField(r, PG_DIAG_SQLSTATE);
    Failure f = classify(redactor_->scrub_peer(PQresultErrorMessage(r)));
    if (f.kind == FailureKind::protocol && state && std::string_view(state).starts_with("57P")) f.kind = FailureKind::unhealthy;
    f.message = fmt::format("query \"{}\" failed: {}", sql, f.message);
    f.stage = Stage::query;
    f.code = state ? state : "";
    return f;
  }

  Status check_result(PGresult* r) const {
    if (auto refused = statement_failure(r, t_.query)) return Unexpected<Failure>{std::move(*refused)};
    if (t_.expect) {
      std::string got = PQntuples(r) > 0 && PQnfields(r) > 0 ? PQgetvalue(r, 0, 0) : "(no rows)";
      if (got != *t_.expect) {
        return Unexpected<Failure>{at_stage({FailureKind::unhealthy,
                                             fmt::format("query \"{}\" returned \"{}\", expected \"{}\"", t_.query,
                                                         redactor_->prefix(got, 200), *t_.expect)},
                                            Stage::query)};
      }
    }
    return {};
  }

  PostgresTarget t_;
  std::shared_ptr<const Redactor> redactor_;
};

Result<PostgresTarget> postgres_target(const ProbeInput& in) {
  const Target& target = in.target;
  PostgresTarget t;
  t.endpoints = target.endpoints;
  t.options = target.options;
  t.user = target.user;
  t.password = target.password.value_or("");
  t.dbname = target.database;
  t.sslmode = target.tls.protocol_mode;
  // The CA may come from the check's sslrootcert field as well as the URL.
  std::erase_if(t.options, [](const auto& kv) { return kv.first == "sslrootcert"; });
  t.ca_file = target.tls.ca_file;
  t.added_ca = target.tls.added_ca;
  static const std::vector<std::string> kModes = {"disable", "allow", "prefer", "require", "verify-ca", "verify-full"};
  if (!t.sslmode.empty() && std::find(kModes.begin(), kModes.end(), t.sslmode) == kModes.end()) {
    return fail(FailureKind::invalid_config, fmt::format("sslmode is not one of {}", fmt::join(kModes, ", ")));
  }
  return t;
}

Result<std::unique_ptr<Probe>> make_postgres_probe(const ProbeInput& in) {
  auto t = postgres_target(in);
  if (!t.ok()) return Unexpected<Failure>{t.error()};
  if (auto q = string_field(in.fields, "query"); !q.empty()) t->query = q;
  if (in.fields.contains("expect")) t->expect = string_field(in.fields, "expect");
  auto headroom = headroom_percent(in.fields);
  if (!headroom.ok()) return Unexpected<Failure>{headroom.error()};
  t->headroom = *headroom;
  return std::unique_ptr<Probe>(std::make_unique<PostgresProbe>(std::move(t).value(), in.redactor));
}

// sslmode that asks for TLS where the hop is local and the server's end
// does not speak PostgreSQL's SSL: a Unix socket (libpq ignores sslmode
// there, other drivers fail), or on Cloud Run a loopback port, which is a
// sidecar such as the Cloud SQL Auth Proxy (it encrypts the connection
// itself, and answers SSLRequest with "N").
std::vector<std::string> postgres_lint_notes(const Target& t, bool cloud_run) {
  const std::string& mode = t.tls.protocol_mode;
  if (mode != "require" && mode != "verify-ca" && mode != "verify-full") return {};
  std::vector<std::string> notes;
  for (const Endpoint& e : t.endpoints) {
    if (e.is_socket()) {
      notes.push_back(fmt::format("sslmode={} over the Unix socket {}: libpq ignores sslmode on a socket, but drivers that "
                                  "honour it (Go's lib/pq, for one) fail with \"SSL is not enabled on the server\"; a "
                                  "Cloud SQL socket is already encrypted by the connection behind it: set sslmode=disable",
                                  mode, e.socket_path));
    } else if (cloud_run && is_loopback_host(e.host)) {
      notes.push_back(fmt::format("sslmode={} to {} on Cloud Run: that port is a sidecar (the Cloud SQL Auth Proxy), which "
                                  "encrypts the connection itself and does not speak PostgreSQL's SSL, so libpq fails with "
                                  "\"server does not support SSL, but SSL was required\": set sslmode=disable",
                                  mode, e.display()));
    }
  }
  return notes;
}

std::optional<std::string> postgres_cleartext(const Target& t) {
  if (t.endpoints.front().is_socket()) return std::nullopt;
  if (t.tls.protocol_mode == "disable" || t.tls.protocol_mode == "allow") {
    return fmt::format("the PostgreSQL password and data (sslmode={}); use sslmode=verify-full", t.tls.protocol_mode);
  }
  return std::nullopt;
}

}  // namespace

constexpr std::string_view kCloudSqlCa = "Cloud SQL: the instance's server CA";

Result<std::unique_ptr<SqlSession>> make_postgres_session(const ProbeInput& in) {
  auto t = postgres_target(in);
  if (!t.ok()) return Unexpected<Failure>{t.error()};
  return std::unique_ptr<SqlSession>(std::make_unique<PostgresProbe>(std::move(t).value(), in.redactor));
}

std::string postgres_hint(const Failure& f, const HintContext& c) {
  const std::string user = c.target ? c.target->user : std::string();
  switch (f.cause) {
    case Cause::credentials_rejected:
      // PostgreSQL says "password authentication failed for user" for a
      // wrong password and for a user that does not exist alike.
      return rejected_password_hint(
          c, user.empty() ? std::string()
                          : fmt::format(" PostgreSQL says this for a user that does not exist too: the user {} is {}.",
                                        user, c.origin("user")));
    case Cause::unknown_user:
      return fmt::format("the server has no user {} ({}): fix the user name, or create the role", user, c.origin("user"));
    case Cause::password_required:
      return "the server asks for a password and none was sent: put it in the URL, in the check's \"password\" "
             "field, or in PGPASSWORD";
    case Cause::tls_required:
      return fmt::format("the server admits this login only over TLS (its pg_hba.conf has a hostssl line for it): set "
                         "sslmode=require, or verify-full with sslrootcert, in the URL{}",
                         c.url_source);
    case Cause::connection_limit:
      return connection_limit_hint("PostgreSQL max_connections", " or put a pooler in front (pgbouncer)");
    case Cause::pooler_full:
      return "the pooler in front of the server (PgBouncer) has as many clients as it allows (max_client_conn): the "
             "server itself may have room. Raise max_client_conn in pgbouncer.ini, or lower each instance's pool size "
             "(instances × pool size must fit); retrying helps only if others disconnect";
    case Cause::standby:
      return "this server is a standby in recovery (a replica, or a failover in progress): if the service needs the "
             "primary, point it there; during a failover, retrying is right";
    case Cause::shutting_down:
      return fmt::format("the server is shutting down (a restart, a failover or maintenance): waiting helps only if it "
                         "comes back at this address; after a failover, point the URL{} at the new primary",
                         c.url_source);
    case Cause::no_such_database: return no_such_database_hint(c);
    // Each names the URL's variable (DATABASE_URL, .env:3): that is where
    // sslmode, sslrootcert, sslcert and sslkey are written.
    case Cause::client_certificate_required:
      return fmt::format("the server wants a client certificate (clientcert in its pg_hba.conf) and none was sent: give "
                         "one with sslcert and sslkey in the URL{} (?sslcert=/path/client.crt&sslkey=/path/client.key), "
                         "signed by a CA the server trusts",
                         c.url_source);
    case Cause::untrusted_certificate:
      return fmt::format("the server's certificate is not trusted: pass its CA with \"sslrootcert\" (on the check or "
                         "in the URL{}) ({}); sslmode=require encrypts without verifying, only for a test",
                         c.url_source, kCloudSqlCa);
    case Cause::server_without_tls:
      return fmt::format("the server has no TLS, and sslmode asks for it: turn ssl on on the server, or use sslmode=prefer "
                         "(or disable) in the URL{} if the network path is private",
                         c.url_source);
    default: return {};
  }
}

// postgres_profile.cc
void offer_postgres_checks(const ProfileVariables& vars, std::vector<ProfileOffer>& out);

extern const ProbeType kPostgresProbeType{
    .name = "postgres",
    .schemes = {{"postgresql", 5432}, {"postgres", 5432}},
    .fields = {{"user", FieldType::string},
               {"password", FieldType::string, true},
               {"dbname", FieldType::string},
               {"sslmode", FieldType::string},
               {"sslrootcert", FieldType::string},
               {"query", FieldType::string},
               {"expect", FieldType::string},
               {"headroom", FieldType::integer}},
    .make = make_postgres_probe,
    .read = read_postgres,
    .apply_fields = apply_postgres_fields,
    .ca_field = "sslrootcert",
    .cleartext_advice = postgres_cleartext,
    .managed_ca = kCloudSqlCa,
    .lint_notes = postgres_lint_notes,
    .hint = postgres_hint,
    .ca_variables = {"PGSSLROOTCERT"},
    .environment_ca_caveat = "libpq (psycopg2, psycopg, the default drivers of Django and SQLAlchemy) reads none of "
                             "SSL_CERT_FILE, SSL_CERT_DIR and NODE_EXTRA_CA_CERTS: an application on libpq needs the CA in sslrootcert (in the URL) or PGSSLROOTCERT; "
                             "asyncpg, pgx and node-postgres read them as preflight does",
    .library_secrets = libpq_file_passwords,
    .offer = offer_postgres_checks,
    .health_names = {"db", "database", "datasource", "postgres", "postgresql", "pg", "sql"},
};

}  // namespace preflight
