#include "config/plan.h"

#include <gtest/gtest.h>

#include "config/default_profile.h"

namespace preflight {
namespace {

ConfigFile one_check(const std::string& check_json) {
  auto r = parse_config(R"({"phases":[{"name":"cache","timeout":"2s","checks":[)" + check_json + "]}]}", "cfg.json");
  EXPECT_TRUE(r.ok()) << r.error().message;
  return r.value();
}

VariableSet vars(std::initializer_list<std::tuple<std::string, std::string, std::string>> kv) {
  VariableSet v;
  for (const auto& [k, val, src] : kv) v.define(k, Variable{val, src, name_looks_secret(k), false, std::nullopt});
  return v;
}

TEST(BuildPlan, TheIncidentPlaceholderBlocksTheCheckAndNamesItsSource) {
  auto plan = build_plan(one_check(R"({"name":"redis","type":"redis","url":"redis://${REDIS_HOST}:${REDIS_PORT:-6379}/0"})"),
                         vars({{"REDIS_HOST", "your-redis-instance-ip", ".env.staging:50"}}));
  ASSERT_EQ(plan.findings.size(), 1u);
  const Finding& f = plan.findings[0];
  EXPECT_EQ(f.kind, FailureKind::placeholder);
  EXPECT_EQ(f.variable, "REDIS_HOST");
  EXPECT_EQ(f.source, ".env.staging:50");
  EXPECT_NE(f.message.find("your-redis-instance-ip"), std::string::npos);
  const PlannedCheck& c = plan.phases[0].checks[0];
  ASSERT_TRUE(c.blocked);
  EXPECT_EQ(c.blocked->kind, FailureKind::placeholder);
  EXPECT_EQ(c.probe, nullptr) << "a blocked check must never be attempted";
}

TEST(BuildPlan, UnsetVariableIsAFinding) {
  auto plan = build_plan(one_check(R"({"name":"redis","type":"redis","url":"redis://${REDIS_HOST}:6379"})"), {});
  ASSERT_EQ(plan.findings.size(), 1u);
  EXPECT_EQ(plan.findings[0].kind, FailureKind::unset_variable);
  EXPECT_EQ(plan.findings[0].variable, "REDIS_HOST");
  EXPECT_TRUE(plan.phases[0].checks[0].blocked);
}

TEST(BuildPlan, MalformedUrlFromAVariableBlamesTheVariable) {
  auto plan = build_plan(one_check(R"({"name":"redis","type":"redis","url":"${REDIS_URL}"})"),
                         vars({{"REDIS_URL", "redis://cache:99999", "env"}}));
  ASSERT_FALSE(plan.findings.empty());
  EXPECT_EQ(plan.findings[0].kind, FailureKind::invalid_config);
  EXPECT_EQ(plan.findings[0].variable, "REDIS_URL");
  EXPECT_NE(plan.findings[0].message.find("out of range"), std::string::npos);
}

TEST(BuildPlan, WrongSchemeForTypeIsInvalidConfig) {
  auto plan = build_plan(one_check(R"({"name":"r","type":"redis","url":"http://cache:6379"})"), {});
  ASSERT_FALSE(plan.findings.empty());
  EXPECT_EQ(plan.findings[0].kind, FailureKind::invalid_config);
}

TEST(BuildPlan, ReservedHostIsAPlaceholder) {
  auto plan = build_plan(one_check(R"({"name":"r","type":"redis","url":"rediss://redis.example.com:6380"})"), {});
  ASSERT_FALSE(plan.findings.empty());
  EXPECT_EQ(plan.findings[0].kind, FailureKind::placeholder);
}

TEST(BuildPlan, SecretsAreCollectedAndTargetsRedacted) {
  auto plan = build_plan(one_check(R"({"name":"r","type":"redis","url":"redis://:inline-pw@10.0.0.3:6379/0","password":"${REDIS_PASSWORD}"})"),
                         vars({{"REDIS_PASSWORD", "canary-pw-1", "/secrets/redis-password"}}));
  EXPECT_TRUE(plan.findings.empty());
  EXPECT_EQ(plan.phases[0].checks[0].shown, "redis://:***@10.0.0.3:6379/0");
  EXPECT_NE(std::find(plan.secrets.begin(), plan.secrets.end(), "canary-pw-1"), plan.secrets.end());
  EXPECT_NE(std::find(plan.secrets.begin(), plan.secrets.end(), "inline-pw"), plan.secrets.end());
  EXPECT_NE(plan.phases[0].checks[0].probe, nullptr);
}

TEST(BuildPlan, SecretQueryParametersAreScrubbedToo) {
  auto plan = build_plan(one_check(R"({"name":"db","type":"tcp","url":"tcp://db:5432?password=q-secret-1&page=2"})"), {});
  EXPECT_NE(std::find(plan.secrets.begin(), plan.secrets.end(), "q-secret-1"), plan.secrets.end());
  EXPECT_EQ(std::find(plan.secrets.begin(), plan.secrets.end(), "2"), plan.secrets.end());
  EXPECT_EQ(plan.phases[0].checks[0].shown, "tcp://db:5432?password=***&page=2");
}

TEST(BuildPlan, PlaceholderPasswordDoesNotPrintTheValue) {
  VariableSet v;
  v.define("REDIS_PASSWORD", Variable{"changeme", ".env:3", true, false, std::nullopt});
  auto plan = build_plan(one_check(R"({"name":"r","type":"redis","url":"redis://10.0.0.3","password":"${REDIS_PASSWORD}"})"), v);
  ASSERT_EQ(plan.findings.size(), 1u);
  EXPECT_EQ(plan.findings[0].kind, FailureKind::placeholder);
  EXPECT_EQ(plan.findings[0].message.find("changeme"), std::string::npos) << plan.findings[0].message;
}

// redis-py and ioredis read a path that is not a number as db 0; lint says
// that it ignored it.
TEST(BuildPlan, RedisPathThatIsNotANumberIsDatabaseZeroAndShownAsIgnored) {
  auto plan = build_plan(one_check(R"({"name":"r","type":"redis","url":"redis://10.0.0.3:6379/abc"})"), {});
  EXPECT_TRUE(plan.findings.empty());
  const auto& target = plan.phases[0].checks[0].target;
  ASSERT_TRUE(target);
  EXPECT_EQ(target->database, "0");
  EXPECT_NE(target->describe().find("ignored: the path"), std::string::npos) << target->describe();
}

TEST(BuildPlan, SameBadVariableInTwoChecksIsOneFinding) {
  auto plan = build_plan(
      one_check(R"({"name":"a","type":"tcp","url":"tcp://${H}:1"},{"name":"b","type":"tcp","url":"tcp://${H}:2"})"),
      vars({{"H", "your-host", "env"}}));
  EXPECT_EQ(plan.findings.size(), 1u);
  EXPECT_TRUE(plan.phases[0].checks[0].blocked);
  EXPECT_TRUE(plan.phases[0].checks[1].blocked);
}

// An unescaped '$' in a password reads as a reference: its "name" is part
// of the secret and no finding may repeat it.
TEST(BuildPlan, AReferenceThatMayBePartOfASecretIsNeverNamed) {
  VariableSet nested;
  nested.define("DATABASE_URL", Variable{"postgresql://app:Zx${Cq7-vxrpl}w@10.0.0.5/app", ".env:1", false, true, std::nullopt});
  auto a = build_plan(one_check(R"({"name":"db","type":"postgres","url":"${DATABASE_URL}"})"), nested);
  ASSERT_FALSE(a.findings.empty());
  EXPECT_EQ(a.findings[0].kind, FailureKind::unset_variable);
  EXPECT_NE(a.findings[0].message.find("the value of DATABASE_URL (.env:1) holds a ${...} reference"), std::string::npos)
      << a.findings[0].message;
  auto b = build_plan(one_check(R"({"name":"r","type":"redis","url":"redis://10.0.0.3","password":"Zx${Cq7-vxrpl}w"})"), {});
  ASSERT_FALSE(b.findings.empty());
  for (const Plan* plan : {&a, &b}) {
    for (const auto& f : plan->findings) {
      EXPECT_EQ((f.variable + f.message + f.hint).find("vxrpl"), std::string::npos) << f.message << " / " << f.hint;
    }
  }
  // A variable's name inside another value is still named.
  VariableSet host;
  host.define("DATABASE_URL", Variable{"postgresql://app@${DB_HOST}/app", ".env:1", false, true, std::nullopt});
  auto c = build_plan(one_check(R"({"name":"db","type":"postgres","url":"${DATABASE_URL}"})"), host);
  ASSERT_FALSE(c.findings.empty());
  EXPECT_EQ(c.findings[0].variable, "DB_HOST");
}

}  // namespace
}  // namespace preflight

namespace preflight {
namespace {

// "raise the phase timeout" is advice only when it says where to raise it.
TEST(BuildPlan, EachPhaseKnowsWhereItsTimeoutWasSet) {
  auto config = parse_config(R"({"phases":[
      {"name":"a","timeout":"3s","checks":[{"name":"t","type":"tcp","url":"tcp://db:5432"}]},
      {"name":"b","checks":[{"name":"u","type":"tcp","url":"tcp://db:5432"}]}]})", "/etc/preflight.json");
  ASSERT_TRUE(config.ok());
  auto plan = build_plan(*config, {});
  EXPECT_EQ(plan.phases[0].timeout_origin, "/etc/preflight.json:/phases/0/timeout");
  EXPECT_EQ(plan.phases[1].timeout_origin, "the built-in 10s: /etc/preflight.json:/phases/1 sets no \"timeout\"");
}

TEST(BuildPlan, TheDefaultProfilesTimeoutSaysHowToChangeIt) {
  VariableSet vars;
  vars.define("REDIS_URL", Variable{"redis://cache:6379", "env", false, false, std::nullopt});
  auto plan = build_plan(default_profile(vars), vars);
  ASSERT_FALSE(plan.phases.empty());
  const PlannedPhase& phase = plan.phases.back();
  EXPECT_NE(phase.timeout_origin.find("--phase-timeout " + phase.name + "=DURATION"), std::string::npos)
      << phase.timeout_origin;
}

TEST(DefaultProfile, OnCloudRunAnotherCloudRunServiceIsCalledWithAnIdentityToken) {
  auto fields_of = [&](const VariableSet& v) {
    ConfigFile config = default_profile(v);
    for (const auto& phase : config.phases) {
      for (const auto& check : phase.checks) {
        if (check.name == "payments") return check.fields;
      }
    }
    return nlohmann::json();
  };
  auto on_cloud_run = vars({{"K_SERVICE", "api", "env"}, {"PAYMENTS_SERVICE_URL", "https://payments-x7.a.run.app", "env"}});
  EXPECT_EQ(fields_of(on_cloud_run).value("auth", ""), "google-id-token");
  // Elsewhere, or to a service on another domain, no token is asked for.
  auto local = vars({{"PAYMENTS_SERVICE_URL", "https://payments-x7.a.run.app", "env"}});
  EXPECT_FALSE(fields_of(local).contains("auth"));
  auto other = vars({{"K_SERVICE", "api", "env"}, {"PAYMENTS_SERVICE_URL", "https://payments.example.com", "env"}});
  EXPECT_FALSE(fields_of(other).contains("auth"));
}

}  // namespace
}  // namespace preflight
