// The mysql check against a real MariaDB server (Debian's mariadb-server):
// every connection-string form the clients take, over TCP and a socket in a
// directory whose path has colons; the error classes; TLS with a private CA.
#include <gtest/gtest.h>

#include <mutex>

#include "binary_harness.h"
#include "certs.h"
#include "harness.h"
#include "mariadb_server.h"
#include "fixture_server.h"
#include "process.h"

namespace preflight::testing {
namespace {

std::string mysql_check(const std::string& url, const std::string& extra = "") {
  return fmt::format(R"({{"name":"db","type":"mysql","url":"{}"{}}})", url, extra);
}

class Mysql : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    pki_dir_ = new TempDir();
    pki_ = new TestPki(make_test_pki(*pki_dir_));
    server_ = new MariadbServer({.tls_cert = pki_->server_cert, .tls_key = pki_->server_key});
  }
  static void TearDownTestSuite() {
    delete server_;
    delete pki_;
    delete pki_dir_;
  }
  void SetUp() override {
    if (!server_->unavailable_reason().empty()) GTEST_SKIP() << server_->unavailable_reason();
  }
  static std::string tcp(const std::string& user = MariadbServer::kUser, const std::string& password = MariadbServer::kPassword,
                         const std::string& db = MariadbServer::kDatabase) {
    return fmt::format("mysql://{}:{}@127.0.0.1:{}/{}", user, password, server_->port(), db);
  }
  static TempDir* pki_dir_;
  static TestPki* pki_;
  static MariadbServer* server_;
};
TempDir* Mysql::pki_dir_ = nullptr;
TestPki* Mysql::pki_ = nullptr;
MariadbServer* Mysql::server_ = nullptr;

// The forms apps carry, each read as its own client reads it.
TEST_F(Mysql, EveryFormLogsInAndRunsSelectOne) {
  const std::string pw = MariadbServer::kPassword, user = MariadbServer::kUser, db = MariadbServer::kDatabase;
  const int port = server_->port();
  const std::string& socket = server_->socket();
  for (const std::string& url : {
           tcp(),
           fmt::format("mariadb://{}:{}@127.0.0.1:{}/{}", user, pw, port, db),
           fmt::format("mysql2://{}:{}@127.0.0.1:{}/{}?pool=5&encoding=utf8mb4", user, pw, port, db),  // Rails
           fmt::format("mysql+pymysql://{}:{}@127.0.0.1:{}/{}?charset=utf8mb4", user, pw, port, db),   // SQLAlchemy
           fmt::format("mysql+pymysql://{}:{}@/{}?unix_socket={}", user, pw, db, socket),  // Cloud SQL on Cloud Run
           fmt::format("mysql://{}:{}@localhost/{}?socket={}", user, pw, db, socket),       // Prisma
           fmt::format("jdbc:mysql://127.0.0.1:{}/{}?user={}&password={}", port, db, user, pw),
           fmt::format("{}:{}@tcp(127.0.0.1:{})/{}?parseTime=true", user, pw, port, db),  // go-sql-driver
           fmt::format("{}:{}@unix({})/{}", user, pw, socket, db),
       }) {
    auto r = run_one(mysql_check(url), "5s", true);
    EXPECT_EQ(r.report.status, CheckStatus::passed) << url << "\n" << describe(r.report);
  }
}

// libmysqlclient and Connector/C (mysqlclient, Rails' mysql2) reach
// "localhost" through the Unix socket, MYSQL_UNIX_PORT or the compiled-in
// one, whatever the port; pymysql, Go and Java use TCP. As python3-mysqldb
// does against this server: with the socket named, localhost:1 logs in.
TEST_F(Mysql, LocalhostIsTheSocketWhereTheClientIsLibmysqlclient) {
  const std::string pw = MariadbServer::kPassword, user = MariadbServer::kUser, db = MariadbServer::kDatabase;
  struct UnixPort {
    explicit UnixPort(const std::string& path) { setenv("MYSQL_UNIX_PORT", path.c_str(), 1); }
    ~UnixPort() { unsetenv("MYSQL_UNIX_PORT"); }
  };
  {
    UnixPort named(server_->socket());
    for (const std::string& url : {fmt::format("mysql+mysqldb://{}:{}@localhost:1/{}", user, pw, db),
                                   fmt::format("mysql2://{}:{}@localhost:1/{}", user, pw, db),
                                   fmt::format("mysql+pymysql://{}:{}@localhost:{}/{}", user, pw, server_->port(), db)}) {
      auto r = run_one(mysql_check(url), "5s", true);
      EXPECT_EQ(r.report.status, CheckStatus::passed) << url << "\n" << describe(r.report);
    }
  }
  TempDir dir;
  UnixPort missing(dir.path() + "/mysqld.sock");
  auto r = run_one(mysql_check(fmt::format("mysql+mysqldb://{}:{}@localhost:{}/{}", user, pw, server_->port(), db)), "2s", true);
  ASSERT_TRUE(r.report.error) << describe(r.report);
  EXPECT_NE(r.report.error->message.find(dir.path() + "/mysqld.sock"), std::string::npos) << describe(r.report);
}

