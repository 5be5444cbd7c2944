// The redis and tcp probes, through the engine, against a real redis-server
// and misbehaving fixture servers on loopback.
#include <gtest/gtest.h>

#include "certs.h"
#include "fixture_server.h"
#include "harness.h"
#include "redis_server.h"
#include "refused_port.h"

namespace preflight::testing {
namespace {

std::string redis_check(const std::string& url, const std::string& extra = "") {
  return fmt::format(R"({{"name":"redis","type":"redis","url":"{}"{}}})", url, extra);
}

void expect_gave_up_at_deadline(const OneCheck& r, double deadline_ms) {
  EXPECT_GE(r.report.elapsed_ms, deadline_ms - 5) << describe(r.report);
  EXPECT_LE(r.report.elapsed_ms, deadline_ms + kDeadlineSlackMs) << describe(r.report);
}

TEST(RedisProbe, PassesAgainstPlainRedis) {
  RedisServer redis;
  auto r = run_one(redis_check(fmt::format("redis://127.0.0.1:{}/0", redis.port())));
  EXPECT_EQ(r.report.status, CheckStatus::passed) << describe(r.report);
  EXPECT_EQ(r.report.attempts, 1);
}

TEST(RedisProbe, PassesWithPasswordAndSelectsTheDatabase) {
  RedisServer redis({.password = "pw-canary-123"});
  auto r = run_one(redis_check(fmt::format("redis://127.0.0.1:{}/3", redis.port()), R"(,"password":"pw-canary-123")"));
  EXPECT_EQ(r.report.status, CheckStatus::passed) << describe(r.report);
}

TEST(RedisProbe, PassesWithAclUserFromUrl) {
  RedisServer redis({.acl_users = {"app on >app-pw ~* +@all"}});
  auto r = run_one(redis_check(fmt::format("redis://app:app-pw@127.0.0.1:{}/0", redis.port())));
  EXPECT_EQ(r.report.status, CheckStatus::passed) << describe(r.report);
}

TEST(RedisProbe, WrongPasswordIsAuthAndNotRetried) {
  RedisServer redis({.password = "right"});
  auto r = run_one(redis_check(fmt::format("redis://127.0.0.1:{}/0", redis.port()), R"(,"password":"wrong")"));
  ASSERT_TRUE(r.report.error) << describe(r.report);
  EXPECT_EQ(r.report.error->kind, FailureKind::auth);
  EXPECT_NE(r.report.error->message.find("WRONGPASS"), std::string::npos) << describe(r.report);
  EXPECT_EQ(r.report.attempts, 1);
  EXPECT_LT(r.report.elapsed_ms, 500) << "auth failures must not wait for the deadline";
}

TEST(RedisProbe, MissingPasswordIsNoAuthWithAHint) {
  RedisServer redis({.password = "right"});
  auto r = run_one(redis_check(fmt::format("redis://127.0.0.1:{}/0", redis.port())));
  ASSERT_TRUE(r.report.error);
  EXPECT_EQ(r.report.error->kind, FailureKind::auth);
  EXPECT_NE(r.report.error->message.find("NOAUTH"), std::string::npos);
  EXPECT_NE(r.report.error->hint.find("password"), std::string::npos);
}

TEST(RedisProbe, NothingListeningIsConnectionRefusedRetriedUntilTheDeadline) {
  RefusedPort nothing;
  auto r = run_one(redis_check(fmt::format("redis://127.0.0.1:{}/0", nothing.port())), "1s");
  ASSERT_TRUE(r.report.error);
  EXPECT_EQ(r.report.error->kind, FailureKind::connection_refused);
  EXPECT_GT(r.report.attempts, 3) << "refused is retried";
  expect_gave_up_at_deadline(r, 1000);
  EXPECT_NE(r.report.error->message.find("attempts"), std::string::npos) << "the retry arithmetic is shown";
}

TEST(RedisProbe, OnceMeansOneAttempt) {
  RefusedPort nothing;
  auto r = run_one(redis_check(fmt::format("redis://127.0.0.1:{}/0", nothing.port())), "1s", /*once=*/true);
  EXPECT_EQ(r.report.attempts, 1);
  EXPECT_LT(r.report.elapsed_ms, 300);
}

TEST(RedisProbe, BlackholeGivesUpAtTheDeadline) {
  FixtureServer blackhole(Behaviour::blackhole);
  auto r = run_one(redis_check(fmt::format("redis://127.0.0.1:{}/0", blackhole.port())));
  ASSERT_TRUE(r.report.error);
  EXPECT_EQ(r.report.error->kind, FailureKind::timeout) << describe(r.report);
  EXPECT_NE(r.report.error->message.find("TCP connect"), std::string::npos) << describe(r.report);
  expect_gave_up_at_deadline(r, 1500);
}

TEST(RedisProbe, SilentServerGivesUpAtTheDeadlineAndIsNeverReady) {
  FixtureServer silent(Behaviour::silent);
  auto r = run_one(redis_check(fmt::format("redis://127.0.0.1:{}/0", silent.port())));
  ASSERT_TRUE(r.report.error);
  EXPECT_EQ(r.report.error->kind, FailureKind::timeout);
  EXPECT_NE(r.report.error->message.find("PING"), std::string::npos) << describe(r.report);
  expect_gave_up_at_deadline(r, 1500);
}

TEST(RedisProbe, TrickledReplyGivesUpAtTheDeadline) {
  FixtureServer trickle(Behaviour::trickle);
  auto r = run_one(redis_check(fmt::format("redis://127.0.0.1:{}/0", trickle.port())));
  ASSERT_TRUE(r.report.error);
  EXPECT_EQ(r.report.error->kind, FailureKind::timeout) << describe(r.report);
  expect_gave_up_at_deadline(r, 1500);
}

TEST(RedisProbe, GarbageReplyIsProtocolQuotingTheBytes) {
  FixtureServer garbage(Behaviour::garbage);
  auto r = run_one(redis_check(fmt::format("redis://127.0.0.1:{}/0", garbage.port())));
  ASSERT_TRUE(r.report.error);
  EXPECT_EQ(r.report.error->kind, FailureKind::protocol);
  EXPECT_NE(r.report.error->message.find("HTTP/1.1 400"), std::string::npos) << describe(r.report);
  EXPECT_EQ(r.report.attempts, 1);
}

TEST(RedisProbe, CloseOnAcceptIsAFailureNotReady) {
  FixtureServer closer(Behaviour::close_on_accept);
  auto r = run_one(redis_check(fmt::format("redis://127.0.0.1:{}/0", closer.port())), "1s");
  EXPECT_EQ(r.report.status, CheckStatus::failed) << describe(r.report);
  ASSERT_TRUE(r.report.error);
  EXPECT_EQ(r.report.error->kind, FailureKind::protocol) << describe(r.report);
}

TEST(RedisProbe, LoadingIsUnhealthyAndRetriedUntilTheDeadline) {
  FixtureServer loading(Behaviour::fake_redis, {.loading_connections = 1000000});
  auto r = run_one(redis_check(fmt::format("redis://127.0.0.1:{}/0", loading.port())), "1s");
  ASSERT_TRUE(r.report.error);
  EXPECT_EQ(r.report.error->kind, FailureKind::unhealthy);
  EXPECT_NE(r.report.error->message.find("LOADING"), std::string::npos);
  EXPECT_NE(r.report.error->hint.find("loading"), std::string::npos);
  EXPECT_GT(r.report.attempts, 2);
  expect_gave_up_at_deadline(r, 1000);
}

TEST(RedisProbe, PassesOnceLoadingFinishes) {
  FixtureServer loading(Behaviour::fake_redis, {.loading_connections = 3});
  auto r = run_one(redis_check(fmt::format("redis://127.0.0.1:{}/0", loading.port())), "3s");
  EXPECT_EQ(r.report.status, CheckStatus::passed) << describe(r.report);
  EXPECT_EQ(r.report.attempts, 4);
  EXPECT_LT(r.report.elapsed_ms, 1000);
}

class RedisTls : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    pki_ = new TestPki(make_test_pki(*dir_));
  }
  static void TearDownTestSuite() {
    delete pki_;
    delete dir_;
  }
  static TempDir* dir_;
  static TestPki* pki_;
};
TempDir* RedisTls::dir_ = nullptr;
TestPki* RedisTls::pki_ = nullptr;

