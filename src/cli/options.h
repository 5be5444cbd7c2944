// argv → RunOptions with CLI11. No CLI11 type leaks past this file pair.
#pragma once

#include <optional>
#include <string>
#include <variant>

#include "app/app.h"

namespace preflight::cli {

struct ParsedCommandLine {
  RunOptions run;
  int verbosity = 0;  // -1 quiet, 0 default, 1+ verbose
  std::optional<LogFormat> log_format;  // unset: json on Cloud Run, text elsewhere
};

struct CliExit {
  int code;            // 0 for --help/--version, 2 for errors
  std::string output;  // what to print (stdout for 0, stderr for 2)
};

// Parses argv. `check` is the default subcommand; everything after `--` is
// the command to exec on success.
std::variant<ParsedCommandLine, CliExit> parse_command_line(int argc, const char* const* argv);

}  // namespace preflight::cli
