// The command check through the binary: exit codes and output decide; a
// program past the deadline is killed with everything it started; what it
// prints is scrubbed, the run's variables are in its environment, and a
// malformed check is exit 2.
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <thread>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "binary_harness.h"

namespace preflight::testing {
namespace {

std::string command_config(TempDir& dir, const std::string& check_fields, const std::string& timeout = "5s") {
  return one_check_config(dir, "cmd", "command", check_fields, timeout);
}

// True while a process of that pid exists and is not a zombie.
bool running(pid_t pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  if (!std::getline(stat, line)) return false;
  auto close = line.rfind(')');
  return close != std::string::npos && close + 2 < line.size() && line[close + 2] != 'Z';
}

std::vector<pid_t> pids_in(const std::string& path) {
  std::ifstream in(path);
  std::vector<pid_t> out;
  for (pid_t p; in >> p;) out.push_back(p);
  return out;
}

TEST(CommandType, ExitCodesAndOutputDecide) {
  TempDir dir;
  struct Row {
    std::string fields;
    int exit_code;
    std::string said;  // in the report
  };
  const std::vector<Row> rows = {
      {R"("command":["/bin/true"])", 0, "ok   cmd"},
      {R"("command":["sh","-c","echo starting up; exit 1"],"retry":{"attempts":1})", 3,
       R"(`sh -c 'echo starting up; exit 1'` exited with 1 (expected 0); its output: "starting up")"},
      {R"("command":["sh","-c","exit 2"],"expect":{"exit":[0,2]})", 0, "ok   cmd"},
      {R"("command":["sh","-c","exit 3"],"expect":{"exit":[0,2]},"retry":{"attempts":1})", 3,
       "exited with 3 (expected one of 0, 2); it printed nothing"},
      {R"("command":["echo","cluster status: green"],"expect":{"output_contains":"green"})", 0, "ok   cmd"},
      {R"("command":["echo","cluster status: red"],"expect":{"output_contains":"green"},"retry":{"attempts":1})", 3,
       R"(exited with 0 but its output does not contain "green"; its output: "cluster status: red")"},
      {R"("shell":true,"command":["echo out; echo err >&2; exit 4"],"retry":{"attempts":1})", 3,
       R"(`sh -c 'echo out; echo err >&2; exit 4'` exited with 4 (expected 0); its output: "out err")"},
      {R"("command":["sh","-c","kill -TERM $$$$"],"retry":{"attempts":1})", 3, "was killed by signal 15 (SIGTERM)"},
  };
  for (const Row& row : rows) {
    auto r = run_clean(cmd({"-c", command_config(dir, row.fields)}));
    EXPECT_EQ(r.exit_code, row.exit_code) << row.fields << "\n" << r.out << r.err;
    EXPECT_NE(r.out.find(row.said), std::string::npos) << row.fields << "\n" << r.out;
  }
}

// A program not found is the config's fault: one attempt, not retried
// until the deadline.
TEST(CommandType, AProgramNotFoundIsNamedWithThePathItWasLookedUpOn) {
  TempDir dir;
  const auto start = std::chrono::steady_clock::now();
  auto r = run_clean(cmd({"-c", command_config(dir, R"("command":["no-such-program-7f3a","--ping"])", "10s"), "-o", "json"}));
  EXPECT_EQ(r.exit_code, 3) << r.out << r.err;
  auto report = nlohmann::json::parse(r.out, nullptr, false);
  ASSERT_FALSE(report.is_discarded()) << r.out;
  const auto& check = report["phases"][0]["checks"][0];
  EXPECT_EQ(check["error"]["kind"], "invalid_config") << check.dump();
  EXPECT_EQ(check["attempts"], 1) << check.dump();
  EXPECT_NE(check["error"]["message"].get<std::string>().find("no-such-program-7f3a is not found on PATH (/usr/bin:/bin)"),
            std::string::npos)
      << check.dump();
  EXPECT_EQ(check["target"], "no-such-program-7f3a --ping") << check.dump();
  // Bug guarded: retried until the 10 s deadline.
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(8));
}

// Bug guarded: only the direct child killed, its own children left running
// (or preflight waiting for them until they end, 30 s).
TEST(CommandType, AtTheDeadlineTheWholeProcessGroupIsKilled) {
  TempDir dir;
  const std::string pids = dir.path() + "/pids";
  const auto start = std::chrono::steady_clock::now();
  auto r = run_clean(cmd({"-c", command_config(dir, fmt::format(R"("command":["sh","-c","sleep 30 & echo $! >> {0}; echo $$$$ >> {0}; echo waiting; wait"])", pids), "1s")}));
  const auto took = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(r.exit_code, 3) << r.out << r.err;
  EXPECT_NE(r.out.find("was still running at the deadline; its process group was killed; its output: \"waiting\""),
            std::string::npos)
      << r.out;
  EXPECT_LT(took, std::chrono::seconds(10)) << "preflight waited for what the command started";
  const std::vector<pid_t> started = pids_in(pids);
  ASSERT_GE(started.size(), 2u) << "the command did not start its children";
  for (pid_t p : started) {
    // Reparented after preflight exits, a survivor would still be running.
    for (int i = 0; i < 50 && running(p); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(20));
    EXPECT_FALSE(running(p)) << "pid " << p << " outlived the check";
  }
}

TEST(CommandType, SigtermStopsTheCommandAndWhatItStarted) {
  TempDir dir;
  const std::string pids = dir.path() + "/pids";
  const std::string config =
      command_config(dir, fmt::format(R"("command":["sh","-c","sleep 30 & echo $! >> {0}; echo $$$$ >> {0}; wait"])", pids), "60s");
  std::map<std::string, std::string> env(kCleanEnv.begin(), kCleanEnv.end());
  Process p(cmd({"-c", config}), env, /*clean_env=*/true);
  for (int i = 0; i < 500 && pids_in(pids).size() < 2; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  ASSERT_EQ(pids_in(pids).size(), 2u) << "the command never started";
  p.signal(SIGTERM);
  auto r = p.wait(std::chrono::seconds(10));
  EXPECT_EQ(r.exit_code, 128 + SIGTERM) << r.out << r.err;
  for (pid_t child : pids_in(pids)) {
    for (int i = 0; i < 50 && running(child); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(20));
    EXPECT_FALSE(running(child)) << "pid " << child << " outlived preflight";
  }
}

// The run's variables reach the program, and every secret among them is
// masked wherever it prints them: one the check names, one it does not
// (from a secrets directory), and one in its arguments.
TEST(CommandType, TheRunsVariablesReachItAndItsSecretsNeverShow) {
  TempDir dir;
  dir.write("app.env", "FROM_ENV_FILE=hello\n");
  dir.write("secrets/API_TOKEN", std::string(kCanary) + "-token");
  const std::string passes = command_config(dir, R"("shell":true,"command":["test \"$FROM_ENV_FILE\" = hello && test -n \"$API_TOKEN\""])");
  auto ok = run_clean(cmd({"-c", passes, "-e", dir.path() + "/app.env", "-s", dir.path() + "/secrets"}));
  EXPECT_EQ(ok.exit_code, 0) << ok.out << ok.err;

  const std::string leaks = command_config(
      dir, R"("command":["sh","-c","echo token=$API_TOKEN password=$1; exit 1","sh","${DB_PASSWORD}"],"retry":{"attempts":1})");
  for (const std::string format : {"text", "json", "junit"}) {
    auto r = run_clean(cmd({"-c", leaks, "-s", dir.path() + "/secrets", "--set", std::string("DB_PASSWORD=") + kCanary + "-pw",
                            "-o", format, "-v"}));
    EXPECT_EQ(r.exit_code, 3) << r.out << r.err;
    expect_no_canary(format + " stdout", r.out);
    expect_no_canary(format + " stderr", r.err);
    if (format == "text") {
      EXPECT_NE(r.out.find("token=*** password=***"), std::string::npos) << r.out;
    }
  }
}

// Credentials written in the arguments themselves, at the places
// programs take them: a URL's password, --password VALUE, --token=VALUE,
// PASSWORD=VALUE. Bug guarded: the command line shown as written.
TEST(CommandType, CredentialsInItsArgumentsAreMaskedInTheCommandLineAndItsOutput) {
  TempDir dir;
  const std::string config = command_config(
      dir, fmt::format(R"("command":["sh","-c","echo $$1 $$3 $$4 $$5; exit 1","sh","mongodb://app:{0}-url@db:27017/x",)"
                       R"("--password","{0}-flag","--token={0}-eq","DB_PASSWORD={0}-env"],"retry":{{"attempts":1}})",
                       kCanary));
  for (const std::string format : {"text", "json"}) {
    auto r = run_clean(cmd({"-c", config, "-o", format}));
    EXPECT_EQ(r.exit_code, 3) << r.out << r.err;
    expect_no_canary(format + " stdout", r.out);
    expect_no_canary(format + " stderr", r.err);
    if (format == "text") {
      EXPECT_NE(r.out.find("mongodb://app:***@db:27017/x --password *** --token=*** DB_PASSWORD=***"), std::string::npos)
          << r.out;
    }
  }
}

TEST(CommandType, AMalformedCheckIsExitTwoNamingWhereItIsWritten) {
  TempDir dir;
  const std::vector<std::pair<std::string, std::string>> rows = {
      {R"("url":"tcp://localhost:1","command":["true"])", "/phases/0/checks/0/url: a command check connects to nothing and has no url"},
      {R"("shell":false)", "command: expected a non-empty array of strings"},
      {R"("command":[])", "command: expected a non-empty array of strings"},
      {R"("command":"true")", "/phases/0/checks/0/command: expected an array, got string"},
      {R"("command":["true",3])", "command/1: expected a string"},
      {R"("shell":true,"command":["echo","hi"])", "with \"shell\": true, the command is one string"},
      {R"("command":["true"],"expect":{"exit":[256]})", "expect/exit: 256 is not an exit code (0 to 255)"},
      {R"("command":["true"],"expect":{"status":200})", "expect/status: unknown key (allowed: exit, output_contains)"},
  };
  for (const auto& [fields, said] : rows) expect_lint_refuses(command_config(dir, fields), said, fields);
}

}  // namespace
}  // namespace preflight::testing
