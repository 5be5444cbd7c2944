// A check that passes against a server near its connection limit warns:
// the next scale-out fails there. PostgreSQL and redis-server are started
// with small limits and filled with connections held by the test. A check
// through pgbouncer (Debian's package) says a pooler is in between.
#include <libpq-fe.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstring>
#include <memory>
#include <thread>

#include <gtest/gtest.h>

#include "as_user.h"
#include "binary_harness.h"
#include "harness.h"
#include "postgres_server.h"
#include "redis_server.h"

namespace preflight::testing {
namespace {

struct PgConnDeleter {
  void operator()(PGconn* c) const { PQfinish(c); }
};

std::string pg_check(int port, const std::string& extra = "") {
  return fmt::format(R"({{"name":"pg","type":"postgres","url":"postgresql://postgres:{}@127.0.0.1:{}/postgres"{}}})",
                     PostgresServer::kPassword, port, extra);
}

TEST(Headroom, APostgresServerNearMaxConnectionsWarnsAndStillPasses) {
  // 8 slots, 3 reserved for superusers: 5 for everyone.
  PostgresServer pg({.max_connections = 8});
  if (!pg.unavailable_reason().empty()) GTEST_SKIP() << pg.unavailable_reason();
  auto roomy = run_one(pg_check(pg.port()));
  EXPECT_EQ(roomy.report.status, CheckStatus::passed) << describe(roomy.report);
  EXPECT_TRUE(roomy.report.warnings.empty()) << roomy.report.warnings.front();

  std::vector<std::unique_ptr<PGconn, PgConnDeleter>> held;
  const std::string conninfo = fmt::format("host=127.0.0.1 port={} user=postgres password={} dbname=postgres", pg.port(),
                                           PostgresServer::kPassword);
  for (int i = 0; i < 4; ++i) {
    held.emplace_back(PQconnectdb(conninfo.c_str()));
    ASSERT_EQ(PQstatus(held.back().get()), CONNECTION_OK) << PQerrorMessage(held.back().get());
  }
  // Through the binary: the warning is in the report, and the exit code is 0.
  TempDir dir;
  auto config = dir.write("c.json", fmt::format(R"({{"phases":[{{"name":"database","timeout":"3s","checks":[{}]}}]}})",
                                                pg_check(pg.port())));
  auto full = run_clean(cmd({"-c", config}));
  EXPECT_EQ(full.exit_code, 0) << full.out << full.err;
  EXPECT_NE(full.out.find("warning: PostgreSQL at 127.0.0.1:" + std::to_string(pg.port()) +
                          " has 0 of 5 connections free (5 in use; max_connections 8, 3 reserved)"),
            std::string::npos)
      << full.out;
  // "headroom": 0 turns it off.
  auto off = run_one(pg_check(pg.port(), R"(,"headroom":0)"));
  EXPECT_TRUE(off.report.warnings.empty());
}

TEST(Headroom, ARedisServerNearMaxclientsWarnsThroughTheBinary) {
  RedisServer redis({.maxclients = 10});
  std::vector<int> held;
  for (int i = 0; i < 9; ++i) {
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(redis.port()));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ASSERT_EQ(connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
    // Answered: the server has accepted it as a client.
    ASSERT_EQ(send(fd, "PING\r\n", 6, 0), 6);
    char buf[16];
    ASSERT_GT(recv(fd, buf, sizeof buf, 0), 0);
    held.push_back(fd);
  }
  TempDir dir;
  auto config = dir.write("c.json", fmt::format(R"({{"phases":[{{"name":"cache","timeout":"2s","checks":[
      {{"name":"redis","type":"redis","url":"redis://127.0.0.1:{}"}}]}}]}})", redis.port()));
  auto r = run_clean(cmd({"-c", config, "-o", "json"}));
  for (int fd : held) close(fd);
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  auto report = json::parse(r.out, nullptr, false);
  ASSERT_FALSE(report.is_discarded()) << r.out;
  const json& check = report["phases"][0]["checks"][0];
  ASSERT_TRUE(check.contains("warnings")) << check.dump(2);
  EXPECT_NE(check["warnings"][0].get<std::string>().find("has 0 of 10 connections free (10 in use; maxclients 10)"),
            std::string::npos)
      << check.dump(2);
}

