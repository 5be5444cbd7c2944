// A check that passes against a server near its connection limit warns:
// the next scale-out fails there. PostgreSQL and redis-server are started
// with small limits and filled with connections held by the test. A check
// through pgbouncer (Debian's package) says a pooler is in between.
#include <libpq-fe.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

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
  explicit Pgbouncer(const PostgresServer& pg) : port_(free_port()) {
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
)", pg.port(), PostgresServer::kPassword, port_));
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