TEST_F(Mysql, AWrongPasswordIsAuthFailingFastWithTheServersWords) {
  auto r = run_one(mysql_check(tcp(MariadbServer::kUser, "stale-maria-pw")), "5s");
  ASSERT_TRUE(r.report.error);
  EXPECT_EQ(r.report.error->kind, FailureKind::auth) << describe(r.report);
  EXPECT_EQ(r.report.error->code, "1045") << describe(r.report);
  EXPECT_EQ(to_string(r.report.error->stage), "login") << describe(r.report);
  EXPECT_EQ(r.report.attempts, 1);
  EXPECT_NE(r.report.error->message.find("Access denied"), std::string::npos) << describe(r.report);
  EXPECT_EQ(describe(r.report).find("stale-maria-pw"), std::string::npos) << describe(r.report);
}

TEST_F(Mysql, AnUnknownDatabaseFailsFastAndNamesWhereTheNameCameFrom) {
  auto vars = vars_from({{"DATABASE_URL", tcp(MariadbServer::kAdmin, MariadbServer::kPassword, "no_such_db"), ".env:3"}});
  auto r = run_one(mysql_check("${DATABASE_URL}"), "5s", false, vars);
  ASSERT_TRUE(r.report.error);
  EXPECT_EQ(r.report.error->kind, FailureKind::invalid_config) << describe(r.report);
  EXPECT_EQ(r.report.error->code, "1049") << describe(r.report);
  EXPECT_EQ(r.report.attempts, 1);
  EXPECT_NE(r.report.error->hint.find("DATABASE_URL, .env:3"), std::string::npos) << describe(r.report);
}

TEST_F(Mysql, AQueryIsComparedWithExpect) {
  auto ok = run_one(mysql_check(tcp(), R"x(,"query":"SELECT DATABASE()","expect":"appdb")x"), "5s");
  EXPECT_EQ(ok.report.status, CheckStatus::passed) << describe(ok.report);
  auto wrong = run_one(mysql_check(tcp(), R"(,"query":"SELECT 2","expect":"1")"), "1s", true);
  ASSERT_TRUE(wrong.report.error);
  EXPECT_EQ(wrong.report.error->kind, FailureKind::unhealthy) << describe(wrong.report);
  EXPECT_NE(wrong.report.error->message.find("returned \"2\""), std::string::npos) << describe(wrong.report);
}

TEST_F(Mysql, TlsVerifiedWithAPrivateCaAndRefusedWithAnother) {
  auto verified = run_one(mysql_check(fmt::format("{}?ssl_mode=VERIFY_IDENTITY&ssl_ca={}", tcp(), pki_->ca_cert)), "5s", true);
  EXPECT_EQ(verified.report.status, CheckStatus::passed) << describe(verified.report);
  auto other_ca = run_one(mysql_check(fmt::format("{}?ssl_mode=VERIFY_IDENTITY&ssl_ca={}", tcp(), pki_->other_ca_cert)), "5s", true);
  ASSERT_TRUE(other_ca.report.error);
  EXPECT_EQ(other_ca.report.error->kind, FailureKind::tls) << describe(other_ca.report);
  auto go = run_one(mysql_check(fmt::format("{}:{}@tcp(127.0.0.1:{})/{}?tls=skip-verify", MariadbServer::kUser, MariadbServer::kPassword,
                                            server_->port(), MariadbServer::kDatabase)),
                    "5s", true);
  EXPECT_EQ(go.report.status, CheckStatus::passed) << describe(go.report);
}

