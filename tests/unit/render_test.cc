// The three renderers on reports made of plain values: what each must
// carry (the CRITICAL line alerts match, warnings, escaping), with no run.
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "report/render.h"

namespace preflight {
namespace {

RunReport failed_report() {
  RunReport r;
  r.name = "default profile";
  r.status = RunStatus::failed;
  r.exit_code = 3;
  r.elapsed_ms = 7503.2;
  r.failed_checks = {"websocket/redis"};
  r.failed_phase = "websocket";
  r.warnings = {"PORT is set by .env:2"};
  PhaseReport cache{"cache", PhaseStatus::passed, 15.0, Millis{5000}, {}};
  CheckReport pg;
  pg.name = "postgres";
  pg.type = "postgres";
  pg.target = "postgres://app:***@db:5432/app";
  pg.status = CheckStatus::passed;
  pg.elapsed_ms = 14.2;
  pg.attempts = 1;
  pg.warnings = {"PostgreSQL at db:5432 has 0 of 5 connections free"};
  cache.checks.push_back(pg);
  PhaseReport ws{"websocket", PhaseStatus::failed, 7500.0, Millis{7500}, {}};
  CheckReport redis;
  redis.name = "redis";
  redis.type = "redis";
  redis.target = "redis://your-redis-instance-ip:6379/0";
  redis.status = CheckStatus::failed;
  redis.elapsed_ms = 7500.0;
  redis.attempts = 3;
  redis.error = Failure{FailureKind::dns, "cannot resolve host name \"your-redis-instance-ip\" <&>", "set REDIS_HOST", Stage::resolve, "NXDOMAIN"};
  ws.checks.push_back(redis);
  r.phases = {cache, ws};
  return r;
}

TEST(RenderText, PhasesChecksErrorsHintsWarningsAndTheCriticalLine) {
  std::string out = render_text(failed_report(), TextStyle{});
  EXPECT_NE(out.find("websocket       7.500s  FAILED"), std::string::npos) << out;
  EXPECT_NE(out.find("dns: cannot resolve host name \"your-redis-instance-ip\" <&>"), std::string::npos) << out;
  EXPECT_NE(out.find("hint: set REDIS_HOST"), std::string::npos) << out;
  EXPECT_NE(out.find("warning: PostgreSQL at db:5432 has 0 of 5 connections free"), std::string::npos) << out;
  // What existing alerts match, unchanged.
  EXPECT_NE(out.find("CRITICAL STARTUP FAILURE: phase websocket failed. Failed services: [redis]."), std::string::npos) << out;
  EXPECT_EQ(out.find("\x1b["), std::string::npos) << "no colour unless asked";
  std::string colored = render_text(failed_report(), TextStyle{true});
  EXPECT_NE(colored.find("\x1b["), std::string::npos);
}

// A runaway expansion capped at 1 MiB once printed 2 MB to the terminal.
TEST(RenderText, AValueOfAMegabyteIsCutAtACharacterAndSaysItsLength) {
  RunReport r = failed_report();
  // The line is "dns: " + the message: "é" (two bytes) straddles byte
  // 2000, where the cut falls.
  std::string huge = std::string(1994, 'y') + "é" + std::string(1 << 20, 'z');
  r.findings.push_back({"NAME", ".env:1", FailureKind::invalid_config, "NAME expands to " + huge, "", "p/c"});
  r.phases[1].checks[0].error->message = huge;
  std::string text = render_text(r, TextStyle{});
  EXPECT_LT(text.size(), 10'000u) << "the megabyte was printed";
  EXPECT_NE(text.find(fmt::format("dns: {}… ({} bytes in all; -o json has it whole)", std::string(1994, 'y'),
                                  huge.size() + 5)),
            std::string::npos)
      << "not cut before the character: " << text.substr(0, 3000);
  EXPECT_NE(text.find(fmt::format("… ({} bytes in all", huge.size() + 16)), std::string::npos) << "the finding's line";
  std::string json = render_json(r);
  EXPECT_NE(json.find(huge), std::string::npos) << "the JSON report keeps it whole";
}

TEST(RenderJson, KeysOfTheSchemaWithCodeStageAndWarnings) {
  auto doc = nlohmann::json::parse(render_json(failed_report()));
  EXPECT_EQ(doc["status"], "failed");
  EXPECT_EQ(doc["exit_code"], 3);
  EXPECT_EQ(doc["failed_checks"], nlohmann::json::array({"websocket/redis"}));
  const auto& pg = doc["phases"][0]["checks"][0];
  EXPECT_EQ(pg["warnings"], nlohmann::json::array({"PostgreSQL at db:5432 has 0 of 5 connections free"}));
  EXPECT_FALSE(pg.contains("error"));
  const auto& redis = doc["phases"][1]["checks"][0];
  EXPECT_FALSE(redis.contains("warnings")) << "absent, not empty";
  EXPECT_EQ(redis["error"]["kind"], "dns");
  EXPECT_EQ(redis["error"]["stage"], "resolve");
  EXPECT_EQ(redis["error"]["code"], "NXDOMAIN");
  EXPECT_EQ(redis["error"]["message"], "cannot resolve host name \"your-redis-instance-ip\" <&>");
}

TEST(RenderJunit, AFailureAWarningAsSystemOutAndEscapedText) {
  std::string xml = render_junit(failed_report());
  EXPECT_NE(xml.find("<testsuites name=\"preflight\" tests=\"2\" failures=\"1\""), std::string::npos) << xml;
  EXPECT_NE(xml.find("<failure type=\"dns\" message=\"cannot resolve host name &quot;your-redis-instance-ip&quot; &lt;&amp;&gt;\">"),
            std::string::npos)
      << xml;
  EXPECT_NE(xml.find("<testcase name=\"postgres\" classname=\"cache\""), std::string::npos) << xml;
  EXPECT_NE(xml.find("<system-out>warning: PostgreSQL at db:5432 has 0 of 5 connections free</system-out>"), std::string::npos) << xml;
  EXPECT_EQ(xml.find("<&>"), std::string::npos) << "nothing unescaped";
}

TEST(RenderJson, AReadyReportHasNoFailedChecks) {
  RunReport r;
  r.name = "ok";
  auto doc = nlohmann::json::parse(render_json(r));
  EXPECT_EQ(doc["status"], "ready");
  EXPECT_EQ(doc["failed_checks"], nlohmann::json::array());
}

}  // namespace
}  // namespace preflight
