// The postgres probe against a real PostgreSQL cluster and fixtures.
#include <gtest/gtest.h>

#include "certs.h"
#include "fixture_server.h"
#include "binary_harness.h"
#include "harness.h"
#include "postgres_server.h"
#include "refused_port.h"

namespace preflight::testing {
namespace {

class Postgres : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { server_ = new PostgresServer(); }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }
  void SetUp() override {
    if (!server_->unavailable_reason().empty()) GTEST_SKIP() << server_->unavailable_reason();
  }
  static std::string check(const std::string& url, const std::string& extra = "") {
    return fmt::format(R"({{"name":"db","type":"postgres","url":"{}"{}}})", url, extra);
  }
  static std::string url(const std::string& password, const std::string& db = "postgres") {
    return fmt::format("postgres://postgres:{}@127.0.0.1:{}/{}", password, server_->port(), db);
  }
  static PostgresServer* server_;
};
PostgresServer* Postgres::server_ = nullptr;

TEST_F(Postgres, LogsInAndRunsSelectOne) {
  auto r = run_one(check(url(PostgresServer::kPassword)), "5s");
  EXPECT_EQ(r.report.status, CheckStatus::passed) << describe(r.report);
  EXPECT_EQ(r.report.attempts, 1);
}

// service=NAME reads the connection service file as libpq does: its
// keywords fill in what the string leaves unset, and lint names the file
// as the origin of each part it gave.
TEST_F(Postgres, AServiceFromTheServiceFileIsReadAsLibpqReadsIt) {
  TempDir dir;
  auto services = dir.write("pg_service.conf", fmt::format("[orders]\nhost=127.0.0.1\nport={}\nuser=postgres\n"
                                                          "dbname=postgres\nsslmode=disable\npassword={}\n",
                                                          server_->port(), PostgresServer::kPassword));
  auto passes = run_clean(cmd({"--once", "--set", "DATABASE_URL=service=orders"}), {{"PGSERVICEFILE", services}});
  EXPECT_EQ(passes.exit_code, 0) << passes.out << passes.err;
  auto lint = run_clean(cmd({"lint", "--set", "DATABASE_URL=service=orders dbname=template1"}), {{"PGSERVICEFILE", services}});
  EXPECT_NE(lint.out.find(fmt::format("port ← service \"orders\" of {}", services)), std::string::npos) << lint.out;
  EXPECT_NE(lint.out.find("database ← DATABASE_URL (--set)"), std::string::npos) << lint.out;  // the string's own wins
  EXPECT_EQ(lint.out.find(PostgresServer::kPassword), std::string::npos) << lint.out;
  auto missing = run_clean(cmd({"lint", "--set", "DATABASE_URL=service=billing"}), {{"PGSERVICEFILE", services}});
  EXPECT_NE(missing.exit_code, 0) << missing.out;
  EXPECT_NE(missing.out.find("no definition of service \"billing\""), std::string::npos) << missing.out;
}

// Other drivers' forms reach the same server: Npgsql's (ADO.NET) and pgx's
// database= in a key=value string.
TEST_F(Postgres, NpgsqlAndPgxFormsLogIn) {
  const int port = server_->port();
  const std::string pw = PostgresServer::kPassword;
  for (const std::string& url :
       {fmt::format("Host=127.0.0.1;Port={};Username=postgres;Password={};Database=postgres;SSL Mode=Disable;Pooling=true", port, pw),
        fmt::format("Server=127.0.0.1:{};User Id=postgres;Pwd=\\\"{}\\\";DB=postgres", port, pw),
        fmt::format("host=127.0.0.1 port={} user=postgres password={} database=postgres sslmode=disable", port, pw)}) {
    auto r = run_one(check(url), "5s");
    EXPECT_EQ(r.report.status, CheckStatus::passed) << url << "\n" << describe(r.report);
  }
  // database= names the database: a wrong one fails as the server says.
  auto wrong = run_one(check(fmt::format("host=127.0.0.1 port={} user=postgres password={} database=no_such_db", port, pw)), "5s");
  ASSERT_TRUE(wrong.report.error) << describe(wrong.report);
  EXPECT_NE(wrong.report.error->message.find("no_such_db"), std::string::npos) << describe(wrong.report);
}

TEST_F(Postgres, PasswordFromFieldAndLocalhostName) {
  auto r = run_one(check(fmt::format("postgresql://postgres@localhost:{}/postgres?sslmode=disable", server_->port()),
                         fmt::format(R"(,"password":"{}")", PostgresServer::kPassword)),
                   "5s");
  EXPECT_EQ(r.report.status, CheckStatus::passed) << describe(r.report);
}

