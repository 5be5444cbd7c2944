// On Cloud Run the logs are the report: through the binary, with K_SERVICE
// and K_REVISION set as Cloud Run sets them, every line preflight prints (on
// stdout or stderr, which Cloud Logging both reads) is one JSON entry with a
// severity; the failed check's entry carries what the text report shows;
// the verdict is one entry, and a failure's is an Error Reporting event.
#include <set>
#include <sstream>

#include <gtest/gtest.h>

#include "binary_harness.h"
#include "redis_server.h"
#include "refused_port.h"

namespace preflight::testing {
namespace {

const std::set<std::string> kSeverities = {"DEFAULT", "DEBUG", "INFO", "NOTICE", "WARNING", "ERROR", "CRITICAL", "ALERT", "EMERGENCY"};
const std::map<std::string, std::string> kCloudRun = {{"K_SERVICE", "api"}, {"K_REVISION", "api-00042-xyz"}};

// Every line of both streams, each parsed as one Cloud Logging entry.
std::vector<json> entries_of(const ProcessResult& r) {
  std::vector<json> entries;
  for (const std::string* stream : {&r.out, &r.err}) {
    std::istringstream lines(*stream);
    for (std::string line; std::getline(lines, line);) {
      json entry = json::parse(line, nullptr, false);
      if (!entry.is_object()) {
        ADD_FAILURE() << "not one JSON object: " << line;
        continue;
      }
      EXPECT_TRUE(kSeverities.contains(entry.value("severity", ""))) << line;
      EXPECT_TRUE(entry.contains("message") && entry.contains("time")) << line;
      entries.push_back(std::move(entry));
    }
  }
  return entries;
}

std::vector<json> with_severity(const std::vector<json>& entries, const std::string& severity) {
  std::vector<json> out;
  for (const auto& e : entries) {
    if (e["severity"] == severity) out.push_back(e);
  }
  return out;
}

std::string redis_check_config(const std::string& timeout = "300ms") {
  return fmt::format(R"({{"phases":[{{"name":"cache","timeout":"{}","checks":[{{"name":"redis","type":"redis",
      "url":"redis://:${{REDIS_PASSWORD}}@127.0.0.1:${{REDIS_PORT}}/0"}}]}}]}})", timeout);
}

TEST(LogEntries, OnCloudRunAFailureIsOneEntryPerFactWithTheHintAndOneErrorReportingEvent) {
  RefusedPort nothing;
  TempDir dir;
  const std::string env = dir.write(".env", fmt::format("REDIS_PORT={}\nREDIS_PASSWORD={}\n", nothing.port(), kCanary));
  auto r = run_clean(cmd({"-c", dir.write("c.json", redis_check_config()), "-e", env}), kCloudRun);
  EXPECT_EQ(r.exit_code, 3) << r.out << r.err;
  EXPECT_EQ(r.out, "") << "the text table would be a dozen entries without severity";
  const auto entries = entries_of(r);
  expect_no_canary("stdout", r.out);
  expect_no_canary("stderr", r.err);

  const auto errors = with_severity(entries, "ERROR");
  ASSERT_EQ(errors.size(), 1u) << r.err;
  const json& check = errors.front();
  EXPECT_EQ(check.value("phase", ""), "cache");
  EXPECT_EQ(check.value("check", ""), "redis");
  EXPECT_EQ(check.value("type", ""), "redis");
  EXPECT_EQ(check.value("kind", ""), "connection_refused");
  EXPECT_EQ(check.value("stage", ""), "connect");
  EXPECT_EQ(check.value("code", ""), "ECONNREFUSED");
  EXPECT_GE(check.value("attempts", 0), 1);
  EXPECT_TRUE(check["elapsed_ms"].is_number());
  EXPECT_EQ(check.value("target", ""), fmt::format("redis://:***@127.0.0.1:{}/0", nothing.port()));
  // The line that says what to do (on Cloud Run, a loopback port is a
  // sidecar's), and the variables with their file:line.
  EXPECT_NE(check.value("hint", "").find("only a sidecar container listens there"), std::string::npos) << check;
  EXPECT_NE(check["variables"].dump().find(fmt::format(R"({{"name":"REDIS_PORT","source":"{}:1"}})", env)), std::string::npos)
      << check;
  EXPECT_EQ(check["logging.googleapis.com/labels"],
            json({{"tool", "preflight"}, {"service", "api"}, {"revision", "api-00042-xyz"}, {"check", "cache/redis"}}));

  const auto critical = with_severity(entries, "CRITICAL");
  ASSERT_EQ(critical.size(), 1u) << "the verdict is said once:\n" << r.err;
  const json& verdict = critical.front();
  EXPECT_TRUE(verdict.value("message", "").starts_with(
      "CRITICAL STARTUP FAILURE: phase cache failed. Failed services: [redis]. State: failed. Elapsed: "))
      << verdict;
  EXPECT_EQ(verdict.value("@type", ""), "type.googleapis.com/google.devtools.clouderrorreporting.v1beta1.ReportedErrorEvent");
  EXPECT_EQ(verdict["serviceContext"], json({{"service", "api"}, {"version", "api-00042-xyz"}}));
  EXPECT_EQ(verdict["failed_checks"], json::array({"cache/redis"}));
  EXPECT_EQ(verdict.value("exit_code", 0), 3);
  EXPECT_EQ(entries.back(), verdict) << "the verdict is the last entry";
  for (const auto& e : entries) {
    if (e != verdict) {
      EXPECT_FALSE(e.contains("@type")) << "one Error Reporting event per failed start:\n" << e;
    }
  }
}

