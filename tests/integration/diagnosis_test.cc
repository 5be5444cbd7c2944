// Each diagnosis hint on a fixture that produces its failure: the hint must
// name the likely root cause, and the variable and source behind it.
#include <gtest/gtest.h>

#include "fixture_server.h"
#include "harness.h"
#include "redis_server.h"
#include "refused_port.h"

namespace preflight::testing {
namespace {

std::string tcp_check(const std::string& url) {
  return fmt::format(R"({{"name":"t","type":"tcp","url":"{}"}})", url);
}

TEST(Diagnosis, RefusedOnIpv6LoopbackButAcceptedOnIpv4MeansBoundToIpv4Only) {
  FixtureServer v4_only(Behaviour::silent);  // listens on 127.0.0.1 only
  auto r = run_one(tcp_check(fmt::format("tcp://[::1]:{}", v4_only.port())), "300ms", true);
  ASSERT_TRUE(r.report.error);
  ASSERT_EQ(r.report.error->kind, FailureKind::connection_refused) << describe(r.report);
  EXPECT_NE(r.report.error->hint.find("bound to IPv4 only"), std::string::npos) << describe(r.report);
}

TEST(Diagnosis, AnHttpCheckOnIpv6LoopbackFindsTheIpv4OnlyServiceInsideTheAttempt) {
  FixtureServer v4_only(Behaviour::http, {.http = [](int, const std::string&) { return http_response(200, "ok"); }});
  auto r = run_one(fmt::format(R"({{"name":"h","type":"http","url":"http://[::1]:{}/health"}})", v4_only.port()), "300ms", true);
  ASSERT_TRUE(r.report.error);
  ASSERT_EQ(r.report.error->kind, FailureKind::connection_refused) << describe(r.report);
  EXPECT_EQ(r.report.error->accepted_instead, fmt::format("127.0.0.1:{}", v4_only.port())) << describe(r.report);
  EXPECT_NE(r.report.error->hint.find("bound to IPv4 only; target 127.0.0.1"), std::string::npos) << describe(r.report);
}

TEST(Diagnosis, RefusedEverywhereIsNotBlamedOnIpv4) {
  RefusedPort nothing;  // on ::1 and on 127.0.0.1, which preflight dials next
  auto r = run_one(tcp_check(fmt::format("tcp://[::1]:{}", nothing.port())), "300ms", true);
  ASSERT_TRUE(r.report.error);
  EXPECT_EQ(r.report.error->hint.find("IPv4 only"), std::string::npos) << describe(r.report);
  EXPECT_NE(r.report.error->hint.find("nothing is listening"), std::string::npos) << describe(r.report);
}

TEST(Diagnosis, NxdomainForATemplateLikeNameNamesTheVariable) {
  auto vars = vars_from({{"REDIS_HOST", "redis-instance-ip", ".env.staging:50"}});
  auto r = run_one(tcp_check("tcp://${REDIS_HOST}:6379"), "3s", true, vars);
  ASSERT_TRUE(r.report.error);
  ASSERT_EQ(r.report.error->kind, FailureKind::dns) << describe(r.report);
  EXPECT_NE(r.report.error->hint.find("unreplaced template"), std::string::npos) << describe(r.report);
  EXPECT_NE(r.report.error->hint.find("REDIS_HOST, .env.staging:50"), std::string::npos) << describe(r.report);
}

TEST(Diagnosis, NxdomainForAnOrdinaryNameIsNotCalledATemplate) {
  auto r = run_one(tcp_check("tcp://cache.preflight-nxdomain.internal:6379"), "3s", true);
  ASSERT_TRUE(r.report.error);
  ASSERT_EQ(r.report.error->kind, FailureKind::dns) << describe(r.report);
  EXPECT_EQ(r.report.error->hint.find("template"), std::string::npos) << describe(r.report);
}

TEST(Diagnosis, Http503SaysTheServiceRunsButIsNotReady) {
  FixtureServer server(Behaviour::http, {.http = [](int, const std::string&) { return http_response(503, "starting"); }});
  auto r = run_one(fmt::format(R"({{"name":"auth","type":"http","url":"http://127.0.0.1:{}/health"}})", server.port()),
                   "300ms");
  ASSERT_TRUE(r.report.error);
  ASSERT_EQ(r.report.error->kind, FailureKind::unhealthy) << describe(r.report);
  EXPECT_NE(r.report.error->hint.find("not ready (503)"), std::string::npos) << describe(r.report);
  EXPECT_GT(r.report.attempts, 1) << "503 is retried";
}

TEST(Diagnosis, WrongRedisPasswordNamesTheVariableAndSourceNeverTheValue) {
  RedisServer redis({.password = "the-right-one"});
  auto vars = vars_from({{"REDIS_PASSWORD", "stale-password-42", "/secrets/redis-password"}});
  auto r = run_one(fmt::format(R"({{"name":"r","type":"redis","url":"redis://127.0.0.1:{}","password":"${{REDIS_PASSWORD}}"}})",
                               redis.port()),
                   "2s", false, vars);
  ASSERT_TRUE(r.report.error);
  ASSERT_EQ(r.report.error->kind, FailureKind::auth) << describe(r.report);
  EXPECT_NE(r.report.error->hint.find("REDIS_PASSWORD (/secrets/redis-password)"), std::string::npos) << describe(r.report);
  EXPECT_EQ(describe(r.report).find("stale-password-42"), std::string::npos);
}

TEST(Diagnosis, ARetriedFailureShowsItsRetryArithmetic) {
  RefusedPort nothing;
  auto r = run_one(tcp_check(fmt::format("tcp://127.0.0.1:{}", nothing.port())), "400ms");
  ASSERT_TRUE(r.report.error);
  EXPECT_NE(r.report.error->message.find("gave up after"), std::string::npos) << describe(r.report);
  EXPECT_NE(r.report.error->message.find("phase timeout 0.40 s"), std::string::npos) << describe(r.report);
  EXPECT_NE(r.report.error->message.find("retry delays 10 ms growing ×2 to 30 ms, each cut by up to 33% at random"), std::string::npos) << describe(r.report);
}

}  // namespace
}  // namespace preflight::testing