// pgbouncer in transaction pooling in front of `pg`, as the postgres user
// (it will not run as root); stopped by PID.
class Pgbouncer {
 public:
  // `max_client_conn` 0: pgbouncer's default.
  explicit Pgbouncer(const PostgresServer& pg, int max_client_conn = 0) : port_(free_port()) {
    if (access("/usr/sbin/pgbouncer", X_OK) != 0) return;
    chmod(dir_.path().c_str(), 0755);
    auto ini = dir_.write("pgbouncer.ini", fmt::format(R"([databases]
app = host=127.0.0.1 port={} dbname=postgres user=postgres password={}
[pgbouncer]
listen_addr = 127.0.0.1
listen_port = {}
unix_socket_dir =
auth_type = any
pool_mode = transaction
pidfile =
logfile =
{}
)", pg.port(), PostgresServer::kPassword, port_, max_client_conn > 0 ? fmt::format("max_client_conn = {}", max_client_conn) : ""));
    chmod(ini.c_str(), 0644);
    process_ = std::make_unique<Process>(as_user("postgres", "postgres", {"/usr/sbin/pgbouncer", ini}));
    for (int i = 0; i < 500 && !port_accepts(port_); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ~Pgbouncer() {
    if (!process_) return;
    process_->signal(SIGTERM);
    process_->wait(std::chrono::seconds(5));
  }
  bool unavailable() const { return !process_ || !port_accepts(port_); }
  int port() const { return port_; }

 private:
  TempDir dir_;
  int port_;
  std::unique_ptr<Process> process_;
};

// A client of pgbouncer, logged in and idle: it holds one of max_client_conn.
class IdleClient {
 public:
  explicit IdleClient(int port) : fd_(socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) {
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) return;
    const std::string params = std::string("user\0app-user\0database\0app\0\0", 28);
    std::string startup(8, '\0');
    const uint32_t length = htonl(static_cast<uint32_t>(8 + params.size())), version = htonl(196608);
    std::memcpy(startup.data(), &length, 4);
    std::memcpy(startup.data() + 4, &version, 4);
    startup += params;
    if (send(fd_, startup.data(), startup.size(), MSG_NOSIGNAL) != static_cast<ssize_t>(startup.size())) return;
    // pgbouncer answers once it has taken the client: AuthenticationOk ('R').
    pollfd p{fd_, POLLIN, 0};
    char first = 0;
    logged_in_ = poll(&p, 1, 10'000) == 1 && recv(fd_, &first, 1, 0) == 1 && first == 'R';
  }
  ~IdleClient() { close(fd_); }
  bool logged_in() const { return logged_in_; }

 private:
  int fd_;
  bool logged_in_ = false;
};

// PgBouncer full is not PostgreSQL full, and not a wrong port: its words
// ("no more connections allowed (max_client_conn)") name the pooler.
TEST(Pooler, APgbouncerAtItsClientLimitIsNamedAsThePoolerNotThePort) {
  PostgresServer pg;
  if (!pg.unavailable_reason().empty()) GTEST_SKIP() << pg.unavailable_reason();
  Pgbouncer bouncer(pg, /*max_client_conn=*/1);
  ASSERT_FALSE(bouncer.unavailable()) << "pgbouncer did not start";
  // pgbouncer counts a connection until it has read its close: the start-up
  // probe of the port can hold the one slot for a moment.
  std::unique_ptr<IdleClient> holder;
  for (int i = 0; i < 50 && !(holder && holder->logged_in()); ++i) {
    if (holder) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    holder = std::make_unique<IdleClient>(bouncer.port());
  }
  ASSERT_TRUE(holder->logged_in()) << "pgbouncer never took the first client";
  TempDir dir;
  auto config = dir.write("c.json", fmt::format(R"({{"phases":[{{"name":"database","timeout":"3s","checks":[
      {{"name":"pg","type":"postgres","url":"postgresql://app-user@127.0.0.1:{}/app"}}]}}]}})", bouncer.port()));
  auto r = run_clean(cmd({"-c", config, "-o", "json", "--once"}));
  EXPECT_EQ(r.exit_code, 3) << r.out << r.err;
  const json error = json::parse(r.out, nullptr, false)["phases"][0]["checks"][0]["error"];
  EXPECT_EQ(error.value("kind", ""), "unhealthy") << error;
  EXPECT_NE(error.value("message", "").find("no more connections allowed (max_client_conn)"), std::string::npos) << error;
  EXPECT_NE(error.value("hint", "").find("the pooler in front of the server (PgBouncer)"), std::string::npos) << error;
  EXPECT_NE(error.value("hint", "").find("Raise max_client_conn"), std::string::npos) << error;
}

TEST(Pooler, ACheckThroughPgbouncerSaysAPoolerIsInBetweenAndADirectOneDoesNot) {
  PostgresServer pg;
  if (!pg.unavailable_reason().empty()) GTEST_SKIP() << pg.unavailable_reason();
  Pgbouncer bouncer(pg);
  ASSERT_FALSE(bouncer.unavailable()) << "pgbouncer did not start";
  TempDir dir;
  auto config = dir.write("c.json", fmt::format(R"({{"phases":[{{"name":"database","timeout":"3s","checks":[
      {{"name":"pg","type":"postgres","url":"postgresql://app-user@127.0.0.1:{}/app"}}]}}]}})", bouncer.port()));
  auto via = run_clean(cmd({"-c", config, "-o", "json"}));
  EXPECT_EQ(via.exit_code, 0) << via.out << via.err;
  const json check = json::parse(via.out, nullptr, false)["phases"][0]["checks"][0];
  ASSERT_TRUE(check.contains("warnings")) << via.out;
  const std::string warning = check["warnings"][0];
  EXPECT_NE(warning.find(fmt::format("127.0.0.1:{} is reached through a pooler or proxy (pgbouncer, the Cloud SQL Auth Proxy...): "
                                     "the server listens on port {}", bouncer.port(), pg.port())),
            std::string::npos)
      << warning;
  EXPECT_NE(warning.find("statement_cache_size=0"), std::string::npos) << warning;
  auto direct = run_one(pg_check(pg.port()));
  EXPECT_EQ(direct.report.status, CheckStatus::passed) << describe(direct.report);
  EXPECT_TRUE(direct.report.warnings.empty()) << direct.report.warnings.front();
}

}  // namespace
}  // namespace preflight::testing