TEST_F(Postgres, ConfiguredQueryIsComparedWithExpect) {
  auto ok = run_one(check(url(PostgresServer::kPassword), R"x(,"query":"SELECT current_database()","expect":"postgres")x"), "5s");
  EXPECT_EQ(ok.report.status, CheckStatus::passed) << describe(ok.report);
  auto wrong = run_one(check(url(PostgresServer::kPassword), R"(,"query":"SELECT 2","expect":"1")"), "1s", true);
  ASSERT_TRUE(wrong.report.error);
  EXPECT_EQ(wrong.report.error->kind, FailureKind::unhealthy);
  EXPECT_NE(wrong.report.error->message.find("returned \"2\""), std::string::npos) << describe(wrong.report);
}

// The test cluster listens on 127.0.0.1 only: ::1 refuses, and the attempt
// itself finds where the server is.
TEST_F(Postgres, RefusedOnIpv6LoopbackNamesTheIpv4ListenerInsideTheAttempt) {
  auto r = run_one(check(fmt::format("postgres://postgres:{}@[::1]:{}/postgres", PostgresServer::kPassword, server_->port())),
                   "2s", true);
  ASSERT_TRUE(r.report.error);
  ASSERT_EQ(r.report.error->kind, FailureKind::connection_refused) << describe(r.report);
  EXPECT_EQ(r.report.error->accepted_instead, fmt::format("127.0.0.1:{}", server_->port())) << describe(r.report);
  EXPECT_NE(r.report.error->hint.find("bound to IPv4 only"), std::string::npos) << describe(r.report);
}

TEST_F(Postgres, WrongPasswordIsAuthAndNotRetried) {
  auto r = run_one(check(url("wrong-pw")), "5s");
  ASSERT_TRUE(r.report.error);
  EXPECT_EQ(r.report.error->kind, FailureKind::auth) << describe(r.report);
  EXPECT_NE(r.report.error->message.find("password authentication failed"), std::string::npos);
  EXPECT_EQ(r.report.attempts, 1);
}

TEST_F(Postgres, MissingDatabaseIsInvalidConfig) {
  auto r = run_one(check(url(PostgresServer::kPassword, "nosuchdb")), "5s");
  ASSERT_TRUE(r.report.error);
  EXPECT_EQ(r.report.error->kind, FailureKind::invalid_config) << describe(r.report);
  EXPECT_NE(r.report.error->message.find("nosuchdb"), std::string::npos);
}

TEST_F(Postgres, WrongPasswordHintNamesTheVariableAndSourceNeverTheValue) {
  auto vars = vars_from({{"DATABASE_URL", url("stale-pw-81"), ".env.staging:3"}});
  auto r = run_one(check("${DATABASE_URL}"), "5s", false, vars);
  ASSERT_TRUE(r.report.error);
  EXPECT_NE(r.report.error->hint.find("DATABASE_URL (.env.staging:3)"), std::string::npos) << describe(r.report);
  EXPECT_EQ(describe(r.report).find("stale-pw-81"), std::string::npos);
}

TEST_F(Postgres, MissingDatabaseHintNamesTheVariable) {
  auto vars = vars_from({{"POSTGRES_DB", "nosuchdb", "/secrets/postgres-db"}});
  auto r = run_one(check(url(PostgresServer::kPassword, "${POSTGRES_DB}")), "5s", false, vars);
  ASSERT_TRUE(r.report.error);
  ASSERT_EQ(r.report.error->kind, FailureKind::invalid_config) << describe(r.report);
  EXPECT_NE(r.report.error->hint.find("no such database"), std::string::npos) << describe(r.report);
  EXPECT_NE(r.report.error->hint.find("POSTGRES_DB, /secrets/postgres-db"), std::string::npos) << describe(r.report);
}

TEST_F(Postgres, FailedQueryIsReportedWithItsText) {
  auto r = run_one(check(url(PostgresServer::kPassword), R"(,"query":"SELECT * FROM no_such_table")"), "1s", true);
  ASSERT_TRUE(r.report.error);
  EXPECT_NE(r.report.error->message.find("no_such_table"), std::string::npos) << describe(r.report);
}

class PostgresTls : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    pki_ = new TestPki(make_test_pki(*dir_));
    server_ = new PostgresServer({.tls_cert = pki_->server_cert, .tls_key = pki_->server_key});
  }
  static void TearDownTestSuite() {
    delete server_;
    delete pki_;
    delete dir_;
  }
  void SetUp() override {
    if (!server_->unavailable_reason().empty()) GTEST_SKIP() << server_->unavailable_reason();
  }
  static std::string check(const std::string& mode, const std::string& ca) {
    return fmt::format(R"({{"name":"db","type":"postgres","url":"postgres://postgres:{}@localhost:{}/postgres?sslmode={}&sslrootcert={}"}})",
                       PostgresServer::kPassword, server_->port(), mode, ca);
  }
  static TempDir* dir_;
  static TestPki* pki_;
  static PostgresServer* server_;
};
TempDir* PostgresTls::dir_ = nullptr;
TestPki* PostgresTls::pki_ = nullptr;
PostgresServer* PostgresTls::server_ = nullptr;

