// The whole deterministic startup: database, cache, services and websocket
// phases against real PostgreSQL and Redis and fixture HTTP and WebSocket
// servers, from a config file and from the built-in default profile.
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "binary_under_test.h"
#include "fixture_server.h"
#include "postgres_server.h"
#include "process.h"
#include "redis_server.h"

namespace preflight::testing {

// As binary_harness.h names it, in the same namespace: the unity build
// puts both in one translation unit.
using json = nlohmann::json;

namespace {

class FourPhases : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { postgres_ = new PostgresServer(); }
  static void TearDownTestSuite() {
    delete postgres_;
    postgres_ = nullptr;
  }
  void SetUp() override {
    if (!postgres_->unavailable_reason().empty()) GTEST_SKIP() << postgres_->unavailable_reason();
  }

  ProcessResult run_preflight(std::vector<std::string> args) {
    args.insert(args.begin(), binary_under_test());
    Process p(args, {{"PATH", "/usr/bin:/bin"}, {"NO_COLOR", "1"}}, /*clean_env=*/true);
    return p.wait(std::chrono::seconds(60));
  }

  static PostgresServer* postgres_;
  TempDir dir;
  RedisServer redis{{.password = "redis-pw-4ph"}};
  FixtureServer auth{Behaviour::http, {.http = [](int, const std::string& req) {
                                         return req.starts_with("GET /health ") ? http_response(200, R"({"status":"healthy"})")
                                                                                : http_response(404, "");
                                       }}};
  FixtureServer gateway{Behaviour::websocket};
};
PostgresServer* FourPhases::postgres_ = nullptr;

TEST_F(FourPhases, ConfigFileRunsEveryPhaseInOrder) {
  auto env = dir.write(".env", fmt::format("DATABASE_URL=postgres://postgres:{}@127.0.0.1:{}/postgres\n"
                                           "REDIS_HOST=127.0.0.1\nREDIS_PORT={}\nREDIS_PASSWORD=redis-pw-4ph\n"
                                           "AUTH_SERVICE_URL=http://127.0.0.1:{}\nWEBSOCKET_URL=ws://127.0.0.1:{}/ws\n",
                                           PostgresServer::kPassword, postgres_->port(), redis.port(), auth.port(), gateway.port()));
  auto config = dir.write("preflight.json", R"({
    "name": "netra-backend",
    "env_files": [".env"],
    "phases": [
      { "name": "database", "timeout": "5s", "checks": [ { "name": "postgres", "type": "postgres", "url": "${DATABASE_URL}" } ] },
      { "name": "cache", "timeout": "2s", "checks": [ { "name": "redis", "type": "redis",
          "url": "redis://${REDIS_HOST}:${REDIS_PORT:-6379}/0", "password": "${REDIS_PASSWORD}" } ] },
      { "name": "services", "timeout": "5s", "checks": [ { "name": "auth", "type": "http", "url": "${AUTH_SERVICE_URL}/health",
          "expect": { "status": [200], "json": { "/status": "healthy" } } } ] },
      { "name": "websocket", "timeout": "7.5s", "checks": [
          { "name": "redis", "type": "redis", "url": "redis://:${REDIS_PASSWORD}@${REDIS_HOST}:${REDIS_PORT}/0" },
          { "name": "gateway", "type": "websocket", "url": "${WEBSOCKET_URL}", "required": false } ] } ] })");
  auto r = run_preflight({"-c", config, "-o", "json"});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  json doc = json::parse(r.out);
  std::vector<std::string> names;
  for (const auto& p : doc["phases"]) {
    names.push_back(p["name"]);
    EXPECT_EQ(p["status"], "passed") << p.dump();
  }
  EXPECT_EQ(names, (std::vector<std::string>{"database", "cache", "services", "websocket"}));
  EXPECT_EQ(r.out.find("redis-pw-4ph"), std::string::npos);
  EXPECT_EQ(r.out.find(PostgresServer::kPassword), std::string::npos);
}

TEST_F(FourPhases, DefaultProfileFromADotenvFile) {
  auto env = dir.write(".env.staging",
                       fmt::format("POSTGRES_HOST=127.0.0.1\nPOSTGRES_PORT={}\nPOSTGRES_USER=postgres\nPOSTGRES_PASSWORD={}\n"
                                   "REDIS_HOST=127.0.0.1\nREDIS_PORT={}\nREDIS_PASSWORD=redis-pw-4ph\n"
                                   "AUTH_SERVICE_URL=http://127.0.0.1:{}\nWEBSOCKET_URL=ws://127.0.0.1:{}/ws\n",
                                   postgres_->port(), PostgresServer::kPassword, redis.port(), auth.port(), gateway.port()));
  auto r = run_preflight({"-e", env, "-o", "json"});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  json doc = json::parse(r.out);
  ASSERT_EQ(doc["phases"].size(), 4u);
  EXPECT_EQ(doc["phases"][2]["checks"][0]["name"], "auth");
  EXPECT_EQ(doc["phases"][2]["checks"][0]["target"], fmt::format("http://127.0.0.1:{}/health", auth.port()));
  for (const auto& p : doc["phases"]) EXPECT_EQ(p["status"], "passed") << p.dump();
}

TEST_F(FourPhases, DefaultProfileSkipsWhatIsNotConfiguredAndLintPrintsThePlan) {
  auto env = dir.write(".env", fmt::format("REDIS_URL=redis://:redis-pw-4ph@127.0.0.1:{}/0\n", redis.port()));
  auto r = run_preflight({"-e", env, "-o", "json"});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  json doc = json::parse(r.out);
  EXPECT_EQ(doc["phases"][0]["status"], "skipped");
  EXPECT_EQ(doc["phases"][1]["status"], "passed");
  EXPECT_EQ(doc["phases"][2]["status"], "skipped");
  auto lint = run_preflight({"lint", "-e", env});
  EXPECT_EQ(lint.exit_code, 0);
  EXPECT_NE(lint.out.find(fmt::format("redis://:***@127.0.0.1:{}/0", redis.port())), std::string::npos) << lint.out;
  EXPECT_EQ(lint.out.find("redis-pw-4ph"), std::string::npos);
}

}  // namespace
}  // namespace preflight::testing
