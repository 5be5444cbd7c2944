// Lint names where each part of a target came from, never its value.
#include <gtest/gtest.h>

#include <map>

#include "preflight/plan.h"

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
  EXPECT_EQ(s["port"], "the check's url");
  EXPECT_EQ(s["database"], "the check's url");
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
