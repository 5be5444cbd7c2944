// The one rule for the CAs of every TLS check (config/environment_trust.h),
// as a matrix: each TLS check type against a real server whose certificate
// a private CA signed, with that CA given in each of the environment's
// ways, through the binary. A row that trusts the CA must pass; a row that
// trusts only another CA must fail as tls.
#include <filesystem>
#include <functional>

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "binary_harness.h"
#include "certs.h"
#include "mariadb_server.h"
#include "postgres_server.h"
#include "process.h"
#include "redis_server.h"
#include "tls_server.h"

namespace preflight::testing {
namespace {

using Env = std::map<std::string, std::string>;

struct TrustServers {
  TempDir dir;
  TestPki pki = make_test_pki(dir);
  std::string hashed_dir;  // the CA alone, as `openssl rehash` leaves a directory
  TlsServer tls{pki.server_cert, pki.server_key};
  RedisServer redis{{.password = kCanary, .tls_cert = pki.server_cert, .tls_key = pki.server_key, .tls_ca = pki.ca_cert}};
  PostgresServer postgres{{.tls_cert = pki.server_cert, .tls_key = pki.server_key}};
  MariadbServer mariadb{{.tls_cert = pki.server_cert, .tls_key = pki.server_key}};

  TrustServers() {
    hashed_dir = dir.path() + "/hashed";
    std::filesystem::create_directory(hashed_dir);
    std::filesystem::copy_file(pki.ca_cert, hashed_dir + "/private-ca.pem");
    auto rehash = Process({"openssl", "rehash", hashed_dir}).wait(std::chrono::seconds(20));
    if (rehash.exit_code != 0) throw std::runtime_error("openssl rehash failed: " + rehash.err);
  }
};

// A TLS check of one type that verifies the server's certificate, and the
// field that gives its own CA.
struct TrustTarget {
  std::string type;
  std::function<std::string(const TrustServers&)> check;  // the check's JSON, without a CA
  std::string ca_field;
  std::string own_variable;  // the protocol's clients' own CA variable; empty: none
  std::function<std::string(const TrustServers&)> unavailable = [](const TrustServers&) { return std::string(); };
};

std::vector<TrustTarget> trust_targets() {
  return {
      {"tcp", [](const TrustServers& s) { return fmt::format(R"({{"type":"tcp","url":"tcp://localhost:{}","tls":true)", s.tls.port()); },
       "ca_file", ""},
      {"http", [](const TrustServers& s) { return fmt::format(R"({{"type":"http","url":"https://localhost:{}/")", s.tls.port()); },
       "ca_file", "REQUESTS_CA_BUNDLE"},
      {"redis",
       [](const TrustServers& s) { return fmt::format(R"({{"type":"redis","url":"rediss://:{}@localhost:{}/0")", kCanary, s.redis.port()); },
       "ca_file", "", [](const TrustServers& s) { return s.redis.unavailable() ? std::string("redis-server is not installed") : ""; }},
      {"postgres",
       [](const TrustServers& s) {
         return fmt::format(R"({{"type":"postgres","url":"postgresql://postgres:{}@localhost:{}/postgres?sslmode=verify-full")",
                            PostgresServer::kPassword, s.postgres.port());
       },
       "sslrootcert", "PGSSLROOTCERT", [](const TrustServers& s) { return s.postgres.unavailable_reason(); }},
      {"mysql",
       [](const TrustServers& s) {
         return fmt::format(R"({{"type":"mysql","url":"mysql://{}:{}@127.0.0.1:{}/{}?ssl_mode=VERIFY_IDENTITY")", MariadbServer::kUser,
                            MariadbServer::kPassword, s.mariadb.port(), MariadbServer::kDatabase);
       },
       "ca_file", "", [](const TrustServers& s) { return s.mariadb.unavailable_reason(); }},
  };
}

struct TrustRow {
  std::string name;
  std::function<Env(const TrustServers&, const TrustTarget&)> env;
  bool own_ca_field_other = false;  // the check's own CA field names the other CA
  bool ready;
  bool needs_own_variable = false;
};

std::vector<TrustRow> trust_rows() {
  return {
      {"no CA anywhere", [](auto&, auto&) { return Env{}; }, false, false},
      {"SSL_CERT_FILE", [](auto& s, auto&) { return Env{{"SSL_CERT_FILE", s.pki.ca_cert}}; }, false, true},
      {"SSL_CERT_FILE names another CA", [](auto& s, auto&) { return Env{{"SSL_CERT_FILE", s.pki.other_ca_cert}}; }, false, false},
      {"SSL_CERT_DIR", [](auto& s, auto&) { return Env{{"SSL_CERT_DIR", s.hashed_dir}}; }, false, true},
      {"NODE_EXTRA_CA_CERTS", [](auto& s, auto&) { return Env{{"NODE_EXTRA_CA_CERTS", s.pki.ca_cert}}; }, false, true},
      {"NODE_EXTRA_CA_CERTS adds to SSL_CERT_FILE's bundle",
       [](auto& s, auto&) { return Env{{"SSL_CERT_FILE", s.pki.other_ca_cert}, {"NODE_EXTRA_CA_CERTS", s.pki.ca_cert}}; }, false, true},
      {"the protocol's own variable before SSL_CERT_FILE",
       [](auto& s, auto& t) { return Env{{t.own_variable, s.pki.ca_cert}, {"SSL_CERT_FILE", s.pki.other_ca_cert}}; }, false, true, true},
      {"the check's own CA before every variable",
       [](auto& s, auto&) { return Env{{"SSL_CERT_FILE", s.pki.ca_cert}, {"NODE_EXTRA_CA_CERTS", s.pki.ca_cert}}; }, true, false},
  };
}

class EnvironmentTrust : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { servers_ = new TrustServers(); }
  static void TearDownTestSuite() { delete servers_; }
  static TrustServers* servers_;
};
TrustServers* EnvironmentTrust::servers_ = nullptr;

std::string config_of(const std::string& check) {
  return fmt::format(R"({{"phases":[{{"name":"deps","timeout":"5s","checks":[{}]}}]}})", check);
}

TEST_F(EnvironmentTrust, EveryTlsCheckTakesItsCaByTheSameRule) {
  const TrustServers& s = *servers_;
  int ran = 0;
  for (const TrustTarget& target : trust_targets()) {
    if (std::string why = target.unavailable(s); !why.empty()) {
      ADD_FAILURE() << target.type << ": " << why;  // every server here is a test dependency
      continue;
    }
    for (const TrustRow& row : trust_rows()) {
      if (row.needs_own_variable && target.own_variable.empty()) continue;
      std::string check = target.check(s);
      if (row.own_ca_field_other) check += fmt::format(R"(,"{}":"{}")", target.ca_field, s.pki.other_ca_cert);
      check += R"(,"name":"dep"})";
      const std::string config = s.dir.write(fmt::format("{}.json", target.type), config_of(check));
      auto r = run_clean(cmd({"-c", config, "--once", "-o", "json"}), row.env(s, target));
      ++ran;
      const std::string where = fmt::format("{} / {}", target.type, row.name);
      expect_no_canary(where, r.out + r.err);
      if (row.ready) {
        EXPECT_EQ(r.exit_code, 0) << where << "\n" << r.out << r.err;
        continue;
      }
      ASSERT_EQ(r.exit_code, 3) << where << "\n" << r.out << r.err;
      auto error = nlohmann::json::parse(r.out)["phases"][0]["checks"][0]["error"];
      EXPECT_EQ(error["kind"], "tls") << where << "\n" << r.out;
    }
  }
  EXPECT_EQ(ran, 5 * 7 + 2) << "rows run";
}

// An added CA that is not there names its variable and the variable's
// source, and is found when the check connects, not at lint (where the
// image's files may not exist).
TEST_F(EnvironmentTrust, AnAddedCaThatCannotBeReadNamesItsVariableAndSource) {
  const TrustServers& s = *servers_;
  const std::string env_file = s.dir.write("trust.env", "NODE_EXTRA_CA_CERTS=/nonexistent/private-ca.pem\n");
  const std::string config = s.dir.write(
      "missing.json", config_of(fmt::format(R"({{"name":"dep","type":"http","url":"https://localhost:{}/"}})", s.tls.port())));
  auto lint = run_clean(cmd({"lint", "-c", config, "-e", env_file}));
  EXPECT_EQ(lint.exit_code, 0) << lint.out << lint.err;
  auto r = run_clean(cmd({"-c", config, "-e", env_file, "--once", "-o", "json"}));
  ASSERT_EQ(r.exit_code, 3) << r.out << r.err;
  auto error = nlohmann::json::parse(r.out)["phases"][0]["checks"][0]["error"];
  EXPECT_EQ(error["kind"], "tls") << r.out;
  EXPECT_NE(error["message"].get<std::string>().find("/nonexistent/private-ca.pem"), std::string::npos) << r.out;
  EXPECT_NE(error["hint"].get<std::string>().find("NODE_EXTRA_CA_CERTS (" + env_file + ":1)"), std::string::npos) << r.out;
}

// libpq reads none of the generic variables: a postgres check that took its
// CA from one passes where an application on libpq fails, and lint says so.
TEST_F(EnvironmentTrust, LintSaysWhenTheProtocolsMainClientIgnoresTheVariable) {
  const TrustServers& s = *servers_;
  const std::string config = s.dir.write(
      "pg.json", config_of(R"({"name":"db","type":"postgres","url":"postgresql://app@db.internal/app?sslmode=verify-full"})"));
  auto generic = run_clean(cmd({"lint", "-c", config}), {{"SSL_CERT_FILE", s.pki.ca_cert}});
  EXPECT_NE(generic.out.find("checked against the CAs named by SSL_CERT_FILE (env); libpq"), std::string::npos)
      << generic.out << generic.err;
  auto own = run_clean(cmd({"lint", "-c", config}), {{"PGSSLROOTCERT", s.pki.ca_cert}, {"SSL_CERT_FILE", s.pki.ca_cert}});
  EXPECT_EQ(own.out.find("libpq (psycopg2"), std::string::npos) << own.out;
  EXPECT_NE(own.out.find("PGSSLROOTCERT"), std::string::npos) << "lint's from: line names the CA's variable\n" << own.out;
}

}  // namespace
}  // namespace preflight::testing
