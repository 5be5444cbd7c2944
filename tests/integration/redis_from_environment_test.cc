// Redis configured the way applications configure it from the environment:
// Memorystore with in-transit encryption (TLS with a private CA), an ACL
// user, a password beside a REDIS_URL without credentials. Real
// redis-server, the preflight binary, the default profile.
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "binary_harness.h"
#include "certs.h"
#include "process.h"
#include "redis_server.h"

namespace preflight::testing {
namespace {

class RedisFromEnvironment : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    pki_ = new TestPki(make_test_pki(*dir_));
    tls_ = new RedisServer({.password = kCanary, .tls_cert = pki_->server_cert, .tls_key = pki_->server_key,
                            .tls_ca = pki_->ca_cert});
  }
  static void TearDownTestSuite() {
    delete tls_;
    delete pki_;
    delete dir_;
  }
  void SetUp() override {
    if (tls_->unavailable()) GTEST_SKIP() << "redis-server is not installed";
  }
  static std::string port() { return std::to_string(tls_->port()); }

  static TempDir* dir_;
  static TestPki* pki_;
  static RedisServer* tls_;
};
TempDir* RedisFromEnvironment::dir_ = nullptr;
TestPki* RedisFromEnvironment::pki_ = nullptr;
RedisServer* RedisFromEnvironment::tls_ = nullptr;

TEST_F(RedisFromEnvironment, EveryTruthySpellingOfRedisSslWithItsCaPasses) {
  for (const char* spelling : {"true", "True", "TRUE", "1", "yes", "on"}) {
    auto r = run_clean(cmd({"--once"}), {{"REDIS_HOST", "localhost"}, {"REDIS_PORT", port()}, {"REDIS_SSL", spelling},
                                         {"REDIS_SSL_CA_CERTS", pki_->ca_cert}, {"REDIS_PASSWORD", kCanary}});
    EXPECT_EQ(r.exit_code, 0) << spelling << "\n" << r.out << r.err;
    expect_no_canary(spelling, r.out + r.err);
  }
}

TEST_F(RedisFromEnvironment, TheCaCanComeFromTheUrlOrFromSslCertFile) {
  for (const auto& env : std::vector<std::map<std::string, std::string>>{
           {{"REDIS_URL", fmt::format("rediss://:{}@localhost:{}/0?ssl_ca_certs={}", kCanary, port(), pki_->ca_cert)}},
           {{"REDIS_URL", fmt::format("rediss://localhost:{}", port())}, {"REDIS_PASSWORD", kCanary},
            {"SSL_CERT_FILE", pki_->ca_cert}},
           {{"REDIS_URL", fmt::format("REDISS://:{}@LOCALHOST:{}?ssl_cert_reqs=none", kCanary, port())}},
       }) {
    auto r = run_clean(cmd({"--once"}), env);
    EXPECT_EQ(r.exit_code, 0) << env.begin()->second << "\n" << r.out << r.err;
    expect_no_canary("run", r.out + r.err);
  }
}

TEST_F(RedisFromEnvironment, WithoutTheCaTheCertificateIsNotTrustedAndTheHintNamesTheCaField) {
  auto r = run_clean(cmd({"--once", "-o", "json"}),
                     {{"REDIS_URL", fmt::format("rediss://localhost:{}", port())}, {"REDIS_PASSWORD", kCanary}});
  EXPECT_EQ(r.exit_code, 3) << r.out << r.err;
  auto error = json::parse(r.out)["phases"][1]["checks"][0]["error"];
  EXPECT_EQ(error["kind"], "tls") << r.out;
  EXPECT_NE(error["hint"].get<std::string>().find("ca_file"), std::string::npos) << r.out;
}

// Laravel writes REDIS_PASSWORD=null for "no password": sending it as a
// password would be refused by a server without one.
TEST(RedisPasswordNull, MeansNoPassword) {
  RedisServer plain;
  if (plain.unavailable()) GTEST_SKIP() << "redis-server is not installed";
  auto r = run_clean(cmd({"--once"}), {{"REDIS_HOST", "127.0.0.1"}, {"REDIS_PORT", std::to_string(plain.port())},
                                       {"REDIS_PASSWORD", "null"}});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
}

TEST(RedisAclUser, UserAndPasswordFromTheUrlPassAndAWrongUserFails) {
  RedisServer acl({.acl_users = {"app on >app-pw-1234 ~* +@all"}});
  if (acl.unavailable()) GTEST_SKIP() << "redis-server is not installed";
  auto ok = run_clean(cmd({"--once"}), {{"REDIS_URL", fmt::format("redis://app:app-pw-1234@127.0.0.1:{}/0", acl.port())}});
  EXPECT_EQ(ok.exit_code, 0) << ok.out << ok.err;
  auto bad = run_clean(cmd({"--once"}), {{"REDIS_URL", fmt::format("redis://nobody:app-pw-1234@127.0.0.1:{}/0", acl.port())}});
  EXPECT_EQ(bad.exit_code, 3) << bad.out << bad.err;
}

}  // namespace
}  // namespace preflight::testing
