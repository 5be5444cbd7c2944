// Failures as data: each layer says where in the exchange it failed (the
// stage) and the protocol's own code, so that diagnosis and log queries
// read fields, not sentences. Real redis-server and PostgreSQL, fixtures
// for what they cannot do.
#include <gtest/gtest.h>

#include "fixture_server.h"
#include "harness.h"
#include "postgres_server.h"
#include "redis_server.h"
#include "refused_port.h"

namespace preflight::testing {
namespace {

void expect_failure(const OneCheck& r, FailureKind kind, const std::string& stage, const std::string& code) {
  ASSERT_TRUE(r.report.error) << describe(r.report);
  EXPECT_EQ(r.report.error->kind, kind) << describe(r.report);
  EXPECT_EQ(to_string(r.report.error->stage), stage) << describe(r.report);
  EXPECT_EQ(r.report.error->code, code) << describe(r.report);
}

TEST(FailureData, RedisSaysTheStepAndTheReplysPrefix) {
  RedisServer redis({.password = "right-pw"});
  if (redis.unavailable()) GTEST_SKIP() << "redis-server is not installed";
  expect_failure(run_one(fmt::format(R"({{"name":"r","type":"redis","url":"redis://:wrong@127.0.0.1:{}"}})", redis.port()), "1s", true),
                 FailureKind::auth, "login", "WRONGPASS");
  expect_failure(run_one(fmt::format(R"({{"name":"r","type":"redis","url":"redis://:right-pw@127.0.0.1:{}/99"}})", redis.port()), "1s", true),
                 FailureKind::invalid_config, "query", "ERR");
  FixtureServer full(Behaviour::fake_redis, {.redis_error = "ERR max number of clients reached"});
  expect_failure(run_one(fmt::format(R"({{"name":"r","type":"redis","url":"redis://127.0.0.1:{}"}})", full.port()), "1s", true),
                 FailureKind::unhealthy, "query", "ERR");
  FixtureServer loading(Behaviour::fake_redis, {.loading_connections = 100});
  expect_failure(run_one(fmt::format(R"({{"name":"r","type":"redis","url":"redis://127.0.0.1:{}"}})", loading.port()), "1s", true),
                 FailureKind::unhealthy, "query", "LOADING");
}

// (No "resolve" case: a name that does not resolve would ask a name
// server off this machine.)
TEST(FailureData, TheTransportSaysConnectTlsOrReply) {
  RefusedPort nothing;
  expect_failure(run_one(fmt::format(R"({{"name":"r","type":"redis","url":"redis://127.0.0.1:{}"}})", nothing.port()), "1s", true),
                 FailureKind::connection_refused, "connect", "ECONNREFUSED");
  FixtureServer silent(Behaviour::silent);
  expect_failure(run_one(fmt::format(R"({{"name":"r","type":"redis","url":"redis://127.0.0.1:{}"}})", silent.port()), "300ms", true),
                 FailureKind::timeout, "reply", "");
  expect_failure(run_one(fmt::format(R"({{"name":"r","type":"redis","url":"rediss://127.0.0.1:{}"}})", silent.port()), "300ms", true),
                 FailureKind::timeout, "tls", "");
}

TEST(FailureData, HttpAndWebSocketGiveTheStatus) {
  FixtureServer http(Behaviour::http, {.http = [](int, const std::string&) { return http_response(503, "starting"); }});
  expect_failure(run_one(fmt::format(R"({{"name":"h","type":"http","url":"http://127.0.0.1:{}/health"}})", http.port()), "300ms", true),
                 FailureKind::unhealthy, "reply", "503");
  FixtureServer ws(Behaviour::websocket, {.websocket = WebSocketMode::forbidden});
  expect_failure(run_one(fmt::format(R"({{"name":"w","type":"websocket","url":"ws://127.0.0.1:{}/ws"}})", ws.port()), "300ms", true),
                 FailureKind::auth, "reply", "403");
}

TEST(FailureData, PostgresSaysLoginOrQueryWithTheSqlstate) {
  PostgresServer pg;
  if (!pg.unavailable_reason().empty()) GTEST_SKIP() << pg.unavailable_reason();
  expect_failure(run_one(fmt::format(R"({{"name":"d","type":"postgres","url":"postgresql://postgres:wrong@127.0.0.1:{}/postgres"}})",
                                     pg.port()), "3s", true),
                 FailureKind::auth, "login", "");
  expect_failure(run_one(fmt::format(R"({{"name":"d","type":"postgres","url":"postgresql://postgres:{}@127.0.0.1:{}/postgres",
                                        "query":"SELECT * FROM no_such_table"}})", PostgresServer::kPassword, pg.port()), "3s", true),
                 FailureKind::protocol, "query", "42P01");
}

}  // namespace
}  // namespace preflight::testing
