// A phase with more checks than the open-file limit has room for: attempts
// wait for a connection slot instead of failing socket(), which libcurl
// used to report as "connection refused" from a server that never refused.
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>

#include "binary_under_test.h"
#include "binary_harness.h"
#include "fixture_server.h"

namespace preflight::testing {
namespace {

std::string silent_checks_config(int port, int checks) {
  json phase = {{"name", "many"}, {"timeout", "1s"}, {"checks", json::array()}};
  for (int i = 0; i < checks; ++i) {
    phase["checks"].push_back({{"name", fmt::format("c{}", i)}, {"type", "redis"},
                               {"url", fmt::format("redis://127.0.0.1:{}", port)}});
  }
  return json{{"phases", {phase}}}.dump();
}

// One phase of `checks` HTTP checks of a server that answers 200 at once.
std::string health_checks_config(int port, int checks) {
  json phase = {{"name", "many"}, {"timeout", "20s"}, {"checks", json::array()}};
  for (int i = 0; i < checks; ++i) {
    phase["checks"].push_back({{"name", fmt::format("h{}", i)}, {"type", "http"},
                               {"url", fmt::format("http://127.0.0.1:{}/health?i={}", port, i)}});
  }
  return json{{"phases", {phase}}}.dump();
}

TEST(OpenFileLimit, ChecksBeyondTheLimitWaitForASlotAndSaySo) {
  FixtureServer silent(Behaviour::silent);
  TempDir dir;
  std::string config = dir.write("many.json", silent_checks_config(silent.port(), 100));
  // 160 descriptors: 64 kept for the process, 3 per attempt → 32 slots.
  auto r = run_clean({"prlimit", "--nofile=160:160", "--", binary_under_test(), "-o", "json", "-c", config},
                     {}, std::chrono::seconds(20));
  ASSERT_EQ(r.exit_code, 3) << r.err;
  json doc = json::parse(r.out);
  int attempted = 0, never_started = 0;
  for (const auto& check : doc["phases"][0]["checks"]) {
    EXPECT_EQ(check["error"]["kind"], "timeout") << check.dump();
    std::string message = check["error"]["message"];
    EXPECT_EQ(message.find("refused"), std::string::npos) << message;
    if (check["attempts"] == 0) {
      ++never_started;
      EXPECT_NE(message.find("all 32 connection slots stayed busy"), std::string::npos) << message;
      EXPECT_NE(std::string(check["error"]["hint"]).find("ulimit -n"), std::string::npos);
    } else {
      ++attempted;
    }
  }
  EXPECT_EQ(attempted, 32) << "one silent attempt holds its slot until the deadline";
  EXPECT_EQ(never_started, 68);
  EXPECT_EQ(silent.connections(), 32);
  EXPECT_NE(r.err.find("c19, … and 80 more]"), std::string::npos) << "the CRITICAL line names 20 of 100: " << r.err;
}

TEST(OpenFileLimit, SlotsAreReusedSoManyQuickChecksAllPass) {
  FixtureServer health(Behaviour::http, {.http = [](int, const std::string&) { return http_response(200, "ok"); }});
  TempDir dir;
  std::string config = dir.write("quick.json", health_checks_config(health.port(), 200));
  auto r = run_clean({"prlimit", "--nofile=160:160", "--", binary_under_test(), "-o", "json", "-c", config},
                     {}, std::chrono::seconds(30));
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_EQ(health.connections(), 200);
}

// A container's pids limit (pids.max, or RLIMIT_NPROC as here) that
// refuses threads: a refused std::thread ended the run in std::terminate.
// Now the phase runs on the threads it got and says so.
TEST(ThreadLimit, AThreadRefusedByAProcessLimitLeavesThePhaseToTheOthers) {
  if (geteuid() != 0) GTEST_SKIP() << "needs root, to run the binary as a user of its own under RLIMIT_NPROC";
  FixtureServer health(Behaviour::http, {.http = [](int, const std::string&) { return http_response(200, "ok"); }});
  TempDir dir;
  std::string config = dir.write("threads.json", health_checks_config(health.port(), 60));
  // The binary under test may sit where only root can reach it (CI unpacks
  // the tarballs into a mktemp -d): a copy beside the config, for daemon.
  const std::string binary = dir.path() + "/preflight";
  std::filesystem::copy_file(binary_under_test(), binary);
  chmod(dir.path().c_str(), 0755);
  chmod(config.c_str(), 0644);
  chmod(binary.c_str(), 0755);
  // The user "daemon" runs nothing else here; 6 tasks: the process, the
  // sanitizers' own thread, and a few of the 59 helpers it asks for.
  auto r = run_clean({"/usr/bin/setpriv", "--reuid=daemon", "--regid=daemon", "--clear-groups", "--", "prlimit",
                      "--nproc=6:6", "--", binary, "-o", "json", "-c", config},
                     {{"ASAN_OPTIONS", "detect_leaks=0"}}, std::chrono::seconds(60));
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.err.find("no more threads"), std::string::npos) << r.err;
  EXPECT_EQ(health.connections(), 60);
}

}  // namespace
}  // namespace preflight::testing
