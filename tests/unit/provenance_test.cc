// Lint names where each part of a target came from, never its value.
#include <gtest/gtest.h>

#include <map>

#include "config/plan.h"
#include "base/redact.h"

namespace preflight {
namespace {

std::map<std::string, std::string> sources_of(const std::string& check_json,
                                              std::initializer_list<std::tuple<std::string, std::string, std::string>> kv) {
  auto config = parse_config(R"({"phases":[{"name":"p","timeout":"2s","checks":[)" + check_json + "]}]}", "cfg.json");
  EXPECT_TRUE(config.ok());
  VariableSet vars;
  for (const auto& [k, v, src] : kv) vars.define(k, Variable{v, src, name_looks_secret(k), false, std::nullopt});
  Plan plan = build_plan(*config, vars);
  EXPECT_TRUE(plan.findings.empty()) << plan.findings[0].message;
  auto parts = part_sources(plan.phases.at(0).checks.at(0));
  return {parts.begin(), parts.end()};
}

TEST(PartSources, EachPartNamesTheVariableThatHeldIt) {
  auto s = sources_of(R"({"name":"db","type":"postgres","url":"postgresql://${DB_USER}:${DB_PASSWORD}@${DB_HOST}:${DB_PORT:-5432}/app"})",
                      {{"DB_USER", "svc", ".env:1"}, {"DB_PASSWORD", "pw", "/run/secrets/db"}, {"DB_HOST", "10.1.2.3", "env"}});
  EXPECT_EQ(s["host"], "DB_HOST (env)");
  EXPECT_EQ(s["user"], "DB_USER (.env:1)");
  EXPECT_EQ(s["password"], "DB_PASSWORD (/run/secrets/db)");
  // DB_PORT is unset: the ${DB_PORT:-5432} of the url gave it.
  EXPECT_EQ(s["port"], "the default of ${DB_PORT} in the check's url");
  EXPECT_EQ(s["database"], "the check's url");
}

// A host built from two variables and the config's own text names all
// three, not the first variable whose value happens to hold some of it.
TEST(PartSources, APartBuiltFromSeveralSourcesNamesEachOfThem) {
  auto s = sources_of(R"({"name":"r","type":"redis","url":"redis://${SERVICE}-${ENVIRONMENT}.internal:6379"})",
                      {{"SERVICE", "cache", ".env:1"}, {"ENVIRONMENT", "staging", "env"}});
  EXPECT_EQ(s["host"], "SERVICE (.env:1) and ENVIRONMENT (env) and the check's url");
  EXPECT_EQ(s["port"], "the check's url");
}

// A check named as its host (a compose service "redis" checked as "redis")
// is not where the host came from: the check's name and type hold no part.
TEST(PartSources, AHostSpelledLikeTheChecksNameIsStillTheVariables) {
  auto s = sources_of(R"({"name":"redis","type":"redis","url":"${REDIS_URL}"})", {{"REDIS_URL", "redis://redis:6379/0", "env"}});
  EXPECT_EQ(s["host"], "REDIS_URL (env)");
  auto g = sources_of(R"({"name":"pay","type":"grpc","url":"${PAY_SERVICE_URL}"})", {{"PAY_SERVICE_URL", "dns:///pay:50051", "env"}});
  EXPECT_EQ(g["host"], "PAY_SERVICE_URL (env)");
}

// A dotenv URL that refers to a host variable: the host is the inner
// variable's, the rest the URL variable's.
TEST(PartSources, AHostReferencedInsideAUrlVariableIsTheHostVariables) {
  auto config = parse_config(R"({"phases":[{"name":"p","checks":[{"name":"db","type":"postgres","url":"${DATABASE_URL}"}]}]})", "c.json");
  VariableSet vars;
  vars.define("DB_HOST", Variable{"db.internal", ".env:1", false, false, std::nullopt});
  vars.define("DATABASE_URL", Variable{"postgresql://app@${DB_HOST}:5433/app", ".env:2", false, true, std::nullopt});
  Plan plan = build_plan(*config, vars);
  auto parts = part_sources(plan.phases.at(0).checks.at(0));
  std::map<std::string, std::string> s(parts.begin(), parts.end());
  EXPECT_EQ(s["host"], "DB_HOST (.env:1)");
  EXPECT_EQ(s["port"], "DATABASE_URL (.env:2)");
  EXPECT_EQ(s["user"], "DATABASE_URL (.env:2)");
}

// A token with a '/' interpolated where no userinfo is: the reader takes
// its first piece as the host. Those bytes are still the secret's, and lint
// (which prints the host) must not show them.
TEST(PartSources, SecretBytesThatAReaderPutInTheHostAreSecretThere) {
  auto config = parse_config(R"({"phases":[{"name":"p","checks":[{"name":"n","type":"tcp","url":"tcp://${AUTH_TOKEN}:4222"}]}]})", "c.json");
  VariableSet vars;
  vars.define("AUTH_TOKEN", Variable{"Tk9xQwz7/Zr4Pq8", "/run/secrets/token", true, false, std::nullopt});
  Plan plan = build_plan(*config, vars);
  const PlannedCheck& check = plan.phases.at(0).checks.at(0);
  if (!check.target) GTEST_SKIP() << "the reader refused the value (then nothing of it is printed)";
  const std::string shown = plan.redactor->scrub(check.target->describe());
  EXPECT_EQ(shown.find("Tk9xQwz7"), std::string::npos) << shown;
  EXPECT_TRUE(origin_of(check, check.target->endpoints.front().host).secret);
}

TEST(PartSources, PartsOfOneUrlVariableAreMatchedAsWholeComponents) {
  // "2" and "0" occur inside the address; only the db component is "2".
  auto s = sources_of(R"({"name":"r","type":"redis","url":"${REDIS_URL}"})",
                      {{"REDIS_URL", "redis://:p%40w@10.0.2.3:6378/2", "env"}});
  EXPECT_EQ(s["host"], "REDIS_URL (env)");
  EXPECT_EQ(s["port"], "REDIS_URL (env)");
  EXPECT_EQ(s["password"], "REDIS_URL (env)") << "the password is decoded; the variable holds it encoded";
  EXPECT_EQ(s["database"], "REDIS_URL (env)");
}

TEST(PartSources, WhatNoVariableOrTextGaveIsTheDefault) {
  auto s = sources_of(R"({"name":"r","type":"redis","url":"${REDIS_URL}"})", {{"REDIS_URL", "redis://", "env"}});
  EXPECT_EQ(s["host"], "default");
  EXPECT_EQ(s["port"], "default");
  EXPECT_EQ(s["database"], "default");
}

TEST(PartSources, ASocketDirectoryAndTheSentinelMasterAreParts) {
  auto pg = sources_of(R"({"name":"db","type":"postgres","url":"postgresql:///app?host=${POSTGRES_HOST}"})",
                       {{"POSTGRES_HOST", "/cloudsql/p:r:i", "env"}});
  EXPECT_EQ(pg["socket directory"], "POSTGRES_HOST (env)");
  auto sentinel = sources_of(R"({"name":"r","type":"redis","url":"redis+sentinel://s1,s2/${MASTER}"})",
                             {{"MASTER", "cache", "env"}});
  EXPECT_EQ(sentinel["master"], "MASTER (env)");
  EXPECT_EQ(sentinel["host 2"], "the check's url");
  EXPECT_EQ(sentinel["port 2"], "default");
}

}  // namespace
}  // namespace preflight