TEST_F(RedisTls, PassesWithTheRightCa) {
  RedisServer redis({.password = "tls-pw", .tls_cert = pki_->server_cert, .tls_key = pki_->server_key, .tls_ca = pki_->ca_cert});
  for (const char* host : {"localhost", "127.0.0.1"}) {
    auto r = run_one(redis_check(fmt::format("rediss://:tls-pw@{}:{}/0", host, redis.port()),
                                 fmt::format(R"(,"ca_file":"{}")", pki_->ca_cert)));
    EXPECT_EQ(r.report.status, CheckStatus::passed) << host << ": " << describe(r.report);
  }
}

TEST_F(RedisTls, UntrustedCertificateIsTlsWithACaHint) {
  RedisServer redis({.tls_cert = pki_->server_cert, .tls_key = pki_->server_key, .tls_ca = pki_->ca_cert});
  auto r = run_one(redis_check(fmt::format("rediss://127.0.0.1:{}/0", redis.port()),
                               fmt::format(R"(,"ca_file":"{}")", pki_->other_ca_cert)));
  ASSERT_TRUE(r.report.error);
  EXPECT_EQ(r.report.error->kind, FailureKind::tls) << describe(r.report);
  EXPECT_NE(r.report.error->hint.find("ca_file"), std::string::npos);
  EXPECT_EQ(r.report.attempts, 1);
}