// TLS asked for in each client's own words reaches a REQUIRE SSL account
// (which refuses a plain-text login), and checks the certificate as that
// client does: pymysql's ssl_ca checks the CA and name; node mysql2's
// ssl={} checks against the system store (this private CA is not in it);
// rejectUnauthorized:false and Connector/J's verifyServerCertificate=false
// check nothing.
TEST_F(Mysql, TlsAskedInEachClientsOwnWordsIsTls) {
  const std::string user = "tlsonly", pw = MariadbServer::kPassword, db = MariadbServer::kDatabase;
  auto made = run({"/usr/bin/mariadb", "--no-defaults", "-S", server_->socket(), "-uroot", "-e",
                   fmt::format("CREATE USER IF NOT EXISTS '{0}'@'%' IDENTIFIED BY '{1}' REQUIRE SSL; GRANT ALL ON {2}.* TO '{0}'@'%';",
                               user, pw, db)});
  ASSERT_EQ(made.exit_code, 0) << made.err;
  const std::string base = fmt::format("{}:{}@127.0.0.1:{}/{}", user, pw, server_->port(), db);
  const std::string json_off = R"(ssl={\"rejectUnauthorized\":false})";
  for (const std::string& url : {fmt::format("mysql+pymysql://{}?ssl_ca={}", base, pki_->ca_cert),
                                 fmt::format("mysql://{}?{}", base, json_off),
                                 fmt::format("jdbc:mysql://127.0.0.1:{}/{}?user={}&password={}&useSSL=true&requireSSL=true"
                                             "&verifyServerCertificate=false", server_->port(), db, user, pw)}) {
    auto r = run_one(mysql_check(url), "5s", true);
    EXPECT_EQ(r.report.status, CheckStatus::passed) << url << "\n" << describe(r.report);
  }
  for (const std::string& url : {fmt::format("mysql+pymysql://{}?ssl_ca={}", base, pki_->other_ca_cert),
                                 fmt::format("mysql://{}?ssl={{}}", base)}) {
    auto r = run_one(mysql_check(url), "5s", true);
    ASSERT_TRUE(r.report.error) << url;
    EXPECT_EQ(r.report.error->kind, FailureKind::tls) << url << "\n" << describe(r.report);
  }
}

TEST_F(Mysql, TheDefaultProfileReadsAMysqlDatabaseUrlAndTheImagesVariables) {
  auto url = run_clean(cmd({"--once"}), {{"DATABASE_URL", fmt::format("mysql+aiomysql://{}:{}@127.0.0.1:{}/{}", MariadbServer::kUser,
                                                                       MariadbServer::kPassword, server_->port(), MariadbServer::kDatabase)}});
  EXPECT_EQ(url.exit_code, 0) << url.out << url.err;
  EXPECT_NE(url.out.find("mysql"), std::string::npos) << url.out;
  auto socket = run_clean(cmd({"--once"}), {{"MYSQL_HOST", server_->socket()},
                                            {"MYSQL_USER", MariadbServer::kUser},
                                            {"MYSQL_PASSWORD", MariadbServer::kPassword},
                                            {"MYSQL_DATABASE", MariadbServer::kDatabase}});
  EXPECT_EQ(socket.exit_code, 0) << socket.out << socket.err;
  EXPECT_EQ((socket.out + socket.err).find(MariadbServer::kPassword), std::string::npos) << socket.out << socket.err;
}

TEST(MysqlWithoutTls, TlsRequiredOfAServerWithoutTlsSaysSo) {
  MariadbServer plain;
  if (!plain.unavailable_reason().empty()) GTEST_SKIP() << plain.unavailable_reason();
  auto r = run_one(mysql_check(fmt::format("mysql://{}:{}@127.0.0.1:{}/{}?ssl_mode=REQUIRED", MariadbServer::kUser,
                                           MariadbServer::kPassword, plain.port(), MariadbServer::kDatabase)),
                   "5s", true);
  ASSERT_TRUE(r.report.error);
  EXPECT_EQ(r.report.error->kind, FailureKind::tls) << describe(r.report);
  EXPECT_EQ(r.report.error->code, "SSL_NOT_SUPPORTED") << describe(r.report);
}

// A server that asks for mysql_clear_password over plain TCP, in its
// greeting or by switching after the first reply (what MaxScale's
// passthrough mode and a man in the middle do), gets no password: the
// client allows it only over TLS or a local socket, as libpq's
// require_auth restricts methods (issue 27, class 11).
TEST(MysqlCleartext, APasswordIsNeverSentInClearOverPlainTcp) {
  for (bool switched : {false, true}) {
    std::mutex mutex;
    std::string received;
    FixtureServer server(Behaviour::mysql_cleartext, {.mysql_switch = switched, .mysql_received = [&](const std::string& bytes) {
                                                         std::lock_guard lock(mutex);
                                                         received += bytes;
                                                       }});
    const std::string password = "clear-canary-7f3a";
    auto r = run_one(mysql_check(fmt::format("mysql://app:{}@127.0.0.1:{}/app", password, server.port())), "3s", true);
    ASSERT_TRUE(r.report.error) << describe(r.report);
    EXPECT_EQ(r.report.error->kind, FailureKind::auth) << describe(r.report);
    EXPECT_EQ(r.report.error->cause, Cause::cleartext_password_refused) << describe(r.report);
    EXPECT_NE(r.report.error->message.find("mysql_clear_password"), std::string::npos) << describe(r.report);
    EXPECT_NE(r.report.error->hint.find("ssl_mode=REQUIRED"), std::string::npos) << describe(r.report);
    std::lock_guard lock(mutex);
    EXPECT_EQ(received.find(password), std::string::npos) << (switched ? "after a switch" : "in the greeting");
  }
}

}  // namespace
}  // namespace preflight::testing
