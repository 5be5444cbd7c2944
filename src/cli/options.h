// argv → RunOptions with CLI11. No CLI11 type leaks past this file pair.
#pragma once

#include <optional>
#include <string>
#include <variant>

#include "app/app.h"
#include "base/problem.h"

namespace preflight::cli {

struct ParsedCommandLine {
  RunOptions run;
  int verbosity = 0;  // -1 quiet, 0 default, 1+ verbose
  std::optional<LogFormat> log_format;  // unset: json on Cloud Run, text elsewhere
};

// --help or --version: printed on stdout, exit 0.
struct CliText {
  std::string output;
};

// Parses argv. `check` is the default subcommand; everything after `--` is
// the command to exec on success.
// A usage error is a Problem of kind usage (exit 2), whose message never
// repeats an argument that may be a secret.
std::variant<ParsedCommandLine, CliText, Problem> parse_command_line(int argc, const char* const* argv);

}  // namespace preflight::cli