TEST_F(PostgresTls, VerifyFullPassesWithTheTestCa) {
  auto r = run_one(check("verify-full", pki_->ca_cert), "5s");
  EXPECT_EQ(r.report.status, CheckStatus::passed) << describe(r.report);
}

TEST_F(PostgresTls, UntrustedCertificateIsTls) {
  auto r = run_one(check("verify-full", pki_->other_ca_cert), "2s");
  ASSERT_TRUE(r.report.error);
  EXPECT_EQ(r.report.error->kind, FailureKind::tls) << describe(r.report);
  EXPECT_EQ(r.report.attempts, 1);
}

// The hint names the variable the URL, and so sslrootcert, is written in.
TEST_F(PostgresTls, AnUntrustedCertificateNamesTheUrlsVariable) {
  auto vars = vars_from({{"DATABASE_URL",
                          fmt::format("postgres://postgres:{}@localhost:{}/postgres?sslmode=verify-full&sslrootcert={}",
                                      PostgresServer::kPassword, server_->port(), pki_->other_ca_cert),
                          ".env:3"}});
  auto r = run_one(R"({"name":"db","type":"postgres","url":"${DATABASE_URL}"})", "2s", true, vars);
  ASSERT_TRUE(r.report.error);
  EXPECT_EQ(r.report.error->cause, Cause::untrusted_certificate) << describe(r.report);
  EXPECT_NE(r.report.error->hint.find("in the URL (from DATABASE_URL, .env:3))"), std::string::npos) << r.report.error->hint;
}

TEST(PostgresFaults, StartingUpIsUnhealthyAndRetried) {
  FixtureServer starting(Behaviour::postgres_starting);
  auto r = run_one(fmt::format(R"({{"name":"db","type":"postgres","url":"postgres://u:p@127.0.0.1:{}/db"}})", starting.port()), "1s");
  ASSERT_TRUE(r.report.error);
  EXPECT_EQ(r.report.error->kind, FailureKind::unhealthy) << describe(r.report);
  EXPECT_NE(r.report.error->message.find("starting up"), std::string::npos);
  EXPECT_GT(r.report.attempts, 2);
  EXPECT_LE(r.report.elapsed_ms, 1000 + kDeadlineSlackMs);
}

TEST(PostgresFaults, SilentServerGivesUpAtTheDeadline) {
  FixtureServer silent(Behaviour::silent);
  auto r = run_one(fmt::format(R"({{"name":"db","type":"postgres","url":"postgres://u:p@127.0.0.1:{}/db"}})", silent.port()));
  ASSERT_TRUE(r.report.error);
  EXPECT_EQ(r.report.error->kind, FailureKind::timeout) << describe(r.report);
  EXPECT_GE(r.report.elapsed_ms, 1495);
  EXPECT_LE(r.report.elapsed_ms, 1500 + kDeadlineSlackMs);
}

TEST(PostgresFaults, BlackholeGivesUpAtTheDeadline) {
  FixtureServer blackhole(Behaviour::blackhole);
  auto r = run_one(fmt::format(R"({{"name":"db","type":"postgres","url":"postgres://u:p@127.0.0.1:{}/db"}})", blackhole.port()));
  ASSERT_TRUE(r.report.error);
  EXPECT_EQ(r.report.error->kind, FailureKind::timeout) << describe(r.report);
  EXPECT_NE(r.report.error->message.find("TCP connect"), std::string::npos) << describe(r.report);
  EXPECT_LE(r.report.elapsed_ms, 1500 + kDeadlineSlackMs);
}

TEST(PostgresFaults, NothingListeningIsRefused) {
  RefusedPort nothing;
  auto r = run_one(fmt::format(R"({{"name":"db","type":"postgres","url":"postgres://u:p@127.0.0.1:{}/db"}})", nothing.port()), "300ms");
  ASSERT_TRUE(r.report.error);
  EXPECT_EQ(r.report.error->kind, FailureKind::connection_refused) << describe(r.report);
}

TEST(PostgresFaults, BadSslmodeIsInvalidConfig) {
  auto r = run_one(R"({"name":"db","type":"postgres","url":"postgres://u@10.0.0.1/db?sslmode=sometimes"})", "300ms");
  ASSERT_TRUE(r.report.error);
  EXPECT_EQ(r.report.error->kind, FailureKind::invalid_config);
  EXPECT_EQ(r.report.attempts, 0);
}

}  // namespace
}  // namespace preflight::testing
