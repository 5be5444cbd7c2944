// Cloud SQL from Cloud Run: PostgreSQL reached only through a Unix socket in
// /cloudsql/PROJECT:REGION:INSTANCE (no TCP listener), in every form the
// applications write it. A real server, socket-only, with SCRAM passwords.
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "binary_harness.h"
#include "postgres_server.h"
#include "process.h"

namespace preflight::testing {
namespace {

class CloudSqlSocket : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = new PostgresServer({.socket_only_subdir = "cloudsql/proj:us-central1:inst"});
  }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }
  void SetUp() override {
    if (!server_->unavailable_reason().empty()) GTEST_SKIP() << server_->unavailable_reason();
  }
  static std::string dir() { return server_->socket_dir(); }
  static std::string port() { return std::to_string(server_->port()); }

  static PostgresServer* server_;
};
PostgresServer* CloudSqlSocket::server_ = nullptr;

TEST_F(CloudSqlSocket, PostgresHostAsTheSocketDirectoryPassesWithThePassword) {
  ASSERT_NE(dir().find(':'), std::string::npos);
  auto r = run_clean(cmd({"--once"}), {{"POSTGRES_HOST", dir()}, {"POSTGRES_PORT", port()},
                                       {"POSTGRES_PASSWORD", PostgresServer::kPassword}});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("READY"), std::string::npos) << r.out;
}

TEST_F(CloudSqlSocket, EveryUrlFormOfTheSocketPasses) {
  std::string encoded_dir;
  for (char c : dir()) encoded_dir += c == '/' ? std::string("%2F") : c == ':' ? std::string("%3A") : std::string(1, c);
  const std::string pw = PostgresServer::kPassword;
  for (const std::string& url : {
           fmt::format("postgresql://postgres:{}@/postgres?host={}&port={}", pw, dir(), port()),
           fmt::format("postgresql+asyncpg://postgres:{}@/postgres?host={}&port={}", pw, dir(), port()),
           fmt::format("postgresql+psycopg2://postgres:{}@/postgres?host={}&port={}", pw, dir(), port()),
           fmt::format("postgres://postgres:{}@{}:{}/postgres", pw, encoded_dir, port()),
           fmt::format("postgresql+pg8000://postgres:{}@/postgres?unix_sock={}/.s.PGSQL.{}", pw, dir(), port()),
           fmt::format("host={} port={} user=postgres password={} dbname=postgres", dir(), port(), pw),
       }) {
    auto r = run_clean(cmd({"--once"}), {{"DATABASE_URL", url}});
    EXPECT_EQ(r.exit_code, 0) << url << "\n" << r.out << r.err;
    expect_no_canary(url, r.out + r.err);
  }
}

TEST_F(CloudSqlSocket, LintSaysItIsASocketAndNeverShowsThePassword) {
  const std::string url = fmt::format("postgresql+asyncpg://app:{}@/app?host={}", kCanary, dir());
  auto r = run_clean(cmd({"lint"}), {{"DATABASE_URL", url}});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find(fmt::format("SQLAlchemy URL (asyncpg) · Unix socket unix:{}/.s.PGSQL.5432", dir())), std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("user app"), std::string::npos) << r.out;
  expect_no_canary("lint", r.out + r.err);
}

TEST_F(CloudSqlSocket, AWrongPasswordOverTheSocketIsAnAuthFailure) {
  auto r = run_clean(cmd({"--once", "-o", "json"}), {{"POSTGRES_HOST", dir()}, {"POSTGRES_PORT", port()},
                                                     {"POSTGRES_PASSWORD", kCanary}});
  EXPECT_EQ(r.exit_code, 3) << r.out << r.err;
  auto report = json::parse(r.out);
  EXPECT_EQ(report["phases"][0]["checks"][0]["error"]["kind"], "auth") << r.out;
  expect_no_canary("json", r.out + r.err);
}

// The socket a URL names must be the one dialled: with ?host= a TCP host in
// the authority is not used (libpq lets the parameter win).
TEST_F(CloudSqlSocket, QueryHostWinsOverTheAuthorityAsInLibpq) {
  auto r = run_clean(cmd({"--once"}),
                     {{"DATABASE_URL", fmt::format("postgresql://postgres:{}@localhost:1/postgres?host={}&port={}",
                                                   PostgresServer::kPassword, dir(), port())}});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
}

TEST_F(CloudSqlSocket, AMissingSocketDirectoryIsNotListeningAndNamesTheSocket) {
  auto r = run_clean(cmd({"--once"}), {{"POSTGRES_HOST", "/cloudsql/proj:us-central1:missing"}});
  EXPECT_EQ(r.exit_code, 3) << r.out << r.err;
  EXPECT_NE(r.out.find("/cloudsql/proj:us-central1:missing/.s.PGSQL.5432"), std::string::npos) << r.out;
}

// A typo in the connection name: the socket is not there, which is retried
// (the proxy may still be starting), and the hint lists what /cloudsql holds.
TEST_F(CloudSqlSocket, ATypoInTheConnectionNameListsTheInstancesThatExist) {
  std::string typo = dir().substr(0, dir().size() - 1) + "x";  // proj:us-central1:insx
  auto r = run_clean(cmd({"-o", "json", "--phase-timeout", "database=300ms"}),
                     {{"POSTGRES_HOST", typo}, {"POSTGRES_PASSWORD", PostgresServer::kPassword}});
  EXPECT_EQ(r.exit_code, 3) << r.out << r.err;
  auto report = nlohmann::json::parse(r.out, nullptr, false);
  ASSERT_TRUE(report.is_object()) << r.out;
  const auto& check = report["phases"][0]["checks"][0];
  EXPECT_EQ(check["error"]["kind"], "connection_refused") << check.dump(2);
  EXPECT_GT(check["attempts"].get<int>(), 1) << "a socket not there yet is retried: " << check.dump(2);
  std::string hint = check["error"]["hint"];
  EXPECT_NE(hint.find("holds proj:us-central1:inst, not proj:us-central1:insx: a typo in the connection name"), std::string::npos)
      << hint;
  EXPECT_NE(hint.find("from POSTGRES_HOST (env)"), std::string::npos) << hint;
}

}  // namespace
}  // namespace preflight::testing
