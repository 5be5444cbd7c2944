// The command line, as parse_command_line reads it (CLI11 behind it).
#include "cli/options.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <initializer_list>
#include <string>
#include <vector>

namespace preflight::cli {
namespace {

std::variant<ParsedCommandLine, CliText, Problem> parse(std::initializer_list<const char*> args) {
  std::vector<const char*> argv = {"preflight"};
  argv.insert(argv.end(), args.begin(), args.end());
  return parse_command_line(static_cast<int>(argv.size()), argv.data());
}

const RunOptions& run_of(const std::variant<ParsedCommandLine, CliText, Problem>& r) {
  EXPECT_TRUE(std::holds_alternative<ParsedCommandLine>(r));
  return std::get<ParsedCommandLine>(r).run;
}

TEST(CommandLine, CheckIsTheDefaultAndEverythingAfterTheDashesIsTheCommand) {
  auto r = parse({"-c", "/etc/preflight.json", "--once", "--", "gunicorn", "app:app", "--workers", "2"});
  const RunOptions& run = run_of(r);
  EXPECT_EQ(run.mode, Mode::check);
  EXPECT_EQ(run.config_path, "/etc/preflight.json");
  EXPECT_TRUE(run.once);
  EXPECT_EQ(run.command, (std::vector<std::string>{"gunicorn", "app:app", "--workers", "2"}));
}

TEST(CommandLine, RepeatedOptionsKeepTheirOrderAndPhaseTimeoutsAreDurations) {
  auto r = parse({"lint", "-e", "a.env", "-e", "b.env", "--set", "A=1", "--set", "B=x=y", "--phase-timeout", "cache=250ms",
                  "--phase-timeout", "database=2m"});
  const RunOptions& run = run_of(r);
  EXPECT_EQ(run.mode, Mode::lint);
  EXPECT_EQ(run.env_files, (std::vector<std::string>{"a.env", "b.env"}));
  ASSERT_EQ(run.sets.size(), 2u);
  EXPECT_EQ(run.sets[1], (std::pair<std::string, std::string>{"B", "x=y"})) << "only the first '=' splits";
  EXPECT_EQ(run.phase_timeouts.at("cache"), Millis(250));
  EXPECT_EQ(run.phase_timeouts.at("database"), Millis(120000));
}

TEST(CommandLine, BadInputIsExitTwoAndNeverEchoesWhatMayBeASecret) {
  for (auto args : {std::initializer_list<const char*>{"--set", "hunter2-secret"},
                    std::initializer_list<const char*>{"DB_PASSWORD=hunter2-secret"},
                    std::initializer_list<const char*>{"--password", "hunter2-secret"}}) {
    auto r = parse(args);
    ASSERT_TRUE(std::holds_alternative<Problem>(r));
    const Problem& problem = std::get<Problem>(r);
    EXPECT_EQ(problem.exit_code(), 2);
    EXPECT_EQ(problem.message.find("hunter2-secret"), std::string::npos) << problem.message;
  }
  auto bad_duration = parse({"--phase-timeout", "cache=soon"});
  ASSERT_TRUE(std::holds_alternative<Problem>(bad_duration));
  EXPECT_NE(std::get<Problem>(bad_duration).message.find("\"soon\" is not a duration"), std::string::npos);
  auto lint_with_command = parse({"lint", "--", "gunicorn"});
  ASSERT_TRUE(std::holds_alternative<Problem>(lint_with_command));
  EXPECT_NE(std::get<Problem>(lint_with_command).message.find("only goes with check"), std::string::npos);
}

TEST(CommandLine, HelpAndVersionExitZeroWithTheirText) {
  auto help = parse({"--help"});
  ASSERT_TRUE(std::holds_alternative<CliText>(help));
  EXPECT_NE(std::get<CliText>(help).output.find("--phase-timeout"), std::string::npos);
  auto version = parse({"--version"});
  ASSERT_TRUE(std::holds_alternative<CliText>(version));
  EXPECT_TRUE(std::get<CliText>(version).output.starts_with("preflight " PREFLIGHT_VERSION " (git "))
      << std::get<CliText>(version).output;
  EXPECT_EQ(std::count(std::get<CliText>(version).output.begin(), std::get<CliText>(version).output.end(), '\n'), 1)
      << "one line without -v";
}

TEST(CommandLine, OutputFormatsAndVerbosity) {
  auto r = parse({"-o", "junit", "--report-file", "r.json", "-vv"});
  const auto& parsed = std::get<ParsedCommandLine>(r);
  EXPECT_EQ(parsed.run.output, OutputFormat::junit);
  EXPECT_EQ(parsed.run.report_format, OutputFormat::json);
  EXPECT_EQ(parsed.verbosity, 2);
  auto bad = parse({"-o", "yaml"});
  ASSERT_TRUE(std::holds_alternative<Problem>(bad));
  EXPECT_EQ(std::get<Problem>(bad).exit_code(), 2);
}

}  // namespace
}  // namespace preflight::cli
