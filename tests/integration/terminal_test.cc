// On a terminal: colour and a live line naming the phase and the checks
// being waited on; none of that when not a terminal or when NO_COLOR is set.
// `script` (util-linux) gives the binary a pseudo-terminal.
#include <cstdlib>

#include <gtest/gtest.h>

#include "binary_harness.h"
#include "fixture_server.h"

namespace preflight::testing {
namespace {

std::string shell_quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

// Everything the binary wrote to its terminal (stdout and stderr together).
ProcessResult run_on_terminal(const std::vector<std::string>& argv, std::map<std::string, std::string> env) {
  std::string command;
  for (const auto& a : argv) command += shell_quote(a) + " ";
  env.emplace("PATH", "/usr/bin:/bin");
  env.emplace("TERM", "xterm");
  // The TSan build runs these too; its suppressions must reach the binary.
  if (const char* tsan = std::getenv("TSAN_OPTIONS")) env.emplace("TSAN_OPTIONS", tsan);
  Process p({"/usr/bin/script", "-qfec", command, "/dev/null"}, env, /*clean_env=*/true);
  return p.wait(std::chrono::seconds(30));
}

class Terminal : public ::testing::Test {
 protected:
  TempDir dir;
  FixtureServer silent{Behaviour::silent};
  std::string config() {
    return dir.write("cfg.json", fmt::format(
        R"({{"phases":[{{"name":"cache","timeout":"800ms","checks":[{{"name":"redis","type":"redis","url":"redis://127.0.0.1:{}"}}]}}]}})",
        silent.port()));
  }
};

TEST_F(Terminal, ShowsALiveLineWithThePhaseTheCheckAndElapsedTime) {
  auto r = run_on_terminal(cmd({"-c", config()}), {});
  EXPECT_EQ(r.exit_code, 3) << r.out;
  EXPECT_NE(r.out.find("cache 0."), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("s of 0.8s · waiting for redis"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\x1b[31;1mFAIL"), std::string::npos) << "the report is coloured: " << r.out;
  // The line is erased just before the report, which therefore starts clean.
  auto report = r.out.find("\r\x1b[2Kpreflight " PREFLIGHT_VERSION);
  ASSERT_NE(report, std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("· waiting for", report), std::string::npos) << "no live line after the report: " << r.out;
}

TEST_F(Terminal, NoColourAndNoLiveLineWhenNoColorIsSet) {
  auto r = run_on_terminal(cmd({"-c", config()}), {{"NO_COLOR", "1"}});
  EXPECT_EQ(r.exit_code, 3) << r.out;
  EXPECT_EQ(r.out.find("· waiting for"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find('\x1b'), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("CRITICAL STARTUP FAILURE"), std::string::npos) << r.out;
}

TEST_F(Terminal, NoColourAndNoLiveLineWhenNotATerminal) {
  Process p(cmd({"-c", config()}), {{"PATH", "/usr/bin:/bin"}, {"TERM", "xterm"}}, /*clean_env=*/true);
  auto r = p.wait(std::chrono::seconds(30));
  EXPECT_EQ(r.exit_code, 3) << r.out << r.err;
  for (const std::string* stream : {&r.out, &r.err}) {
    EXPECT_EQ(stream->find("· waiting for"), std::string::npos) << *stream;
    EXPECT_EQ(stream->find('\x1b'), std::string::npos) << *stream;
  }
}

size_t count(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

// The incident's placeholder decides the run offline: a "nothing was
// probed" warning and the CRITICAL line, once each on one terminal, in
// both streams when they go to different places (Cloud Logging reads the
// log line).
TEST_F(Terminal, OnOneTerminalTheReportsWordsAreNotLoggedAgain) {
  auto cfg = dir.write("placeholder.json", R"({"phases":[{"name":"cache","checks":[{"name":"redis","type":"redis","url":"redis://your-redis-instance-ip:6379"}]}]})");
  auto r = run_on_terminal(cmd({"-c", cfg}), {{"NO_COLOR", "1"}});
  EXPECT_EQ(r.exit_code, 3) << r.out;
  EXPECT_EQ(count(r.out, "CRITICAL STARTUP FAILURE"), 1u) << r.out;
  EXPECT_EQ(count(r.out, "nothing was probed"), 1u) << r.out;

  auto piped = run_clean(cmd({"-c", cfg}));
  EXPECT_EQ(piped.exit_code, 3) << piped.out << piped.err;
  EXPECT_EQ(count(piped.out, "CRITICAL STARTUP FAILURE"), 1u) << piped.out;
  EXPECT_EQ(count(piped.err, "CRITICAL STARTUP FAILURE"), 1u) << piped.err;
  EXPECT_EQ(count(piped.err, "nothing was probed"), 1u) << piped.err;
}

}  // namespace
}  // namespace preflight::testing
