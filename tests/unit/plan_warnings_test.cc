#include "app/plan_warnings.h"

#include <gtest/gtest.h>

namespace preflight {
namespace {

Plan plan_of(const std::string& phases_json, const VariableSet& vars = {}) {
  auto config = parse_config(R"({"phases":)" + phases_json + "}", "cfg.json");
  EXPECT_TRUE(config.ok()) << config.error().message;
  return build_plan(*config, vars);
}

Plan plan_of_one(const std::string& check_json) {
  return plan_of(R"([{"name":"p","checks":[)" + check_json + "]}]");
}

std::string joined(const std::vector<std::string>& warnings) {
  std::string out;
  for (const auto& w : warnings) out += w + "\n";
  return out;
}

TEST(PlanWarnings, PlainRedisToAPublicAddressIsWarnedButNotToAPrivateOne) {
  auto public_host = plan_warnings(plan_of_one(R"({"name":"r","type":"redis","url":"redis://203.0.113.7:6379"})"), {});
  ASSERT_EQ(public_host.size(), 1u) << joined(public_host);
  EXPECT_NE(public_host[0].find("TLS is off to 203.0.113.7"), std::string::npos) << public_host[0];
  EXPECT_NE(public_host[0].find("rediss://"), std::string::npos) << public_host[0];
  for (const char* internal : {"10.0.0.3", "127.0.0.1", "redis", "redis.default.svc.cluster.local", "cache.internal"}) {
    auto w = plan_warnings(plan_of_one(fmt::format(R"({{"name":"r","type":"redis","url":"redis://{}:6379"}})", internal)), {});
    EXPECT_TRUE(w.empty()) << internal << ": " << joined(w);
  }
  EXPECT_TRUE(plan_warnings(plan_of_one(R"({"name":"r","type":"redis","url":"rediss://203.0.113.7:6379"})"), {}).empty());
}

TEST(PlanWarnings, CleartextIsWarnedForEveryTypeThatHasTls) {
  for (const char* check : {R"({"name":"h","type":"http","url":"http://api.acme.io/health"})",
                            R"({"name":"w","type":"websocket","url":"ws://chat.acme.io/ws"})",
                            R"({"name":"d","type":"postgres","url":"postgres://u@db.acme.io/app?sslmode=disable"})",
                            R"({"name":"d","type":"postgres","url":"postgres://u@db.acme.io/app","sslmode":"allow"})"}) {
    auto w = plan_warnings(plan_of_one(check), {});
    ASSERT_EQ(w.size(), 1u) << check;
    EXPECT_NE(w[0].find("TLS is off"), std::string::npos) << w[0];
  }
  EXPECT_TRUE(plan_warnings(plan_of_one(R"({"name":"d","type":"postgres","url":"postgres://u@db.acme.io/app?sslmode=verify-full"})"), {}).empty());
}

TEST(PlanWarnings, LoopbackTargetsOnCloudRunAreWarnedWithTheirVariable) {
  VariableSet vars;
  vars.define("REDIS_HOST", Variable{"localhost", ".env:4", false, false, std::nullopt});
  auto config = parse_config(R"({"phases":[{"name":"cache","checks":[{"name":"redis","type":"redis","url":"redis://${REDIS_HOST}:6379"}]}]})", "c.json");
  Plan plan = build_plan(*config, vars);
  EXPECT_TRUE(plan_warnings(plan, detect_platform({}, "")).empty()) << "loopback is fine on a laptop";
  auto w = plan_warnings(plan, detect_platform({}, "cloudrun"));
  ASSERT_EQ(w.size(), 1u) << joined(w);
  EXPECT_NE(w[0].find("targets localhost (from REDIS_HOST, .env:4) while running on Cloud Run"), std::string::npos) << w[0];
}

TEST(PlanWarnings, PhaseTimeoutsOverTheStartupBudgetShowTheSum) {
  Plan plan = plan_of(R"([{"name":"database","timeout":"200s","checks":[{"name":"t","type":"tcp","url":"tcp://db:5432"}]},
                          {"name":"cache","timeout":"50s","checks":[{"name":"t","type":"tcp","url":"tcp://redis:6379"}]}])");
  EXPECT_TRUE(plan_warnings(plan, detect_platform({}, "")).empty()) << "no platform, no budget";
  auto w = plan_warnings(plan, detect_platform({{"K_SERVICE", "api"}}, ""));
  ASSERT_EQ(w.size(), 1u);
  EXPECT_NE(w[0].find("add up to 250.00 s (database 200.00 s + cache 50.00 s)"), std::string::npos) << w[0];
  EXPECT_NE(w[0].find("240.00 s (Cloud Run's default startup probe)"), std::string::npos) << w[0];
  // --phase-timeout and --phase change the sum.
  Plan shorter = plan;
  apply_phase_selection(shorter, {}, {{"database", Millis{100'000}}});
  EXPECT_TRUE(plan_warnings(shorter, detect_platform({{"K_SERVICE", "api"}}, "")).empty());
  Plan one = plan;
  apply_phase_selection(one, {"cache"}, {});
  EXPECT_TRUE(plan_warnings(one, detect_platform({{"K_SERVICE", "api"}}, "")).empty());
  // The config's own budget applies everywhere.
  plan.budget = Millis{60'000};
  auto own = plan_warnings(plan, detect_platform({}, ""));
  ASSERT_EQ(own.size(), 1u);
  EXPECT_NE(own[0].find("the config's \"budget\""), std::string::npos) << own[0];
}

VariableSet one_variable(const std::string& name, const std::string& value) {
  VariableSet vars;
  vars.define(name, Variable{value, "env", name_looks_secret(name), false, std::nullopt});
  return vars;
}

// The Secret Manager incident class: `echo pw | gcloud secrets create`
// stores "pw\n"; exposed as an environment variable it is sent whole.
TEST(PlanWarnings, APasswordEndingInANewlineIsNamedWithItsVariableNeverShown) {
  auto plan = plan_of(R"([{"name":"db","checks":[{"name":"pg","type":"postgres",
      "url":"postgresql://app@10.0.0.5/app","password":"${DB_PASSWORD}"}]}])",
                      one_variable("DB_PASSWORD", "canary-pw\n"));
  auto w = plan_warnings(plan, {});
  ASSERT_EQ(w.size(), 1u) << joined(w);
  EXPECT_NE(w[0].find("db/pg: the password (from DB_PASSWORD, env) ends with a newline"), std::string::npos) << w[0];
  EXPECT_NE(w[0].find("printf"), std::string::npos) << w[0];
  EXPECT_EQ(w[0].find("canary-pw"), std::string::npos) << w[0];
}

TEST(PlanWarnings, WhiteSpaceAtEitherEndOfAnyPartIsWarned) {
  auto db = plan_of(R"([{"name":"db","checks":[{"name":"pg","type":"postgres","url":"${DATABASE_URL}"}]}])",
                    one_variable("DATABASE_URL", "postgresql://app:pw@10.0.0.5/app\r"));
  auto w = plan_warnings(db, {});
  ASSERT_EQ(w.size(), 1u) << joined(w);
  EXPECT_NE(w[0].find("the database (from DATABASE_URL, env) ends with a carriage return"), std::string::npos) << w[0];
  // redis-py drops the newline from a URL, so preflight does too: nothing to warn.
  auto redis = plan_of(R"([{"name":"cache","checks":[{"name":"r","type":"redis","url":"${REDIS_URL}"}]}])",
                       one_variable("REDIS_URL", "redis://:pw@10.0.0.3:6379/0\n"));
  EXPECT_TRUE(plan_warnings(redis, {}).empty()) << joined(plan_warnings(redis, {}));
}

}  // namespace
}  // namespace preflight
