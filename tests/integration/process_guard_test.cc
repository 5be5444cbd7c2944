// The process keeps the run's secrets from other users of the machine: a
// --set value is not in /proc/PID/cmdline while the run holds it, a crash
// writes no core file, the report file is this user's only; and the
// command it execs gets its core limit back.
#include <sys/stat.h>

#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "binary_harness.h"
#include "fixture_server.h"

namespace preflight::testing {
namespace {

std::string proc_file(pid_t pid, const std::string& name) {
  std::ifstream in(fmt::format("/proc/{}/{}", pid, name), std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string tcp_config(int port, const std::string& timeout) {
  return fmt::format(R"({{"phases":[{{"name":"p","timeout":"{}","checks":[{{"name":"c","type":"redis",
      "url":"redis://127.0.0.1:{}/0","password":"${{REDIS_PASSWORD}}"}}]}}]}})", timeout, port);
}

TEST(ProcessGuard, SetValuesAreNotOnTheCommandLineAndNoCoreFileIsWrittenWhileTheRunHoldsThem) {
  // A server that accepts and never answers holds the run in its attempt.
  FixtureServer silent(Behaviour::silent);
  TempDir dir;
  const std::string config = dir.write("c.json", tcp_config(silent.port(), "3s"));
  Process run(cmd({"-c", config, "--set", std::string("REDIS_PASSWORD=") + kCanary, std::string("--set=OTHER=") + kCanary,
                   "--once"}),
              kCleanEnv, /*clean_env=*/true);
  ASSERT_TRUE(silent.await_connections(1, std::chrono::seconds(10))) << "the check never connected";
  const std::string cmdline = proc_file(run.pid(), "cmdline");
  EXPECT_NE(cmdline.find("--set"), std::string::npos) << "read the wrong process?";
  expect_no_canary("/proc/PID/cmdline", cmdline);
  EXPECT_NE(cmdline.find("REDIS_PASSWORD=*"), std::string::npos) << "the key stays, for ps";
  std::istringstream limits(proc_file(run.pid(), "limits"));
  std::string core;
  for (std::string line; std::getline(limits, line);) {
    if (line.starts_with("Max core file size")) core = line;
  }
  EXPECT_NE(core.find(" 0 "), std::string::npos) << core;
  // PR_SET_DUMPABLE 0: the kernel makes /proc/PID/{mem,environ,...} root's
  // and refuses ptrace; "Dumpable" is not in /proc, but the core pattern
  // is never consulted for a non-dumpable process.
  run.signal(SIGTERM);
  run.wait(std::chrono::seconds(10));
}

TEST(ProcessGuard, TheReportFileIsThisUsersOnlyEvenWhenItExistedBefore) {
  FixtureServer silent(Behaviour::silent);
  TempDir dir;
  const std::string report = dir.write("report.json", "old");
  ASSERT_EQ(chmod(report.c_str(), 0644), 0);
  auto r = run_clean(cmd({"-c", dir.write("c.json", tcp_config(silent.port(), "200ms")), "--set", "REDIS_PASSWORD=x",
                          "--report-file", report}));
  EXPECT_EQ(r.exit_code, 3) << r.err;
  struct stat st {};
  ASSERT_EQ(stat(report.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  EXPECT_NE(read_text_file(report).find("\"status\""), std::string::npos) << "and it is the report";
}

// The core limit was lowered for preflight's sake, not the service's.
TEST(ProcessGuard, TheCommandGetsItsCoreLimitBack) {
  FixtureServer redis_like(Behaviour::fake_redis);
  TempDir dir;
  const std::string config = dir.write("c.json", tcp_config(redis_like.port(), "5s"));
  auto r = run_clean({"/bin/sh", "-c", "ulimit -c 4096 && exec \"$0\" \"$@\"", binary_under_test(), "-c", config, "--set",
                      "REDIS_PASSWORD=x", "--", "/bin/sh", "-c", "ulimit -c"},
                     // The sanitizers set the core limit to 0 themselves unless told not to.
                     {{"ASAN_OPTIONS", "disable_coredump=0"}, {"TSAN_OPTIONS", "disable_coredump=0"}});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("4096"), std::string::npos) << r.out;
}

}  // namespace
}  // namespace preflight::testing