TEST(LogEntries, AReadyRunIsOneInfoEntryWithEachPhasesTime) {
  RedisServer redis({.password = kCanary});
  TempDir dir;
  const std::string env = dir.write(".env", fmt::format("REDIS_PORT={}\nREDIS_PASSWORD={}\n", redis.port(), kCanary));
  auto r = run_clean(cmd({"-c", dir.write("c.json", redis_check_config("5s")), "-e", env}), kCloudRun);
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_EQ(r.out, "");
  const auto entries = entries_of(r);
  expect_no_canary("stderr", r.err);
  EXPECT_TRUE(with_severity(entries, "CRITICAL").empty()) << r.err;
  const auto info = with_severity(entries, "INFO");
  ASSERT_EQ(info.size(), 1u) << r.err;
  EXPECT_TRUE(info.front().value("message", "").starts_with("READY: every required check passed. Elapsed: ")) << info.front();
  ASSERT_EQ(info.front()["phases"].size(), 1u) << info.front();
  EXPECT_EQ(info.front()["phases"][0].value("name", ""), "cache");
  EXPECT_EQ(info.front()["phases"][0].value("status", ""), "passed");
  EXPECT_GT(info.front()["phases"][0].value("elapsed_ms", 0.0), 0.0);
}

// A finding (found offline) is an entry with the variable, its source and
// the hint, as the report's findings are.
TEST(LogEntries, AFindingIsAnEntryWithItsVariableSourceAndHint) {
  TempDir dir;
  const std::string env = dir.write(".env", "REDIS_PORT=your-redis-port\nREDIS_PASSWORD=x\n");
  auto r = run_clean(cmd({"-c", dir.write("c.json", redis_check_config()), "-e", env}), kCloudRun);
  EXPECT_EQ(r.exit_code, 3) << r.out << r.err;
  json finding;
  for (const auto& e : entries_of(r)) {
    if (e.value("variable", "") == "REDIS_PORT") finding = e;
  }
  ASSERT_TRUE(finding.is_object()) << r.err;
  EXPECT_EQ(finding.value("severity", ""), "ERROR");
  EXPECT_EQ(finding.value("kind", ""), "placeholder");
  EXPECT_EQ(finding.value("source", ""), env + ":1");
  EXPECT_NE(finding.value("hint", "").find("set REDIS_PORT to the real value"), std::string::npos) << finding;
}

// Kubernetes (GKE) reads JSON lines the same way: --log-format json does
// it anywhere, and a JSON report asked for on stdout is one line, one entry.
TEST(LogEntries, WithLogFormatJsonAJsonReportIsOneLine) {
  RefusedPort nothing;
  TempDir dir;
  const std::string env = dir.write(".env", fmt::format("REDIS_PORT={}\nREDIS_PASSWORD=x\n", nothing.port()));
  auto r = run_clean(cmd({"-c", dir.write("c.json", redis_check_config()), "-e", env, "--log-format", "json", "-o", "json"}));
  EXPECT_EQ(r.exit_code, 3) << r.out << r.err;
  ASSERT_EQ(std::count(r.out.begin(), r.out.end(), '\n'), 1) << r.out;
  json report = json::parse(r.out);
  EXPECT_EQ(report.value("status", ""), "failed");
  const auto critical = with_severity(entries_of(ProcessResult{0, "", r.err, 0}), "CRITICAL");
  ASSERT_EQ(critical.size(), 1u) << r.err;
  EXPECT_EQ(critical.front()["serviceContext"], json({{"service", "preflight"}})) << "no K_SERVICE: the tool's name";
  EXPECT_FALSE(critical.front()["logging.googleapis.com/labels"].contains("service"));
}

}  // namespace
}  // namespace preflight::testing
