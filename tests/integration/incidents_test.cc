// The on-call incidents, end to end: each reproduced with real servers (or
// a fixture for what a real one will not do on demand) and run through the
// binary with its values in an env file, as a deploy carries them. Each row
// asserts the failure's kind, the part it blames with that part's variable
// and source (file:line), and the remedy; the table printed at the end is
// the one line preflight gives for each.
#include <filesystem>

#include <gtest/gtest.h>

#include "binary_harness.h"
#include "certs.h"
#include "mariadb_server.h"
#include "postgres_server.h"
#include "fixture_server.h"
#include "redis_server.h"
#include "refused_port.h"
#include "tls_server.h"

namespace preflight::testing {
namespace {

struct Incident {
  std::string name;
  std::string env_file;  // written as .env; its path replaces {ENV}, and {DIR} the directory, in `needles`
  std::string config;    // "": the default profile
  std::vector<std::string> args;
  std::string kind;  // "a|b": either (a lookup gets NXDOMAIN or times out, as the resolver decides)
  std::vector<std::string> needles;  // each must appear in the failing check's message or hint
  std::map<std::string, std::string> environment;  // the process environment, besides kCleanEnv
};

std::string replace(std::string text, const std::string& from, const std::string& to) {
  for (size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) text.replace(at, from.size(), to);
  return text;
}

std::string one_check(const std::string& check, const std::string& timeout = "1s") {
  return fmt::format(R"({{"phases":[{{"name":"p","timeout":"{}","checks":[{}]}}]}})", timeout, check);
}

// Runs each incident through the binary and checks what it says; returns
// the table of the one line preflight gives for each.
std::string run_incidents(const std::vector<Incident>& incidents, const TempDir& secrets) {
  std::string table;
  for (const Incident& incident : incidents) {
    TempDir dir;
    std::string env = dir.write(".env", incident.env_file);
    std::filesystem::create_symlink(secrets.path(), dir.path() + "/secrets");
    std::vector<std::string> argv = cmd({"-o", "json", "-e", env});
    if (!incident.config.empty()) {
      argv.push_back("-c");
      argv.push_back(dir.write("c.json", incident.config));
    }
    for (const auto& a : incident.args) argv.push_back(replace(a, "{DIR}", dir.path()));
    auto r = run_clean(argv, incident.environment);
    json report = json::parse(r.out, nullptr, false);
    json failure;
    for (const auto& phase : report.is_object() ? report["phases"] : json::array()) {
      for (const auto& check : phase["checks"]) {
        if (check.contains("error") && failure.is_null()) failure = check["error"];
      }
    }
    if (failure.is_null()) {
      ADD_FAILURE() << incident.name << ": no failure\n" << r.out << r.err;
      continue;
    }
    std::string said = failure.value("message", "") + " | " + failure.value("hint", "");
    const std::string kind = failure.value("kind", "");
    EXPECT_NE(("|" + incident.kind + "|").find("|" + kind + "|"), std::string::npos) << incident.name << ": kind " << kind << "\n" << said;
    for (const auto& needle : incident.needles) {
      std::string wanted = replace(replace(needle, "{ENV}", env), "{DIR}", dir.path());
      EXPECT_NE(said.find(wanted), std::string::npos) << incident.name << ": no \"" << wanted << "\" in\n" << said;
    }
    table += fmt::format("{:<46} {:<18} {}\n", incident.name, failure.value("kind", ""), failure.value("hint", ""));
  }
  return table;
}

TEST(Incidents, EachNamesThePartTheVariableItsSourceAndTheRemedy) {
  TempDir pki_dir;
  TestPki pki = make_test_pki(pki_dir);
  RedisServer redis({.password = "the-current-one"});
  RedisServer replica({.password = "the-current-one", .replica_of = redis.port()});
  FixtureServer http_on_redis_port(Behaviour::garbage);
  FixtureServer health_404(Behaviour::http, {.http = [](int, const std::string&) { return http_response(404, "no route"); }});
  FixtureServer ws_403(Behaviour::http, {.http = [](int, const std::string&) {
                         return http_response(403, "origin https://evil.example not allowed");
                       }});
  FixtureServer silent(Behaviour::silent);
  FixtureServer pg_full(Behaviour::postgres_starting, {.postgres_code = "53300", .postgres_message = "sorry, too many clients already"});
  // What a standby with hot_standby off answers (PostgreSQL 14 and later).
  FixtureServer pg_standby(Behaviour::postgres_starting,
                           {.postgres_code = "57P03", .postgres_message = "the database system is not accepting connections",
                            .postgres_detail = "Hot standby mode is disabled."});
  TlsServer tls_wrong_host(pki.wrong_host_cert, pki.server_key), tls_expired(pki.expired_cert, pki.server_key),
      tls_good(pki.server_cert, pki.server_key);
  const RefusedPort nothing_listens;
  const int nothing = nothing_listens.port();
  const std::string redis_check = R"({"name":"redis","type":"redis","url":"redis://${REDIS_HOST}:${REDIS_PORT}/${REDIS_DB:-0}","password":"${REDIS_PASSWORD}"})";

  TempDir secrets;
  secrets.write("REDIS_PASSWORD", "the-current-one");

  std::vector<Incident> incidents = {
      {"nothing listens on the port", fmt::format("REDIS_HOST=127.0.0.1\nREDIS_PORT={}\nREDIS_PASSWORD=x\n", nothing),
       one_check(redis_check), {"--once"}, "connection_refused",
       {"The host is from REDIS_HOST ({ENV}:1)", "is from REDIS_PORT ({ENV}:2)"}},
      {"a rejected password", fmt::format("REDIS_HOST=127.0.0.1\nREDIS_PORT={}\nREDIS_PASSWORD=stale-one\n", redis.port()),
       one_check(redis_check), {}, "auth", {"REDIS_PASSWORD ({ENV}:3) was rejected"}},
      {"the environment shadows the rotated secret file",
       fmt::format("REDIS_HOST=127.0.0.1\nREDIS_PORT={}\n", redis.port()), one_check(redis_check), {"-s", "{DIR}/secrets"}, "auth",
       {"REDIS_PASSWORD (env) was rejected", "it overrides a different value in"}, {{"REDIS_PASSWORD", "stale-one"}}},
      // Cloud Run exposes a Secret Manager version made with `echo` as an
      // environment variable, newline and all.
      {"a secret with echo's newline", fmt::format("REDIS_HOST=127.0.0.1\nREDIS_PORT={}\n", redis.port()), one_check(redis_check),
       {}, "auth", {"REDIS_PASSWORD (env) was rejected", "Its value ends with a newline (\\n)", "not `echo`"},
       {{"REDIS_PASSWORD", "the-current-one\n"}}},
      {"a typo in a variable's name", fmt::format("REDIS_HOST=127.0.0.1\nREDIS_PORT={}\nREDIS_PASWORD=x\n", redis.port()),
       one_check(redis_check), {}, "unset_variable", {"but REDIS_PASWORD is ({ENV}:3): a typo"}},
      {"a database index the server does not have",
       fmt::format("REDIS_HOST=127.0.0.1\nREDIS_PORT={}\nREDIS_PASSWORD=the-current-one\nREDIS_DB=99\n", redis.port()),
       one_check(redis_check), {}, "invalid_config", {"`databases` in redis.conf", "REDIS_DB ({ENV}:4)"}},
      {"an HTTP server on the Redis port",
       fmt::format("REDIS_HOST=127.0.0.1\nREDIS_PORT={}\nREDIS_PASSWORD=x\n", http_on_redis_port.port()), one_check(redis_check),
       {"--once"}, "protocol", {"The port is from REDIS_PORT ({ENV}:2)"}},
      {"a replica where the primary is wanted", fmt::format("REDIS_URL=redis://:the-current-one@127.0.0.1:{}/0\n", replica.port()),
       "", {"--once"}, "unhealthy", {"replica", "point it at the primary"}},
      {"an unreplaced template host", "REDIS_HOST=redis-instance-ip\nREDIS_PORT=6379\nREDIS_PASSWORD=x\n", one_check(redis_check),
       {"--once"}, "dns|timeout", {"unreplaced template", "REDIS_HOST, {ENV}:1"}},
      {"a certificate for another name", fmt::format("API_URL=https://localhost:{}/health\n", tls_wrong_host.port()),
       one_check(fmt::format(R"({{"name":"api","type":"http","url":"${{API_URL}}","ca_file":"{}"}})", pki.ca_cert)), {}, "tls",
       {"another name than localhost", "API_URL ({ENV}:1)"}},
      {"an expired certificate", fmt::format("API_URL=https://localhost:{}/health\n", tls_expired.port()),
       one_check(fmt::format(R"({{"name":"api","type":"http","url":"${{API_URL}}","ca_file":"{}"}})", pki.ca_cert)), {}, "tls",
       {"validity dates", "passing a CA does not help"}},
      {"a certificate from another CA", fmt::format("API_URL=https://localhost:{}/health\n", tls_good.port()),
       one_check(fmt::format(R"({{"name":"api","type":"http","url":"${{API_URL}}","ca_file":"{}"}})", pki.other_ca_cert)), {}, "tls",
       {"not trusted", "ca_file"}},
      {"a plain client on a TLS port", fmt::format("REDIS_URL=redis://127.0.0.1:{}/0\n", tls_good.port()), "", {"--once"},
       "protocol", {"does it want TLS (rediss:// vs redis://)"}},
      // redis-server reads the ClientHello as the start of a command and
      // waits for its end: the handshake stalls until the deadline.
      {"a TLS client on a plain port", fmt::format("REDIS_URL=rediss://127.0.0.1:{}/0\n", redis.port()),
       one_check(R"({"name":"redis","type":"redis","url":"${REDIS_URL}"})", "300ms"), {}, "timeout",
       {"TLS handshake stalled: is this port really TLS (rediss:// vs redis://)"}},
      {"PostgreSQL out of connection slots", fmt::format("DATABASE_URL=postgresql://app:pw@127.0.0.1:{}/app\n", pg_full.port()),
       "", {"--once"}, "unhealthy", {"max_connections", "pgbouncer"}},
      {"a PostgreSQL standby", fmt::format("DATABASE_URL=postgresql://app:pw@127.0.0.1:{}/app\n", pg_standby.port()), "",
       {"--once"}, "unhealthy", {"Hot standby mode is disabled", "a standby in recovery"}},
      {"a health path the service does not have", fmt::format("AUTH_URL=http://127.0.0.1:{}/api\n", health_404.port()),
       one_check(R"({"name":"auth","type":"http","url":"${AUTH_URL}","health_path":"/healthz"})"), {}, "invalid_config",
       {"the URL's path is /api (from AUTH_URL, {ENV}:1)", "\"health_path\" /healthz"}},
      {"a WebSocket upgrade refused with a reason", fmt::format("WEBSOCKET_URL=ws://127.0.0.1:{}/ws\n", ws_403.port()), "", {},
       "auth", {"saying \"origin https://evil.example not allowed\"", "the Origin it accepts"}},
      {"a service bound to IPv4 only", fmt::format("WEBSOCKET_URL=ws://[::1]:{}/ws\n", ws_403.port()), "", {"--once"},
       "connection_refused", {"bound to IPv4 only", "WEBSOCKET_URL"}},
      {"a dependency slower than the phase timeout", fmt::format("REDIS_URL=redis://127.0.0.1:{}/0\n", silent.port()),
       one_check(R"({"name":"redis","type":"redis","url":"${REDIS_URL}"})", "300ms"), {}, "timeout",
       {"raise the phase timeout ({DIR}/c.json:/phases/0/timeout)", "gave up after"}},
  };

  std::cout << run_incidents(incidents, secrets);
}


// A refused login, or a server that answers but is not ready, has more
// causes than a wrong password or a slow start: each is named from the
// server's own words (an error prefix, libpq's text, an error number, a TLS
// alert) by the probe that heard them, with a remedy that fits it.
TEST(Incidents, TheServersOwnWordsNameCausesOtherThanAWrongPassword) {
  TempDir pki_dir;
  TestPki pki = make_test_pki(pki_dir);
  // Redis 7's ACL: a user may log in and still not run PING.
  RedisServer redis({.acl_users = {"limited on >limited-pw ~* +@all -ping"}});
  // pg_hba.conf with hostssl lines only, and a client certificate required.
  PostgresServer pg_tls_only({.tls_cert = pki.server_cert, .tls_key = pki.server_key, .client_ca = pki.ca_cert});
  ASSERT_TRUE(pg_tls_only.unavailable_reason().empty()) << pg_tls_only.unavailable_reason();
  MariadbServer maria;
  ASSERT_TRUE(maria.unavailable_reason().empty()) << maria.unavailable_reason();
  // What PostgreSQL answers a new connection during a smart shutdown.
  FixtureServer pg_stopping(Behaviour::postgres_starting,
                            {.postgres_code = "57P03", .postgres_message = "the database system is shutting down"});
  TlsServer mutual_tls(pki.server_cert, pki.server_key, {"-Verify", "1"});
  // What Redis 7 writes on accept in protected mode (no password for the
  // default user, a client from another interface), then closes: the
  // check's commands meet the close.
  FixtureServer protected_mode(Behaviour::close_on_accept,
                               {.greeting = "-DENIED Redis is running in protected mode because protected mode is enabled "
                                            "and no password is set for the default user. In this mode connections are "
                                            "only accepted from the loopback interface.\r\n"});
  RedisServer cluster_node({.cluster = true});
  FixtureServer plain_http(Behaviour::garbage);
  TempDir secrets;
  const std::string pw = PostgresServer::kPassword;

  std::vector<Incident> incidents = {
      {"an ACL user that may not run PING", fmt::format("REDIS_URL=redis://limited:limited-pw@127.0.0.1:{}/0\n", redis.port()),
       "", {"--once"}, "auth", {"the password is fine", "ACL SETUSER limited +ping", "user limited (from REDIS_URL, {ENV}:1)"}},
      {"PostgreSQL admits the login only over TLS",
       fmt::format("DATABASE_URL=postgresql://postgres:{}@127.0.0.1:{}/postgres?sslmode=disable\n", pw, pg_tls_only.port()), "",
       {"--once"}, "auth", {"only over TLS", "sslmode=require", "(from DATABASE_URL, {ENV}:1)"}},
      {"PostgreSQL wants a client certificate",
       fmt::format("DATABASE_URL=postgresql://postgres:{}@127.0.0.1:{}/postgres?sslmode=require\n", pw, pg_tls_only.port()), "",
       {"--once"}, "tls", {"client certificate", "sslcert and sslkey"}},
      {"PostgreSQL shutting down", fmt::format("DATABASE_URL=postgresql://app:pw@127.0.0.1:{}/app\n", pg_stopping.port()), "",
       {"--once"}, "unhealthy", {"shutting down", "new primary", "(from DATABASE_URL, {ENV}:1)"}},
      {"a MariaDB user without access to the database",
       fmt::format("MYSQL_URL=mysql://{}:{}@127.0.0.1:{}/otherdb\n", MariadbServer::kUser, MariadbServer::kPassword, maria.port()),
       one_check(R"({"name":"db","type":"mysql","url":"${MYSQL_URL}"})"), {"--once"}, "auth",
       {"may not use the database otherdb (from MYSQL_URL, {ENV}:1)", "GRANT"}},
      // https:// to a plain HTTP port: the server answers the ClientHello
      // with a 400 page, as nginx does, and OpenSSL says "wrong version
      // number", which was read as an untrusted certificate ("pass its CA").
      {"https:// to a plain HTTP server", fmt::format("ORDERS_URL=https://127.0.0.1:{}/health\n", plain_http.port()),
       one_check(R"({"name":"orders","type":"http","url":"${ORDERS_URL}"})"), {"--once"}, "tls",
       {"answered the TLS handshake in plain text", "(https:// vs http://)", "from ORDERS_URL ({ENV}:1)"}},
      {"a database index on a Redis cluster node",
       fmt::format("REDIS_HOST=127.0.0.1\nREDIS_PORT={}\nREDIS_DB=2\n", cluster_node.port()),
       one_check(R"({"name":"redis","type":"redis","url":"redis://${REDIS_HOST}:${REDIS_PORT}/${REDIS_DB}"})"), {"--once"},
       "invalid_config", {"SELECT is not allowed in cluster mode", "cluster has only database 0", "from REDIS_DB ({ENV}:3)"}},
      {"Redis in protected mode", fmt::format("REDIS_URL=redis://127.0.0.1:{}/0\n", protected_mode.port()), "", {"--once"},
       "auth", {"-DENIED Redis is running in protected mode", "Give it a password (requirepass"}},
      {"an HTTPS service that wants a client certificate", fmt::format("API_URL=https://localhost:{}/health\n", mutual_tls.port()),
       one_check(fmt::format(R"({{"name":"api","type":"http","url":"${{API_URL}}","ca_file":"{}"}})", pki.ca_cert)), {"--once"},
       "tls", {"wants a client certificate", "give one with \"client_cert\" and \"client_key\", or turn off"}},
  };
  std::cout << run_incidents(incidents, secrets);
}

}  // namespace
}  // namespace preflight::testing