TEST_F(RedisTls, InsecureSkipVerifyConnectsAnyway) {
  RedisServer redis({.tls_cert = pki_->server_cert, .tls_key = pki_->server_key, .tls_ca = pki_->ca_cert});
  auto r = run_one(redis_check(fmt::format("rediss://127.0.0.1:{}/0", redis.port()), R"(,"insecure_skip_verify":true)"));
  EXPECT_EQ(r.report.status, CheckStatus::passed) << describe(r.report);
}

TEST_F(RedisTls, PlainClientToTlsServerFails) {
  RedisServer redis({.tls_cert = pki_->server_cert, .tls_key = pki_->server_key, .tls_ca = pki_->ca_cert});
  auto r = run_one(redis_check(fmt::format("redis://127.0.0.1:{}/0", redis.port())), "1s");
  EXPECT_EQ(r.report.status, CheckStatus::failed) << describe(r.report);
}

TEST_F(RedisTls, StalledHandshakeGivesUpAtTheDeadline) {
  FixtureServer silent(Behaviour::silent);
  auto r = run_one(redis_check(fmt::format("rediss://127.0.0.1:{}/0", silent.port()),
                               fmt::format(R"(,"ca_file":"{}")", pki_->ca_cert)));
  ASSERT_TRUE(r.report.error);
  EXPECT_EQ(r.report.error->kind, FailureKind::timeout) << describe(r.report);
  EXPECT_NE(r.report.error->message.find("TLS handshake"), std::string::npos) << describe(r.report);
  expect_gave_up_at_deadline(r, 1500);
}

TEST(TcpProbe, PassesWhenSomethingListensAndRefusesWhenNot) {
  FixtureServer silent(Behaviour::silent);
  auto ok = run_one(fmt::format(R"({{"name":"t","type":"tcp","url":"tcp://127.0.0.1:{}"}})", silent.port()));
  EXPECT_EQ(ok.report.status, CheckStatus::passed) << describe(ok.report);
  RefusedPort nothing;
  auto refused = run_one(fmt::format(R"({{"name":"t","type":"tcp","url":"tcp://127.0.0.1:{}"}})", nothing.port()), "300ms");
  ASSERT_TRUE(refused.report.error);
  EXPECT_EQ(refused.report.error->kind, FailureKind::connection_refused);
}

TEST(TcpProbe, DialsAnIpv6LiteralAndReportsItsRefusal) {
  FixtureServer silent(Behaviour::silent);  // IPv4 only: ::1 is refused
  auto r = run_one(fmt::format(R"({{"name":"t","type":"tcp","url":"tcp://[::1]:{}"}})", silent.port()), "300ms", true);
  ASSERT_TRUE(r.report.error);
  EXPECT_EQ(r.report.error->kind, FailureKind::connection_refused) << describe(r.report);
}

TEST(TcpProbe, UnresolvableNameIsDns) {
  auto r = run_one(R"({"name":"t","type":"tcp","url":"tcp://no-such-host.preflight-nxdomain.internal:1"})", "3s", true);
  ASSERT_TRUE(r.report.error);
  EXPECT_EQ(r.report.error->kind, FailureKind::dns) << describe(r.report);
}

}  // namespace
}  // namespace preflight::testing
