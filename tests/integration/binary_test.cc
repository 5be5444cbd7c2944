// The preflight binary end to end: exit codes, report shapes, signals,
// exec handoff and secret canaries.
#include <signal.h>

#include <filesystem>
#include <regex>
#include <sstream>
#include <set>
#include <thread>

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "binary_harness.h"
#include "fixture_server.h"
#include "base/redact.h"
#include "redis_server.h"
#include "refused_port.h"

namespace preflight::testing {
namespace {

class Binary : public ::testing::Test {
 protected:
  TempDir dir;
  std::string secrets() const { return dir.path() + "/secrets"; }
  void SetUp() override { dir.write("secrets/redis-password", std::string(kCanary) + "\n"); }
};

TEST_F(Binary, HealthyRunExitsZeroWithTimings) {
  RedisServer redis({.password = kCanary});
  auto config = dir.write("ok.json", redis_config(redis.port()));
  auto r = run_clean(cmd({"-c", config, "-s", secrets()}));
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_TRUE(std::regex_search(r.out, std::regex(R"(cache\s+\d+\.\d{3}s\s+passed)"))) << r.out;
  EXPECT_NE(r.out.find("READY"), std::string::npos);
  expect_no_canary("stdout", r.out);
  expect_no_canary("stderr", r.err);
}

TEST_F(Binary, TheIncidentFailsOfflineWithTheVariableAndItsSource) {
  auto config = dir.write("cfg.json", redis_config(6379, "7.5s"));
  auto env = dir.write(".env.staging", "# staging\nREDIS_PORT=6379\nREDIS_HOST=your-redis-instance-ip\n");
  auto r = run_clean(cmd({"-c", config, "-e", env, "-s", secrets()}));
  EXPECT_EQ(r.exit_code, 3) << r.out << r.err;
  EXPECT_LT(r.elapsed_ms, 1000) << "the incident took 7.50 s; this must not wait at all";
  EXPECT_NE(r.out.find("REDIS_HOST=\"your-redis-instance-ip\" (" + env + ":3)"), std::string::npos) << r.out;
  std::regex critical(R"(^CRITICAL STARTUP FAILURE: phase cache failed\. Failed services: \[redis\]\. State: failed\. Elapsed: \d+\.\d\ds\.$)",
                      std::regex::multiline);
  EXPECT_TRUE(std::regex_search(r.out, critical)) << r.out;
  EXPECT_TRUE(std::regex_search(r.out, std::regex(R"(websocket\s+0\.000s\s+skipped)"))) << r.out;
}

TEST_F(Binary, JsonReportHasExactlyTheContractKeys) {
  RefusedPort nothing;
  auto config = dir.write("cfg.json", redis_config(nothing.port(), "300ms"));
  auto r = run_clean(cmd({"-c", config, "-s", secrets(), "-o", "json", "--keep-going"}));
  EXPECT_EQ(r.exit_code, 3) << r.err;
  json doc = json::parse(r.out);
  auto keys = [](const json& j) {
    std::set<std::string> k;
    for (const auto& [key, v] : j.items()) k.insert(key);
    return k;
  };
  EXPECT_EQ(keys(doc), (std::set<std::string>{"tool", "version", "status", "exit_code", "elapsed_ms", "failed_checks",
                                              "findings", "phases"}));
  EXPECT_EQ(doc["tool"], "preflight");
  EXPECT_EQ(doc["status"], "failed");
  EXPECT_EQ(doc["exit_code"], 3);
  EXPECT_EQ(doc["failed_checks"], json::array({"cache/redis", "websocket/redis"}));
  const json& phase = doc["phases"][0];
  EXPECT_EQ(keys(phase), (std::set<std::string>{"name", "status", "elapsed_ms", "timeout_ms", "checks"}));
  EXPECT_EQ(phase["timeout_ms"], 300);
  const json& check = phase["checks"][0];
  EXPECT_EQ(keys(check), (std::set<std::string>{"name", "type", "required", "target", "status", "elapsed_ms",
                                                "attempts", "error"}));
  EXPECT_EQ(check["error"]["kind"], "connection_refused");
  EXPECT_EQ(keys(check["error"]), (std::set<std::string>{"kind", "stage", "code", "message", "hint"}));
  EXPECT_EQ(check["error"]["stage"], "connect");
  EXPECT_EQ(check["error"]["code"], "ECONNREFUSED");
  EXPECT_EQ(doc["phases"][1]["checks"][0]["target"].get<std::string>().find(kCanary), std::string::npos);
  EXPECT_NE(doc["phases"][1]["checks"][0]["target"].get<std::string>().find(":***@"), std::string::npos);
}

TEST_F(Binary, FindingsInJsonNameVariableAndSource) {
  auto config = dir.write("cfg.json", redis_config(6379));
  auto env = dir.write("x.env", "REDIS_HOST=<redis-host>\n");
  auto r = run_clean(cmd({"-c", config, "-e", env, "-s", secrets(), "-o", "json"}));
  EXPECT_EQ(r.exit_code, 3);
  json doc = json::parse(r.out);
  ASSERT_EQ(doc["findings"].size(), 1u) << r.out;
  EXPECT_EQ(doc["findings"][0]["variable"], "REDIS_HOST");
  EXPECT_EQ(doc["findings"][0]["source"], env + ":1");
  EXPECT_EQ(doc["findings"][0]["kind"], "placeholder");
}

TEST_F(Binary, UnusableInputsExitTwoNamingWhatIsWrong) {
  struct Case {
    std::vector<std::string> args;
    std::string expect_in_stderr;
  };
  auto bad_json = dir.write("bad.json", "{ \"phases\": [ ");
  auto unknown_key = dir.write("unknown.json", R"({"phases":[{"name":"p","checks":[{"name":"c","type":"redis","url":"redis://h","tls":true}]}]})");
  auto bad_env = dir.write("bad.env", "A='unterminated\n");
  auto ok_config = dir.write("ok.json", redis_config(6379));
  std::vector<Case> cases = {
      {cmd({"-c", bad_json}), "bad.json: malformed JSON"},
      {cmd({"-c", unknown_key}), "/phases/0/checks/0/tls"},
      {cmd({"-c", dir.path() + "/missing.json"}), "missing.json"},
      {cmd({"-c", ok_config, "-e", bad_env}), "bad.env:1"},
      {cmd({"-c", ok_config, "-s", dir.path() + "/nope"}), "nope"},
      {cmd({"--no-such-option"}), "no-such-option"},
      {cmd({"-c", ok_config, "--phase", "nosuch"}), "--phase nosuch"},
      {cmd({"-c", ok_config, "--phase-timeout", "cache=forever"}), "forever"},
      {cmd({"-o", "yaml"}), "yaml"},
      {cmd({"--set", kCanary}), "--set expects KEY=VALUE"},
      {cmd({"--"}), "followed by a command"},
  };
  for (const auto& c : cases) {
    auto r = run_clean(c.args);
    EXPECT_EQ(r.exit_code, 2) << fmt::format("{}", fmt::join(c.args, " ")) << "\n" << r.err;
    EXPECT_NE(r.err.find(c.expect_in_stderr), std::string::npos) << r.err;
    EXPECT_TRUE(r.out.empty()) << "nothing was probed, so no report: " << r.out;
    expect_no_canary("stderr", r.err);
  }
}

TEST_F(Binary, SigtermStopsPromptlyWithAPartialReport) {
  FixtureServer silent(Behaviour::silent);
  auto config = dir.write("cfg.json", redis_config(silent.port(), "20s"));
  std::map<std::string, std::string> env = kCleanEnv;
  Process p(cmd({"-c", config, "-s", secrets()}), env, true);
  ASSERT_TRUE(silent.await_connections(1, std::chrono::seconds(10))) << "the check never reached the server";
  auto signalled = std::chrono::steady_clock::now();
  p.signal(SIGTERM);
  auto r = p.wait(std::chrono::seconds(5));
  double after_signal_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - signalled).count();
  EXPECT_EQ(r.exit_code, 143) << r.out << r.err;
  EXPECT_LT(after_signal_ms, 1000) << "must stop promptly, not at the 20 s deadline";
  EXPECT_NE(r.out.find("INTERRUPTED"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("interrupted"), std::string::npos) << "the check in flight says so: " << r.out;
}

TEST_F(Binary, SigintExits130) {
  FixtureServer silent(Behaviour::silent);
  auto config = dir.write("cfg.json", redis_config(silent.port(), "20s"));
  Process p(cmd({"-c", config, "-s", secrets(), "-o", "json"}), kCleanEnv, true);
  ASSERT_TRUE(silent.await_connections(1, std::chrono::seconds(10))) << "the check never reached the server";
  p.signal(SIGINT);
  auto r = p.wait(std::chrono::seconds(5));
  EXPECT_EQ(r.exit_code, 130) << r.err;
  json doc = json::parse(r.out);
  EXPECT_EQ(doc["status"], "interrupted");
  EXPECT_EQ(doc["exit_code"], 130);
}

TEST_F(Binary, ExecsTheCommandOnSuccessKeepingThePid) {
  RedisServer redis({.password = kCanary});
  auto config = dir.write("ok.json", redis_config(redis.port()));
  Process p(cmd({"-c", config, "-s", secrets(), "-q", "--", "/bin/sh", "-c", "echo pid=$$; exit 7"}), kCleanEnv, true);
  auto r = p.wait();
  EXPECT_EQ(r.exit_code, 7) << "the command's exit status passes through: " << r.err;
  EXPECT_NE(r.out.find(fmt::format("pid={}", p.pid())), std::string::npos) << r.out;
}

TEST_F(Binary, DoesNotRunTheCommandOnFailure) {
  RefusedPort nothing;
  auto config = dir.write("cfg.json", redis_config(nothing.port(), "200ms"));
  auto marker = dir.path() + "/ran";
  auto r = run_clean(cmd({"-c", config, "-s", secrets(), "--", "/bin/touch", marker}));
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_FALSE(std::filesystem::exists(marker));
}

TEST_F(Binary, MissingCommandIs127AndNotExecutableIs126) {
  RedisServer redis({.password = kCanary});
  auto config = dir.write("ok.json", redis_config(redis.port()));
  auto missing = run_clean(cmd({"-c", config, "-s", secrets(), "--", "/nonexistent/server"}));
  EXPECT_EQ(missing.exit_code, 127) << missing.err;
  auto not_exec = dir.write("not-exec.sh", "#!/bin/sh\n");
  auto denied = run_clean(cmd({"-c", config, "-s", secrets(), "--", not_exec}));
  EXPECT_EQ(denied.exit_code, 126) << denied.err;
}

TEST_F(Binary, LintIsOfflineAndCatchesThePlaceholder) {
  // Unroutable targets would hang a probe; lint must return at once.
  auto config = dir.write("cfg.json", redis_config(6379, "30s"));
  auto good = run_clean(cmd({"lint", "-c", config, "-s", secrets(), "--set", "REDIS_HOST=10.255.255.1"}));
  EXPECT_EQ(good.exit_code, 0) << good.out << good.err;
  EXPECT_LT(good.elapsed_ms, 1000);
  EXPECT_NE(good.out.find("redis://10.255.255.1:6379/0"), std::string::npos) << "lint prints the resolved checks";
  auto bad = run_clean(cmd({"lint", "-c", config, "-s", secrets(), "--set", "REDIS_HOST=your-redis-instance-ip"}));
  EXPECT_EQ(bad.exit_code, 3);
  EXPECT_NE(bad.out.find("placeholder"), std::string::npos);
}

TEST_F(Binary, ConflictingSourcesAreAWarningNamingBoth) {
  RedisServer redis({.password = kCanary});
  auto config = dir.write("ok.json", redis_config(redis.port()));
  auto env = dir.write(".env", std::string("REDIS_PASSWORD=") + "old-value-123\n");
  auto r = run_clean(cmd({"-c", config, "-s", secrets(), "-e", env}));
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.err.find(env + ":1"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find(secrets() + "/redis-password"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("old-value-123"), std::string::npos) << "a conflict names sources, never values";
}

TEST_F(Binary, InsecureSkipVerifyIsWarnedLoudly) {
  auto config = dir.write("cfg.json",
      R"({"phases":[{"name":"p","checks":[{"name":"r","type":"redis","url":"rediss://10.0.0.3:6379","insecure_skip_verify":true}]}]})");
  auto r = run_clean(cmd({"lint", "-c", config}));
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.err.find("verification is OFF"), std::string::npos) << r.err;
  EXPECT_NE(r.out.find("verification is OFF"), std::string::npos) << r.out;
}

TEST_F(Binary, UnwritableReportFileIsAnErrorNamingIt) {
  RedisServer redis({.password = kCanary});
  auto config = dir.write("ok.json", redis_config(redis.port()));
  auto r = run_clean(cmd({"-c", config, "-s", secrets(), "--report-file", "/nonexistent-dir/report.json"}));
  EXPECT_EQ(r.exit_code, 2) << "a pipeline that relies on the report must not pass without it";
  EXPECT_NE(r.err.find("/nonexistent-dir/report.json: No such file or directory"), std::string::npos) << r.err;
}

TEST_F(Binary, NonRequiredFailureIsAWarning) {
  RefusedPort nothing;
  auto config = dir.write("cfg.json", fmt::format(
      R"({{"phases":[{{"name":"p","timeout":"200ms","checks":[{{"name":"optional","type":"tcp","url":"tcp://127.0.0.1:{}","required":false}}]}}]}})",
      nothing.port()));
  auto r = run_clean(cmd({"-c", config, "-o", "json"}));
  EXPECT_EQ(r.exit_code, 0) << r.out;
  EXPECT_EQ(json::parse(r.out)["phases"][0]["checks"][0]["status"], "warned");
}

TEST_F(Binary, SecretNeverLeaksOnAnyPathOrFormat) {
  RedisServer redis({.password = "the-real-password"});  // the canary is wrong: an auth failure
  auto config = dir.write("cfg.json", redis_config(redis.port()));
  auto report = dir.path() + "/report";
  std::vector<std::vector<std::string>> runs = {
      cmd({"-c", config, "-s", secrets(), "-vv"}),
      cmd({"-c", config, "-s", secrets(), "-vv", "-o", "json", "--log-format", "json", "--report-file", report + ".json"}),
      cmd({"-c", config, "-s", secrets(), "-o", "junit", "--report-file", report + ".xml", "--report-format", "junit"}),
      cmd({"lint", "-c", config, "-s", secrets(), "-vv"}),
      cmd({"-c", config, "--set", std::string("REDIS_PASSWORD=") + kCanary, "-vv"}),
      cmd({"-c", config, "--set", std::string("REDIS_PASSWORD=") + kCanary + "x", "-vv", "--keep-going"}),
  };
  for (const auto& argv : runs) {
    auto r = run_clean(argv, {{"K_SERVICE", "svc"}});
    EXPECT_EQ(r.exit_code, argv[1] == "lint" ? 0 : 3) << r.out << r.err;
    expect_no_canary("stdout", r.out);
    expect_no_canary("stderr", r.err);
  }
  expect_no_canary("json report", read_text_file(report + ".json"));
  expect_no_canary("junit report", read_text_file(report + ".xml"));
  EXPECT_NE(read_text_file(report + ".json").find("WRONGPASS"), std::string::npos) << "the failure itself is reported";
}

TEST_F(Binary, CloudRunLogsAreJsonLinesWithSeverityAndFields) {
  RefusedPort nothing;
  auto config = dir.write("cfg.json", redis_config(nothing.port(), "200ms"));
  auto r = run_clean(cmd({"-c", config, "-s", secrets()}), {{"K_SERVICE", "netra-backend"}});
  EXPECT_EQ(r.exit_code, 3);
  std::vector<json> entries;
  std::istringstream lines(r.err);
  for (std::string line; std::getline(lines, line);) {
    json j = json::parse(line);  // throws, failing the test, if not JSON
    EXPECT_TRUE(j.contains("severity") && j.contains("message") && j.contains("time")) << line;
    entries.push_back(std::move(j));
  }
  auto find = [&](const std::string& severity) -> json {
    for (const auto& e : entries) {
      if (e["severity"] == severity) return e;
    }
    ADD_FAILURE() << "no " << severity << " entry in:\n" << r.err;
    return json::object();
  };
  json check = find("ERROR");
  EXPECT_EQ(check.value("phase", ""), "cache") << check;
  EXPECT_EQ(check.value("check", ""), "redis") << check;
  EXPECT_EQ(check.value("kind", ""), "connection_refused") << check;
  EXPECT_TRUE(check.contains("elapsed_ms") && check["elapsed_ms"].is_number()) << check;
  EXPECT_GT(check.value("attempts", 0), 1) << check;
  json critical = find("CRITICAL");
  EXPECT_TRUE(critical.value("message", "").starts_with("CRITICAL STARTUP FAILURE")) << critical;
  EXPECT_EQ(critical.value("phase", ""), "cache") << critical;
  EXPECT_EQ(critical["failed_checks"], json::array({"cache/redis"})) << critical;
  EXPECT_EQ(critical.value("exit_code", 0), 3) << critical;
  EXPECT_EQ(entries.back()["severity"], "CRITICAL") << "the failure is the last entry";
}

TEST_F(Binary, VersionAndHelp) {
  auto v = run_clean(cmd({"--version"}));
  EXPECT_EQ(v.exit_code, 0);
  EXPECT_TRUE(v.out.starts_with("preflight ")) << v.out;
  auto h = run_clean(cmd({"--help"}));
  EXPECT_EQ(h.exit_code, 0);
  EXPECT_NE(h.out.find("--phase-timeout"), std::string::npos);
}

}  // namespace
}  // namespace preflight::testing
