// What stops a run outside the checks: the command line, the config file,
// a variable source or dotenv file, the command after `--`. One type for
// all of them (a check's own failure is a Failure, failure.h), as LevelDB's
// Status: its kind decides the exit code, and where it is stays a field of
// its own beside the sentence.
#pragma once

#include <cstdint>
#include <string>

namespace preflight {

enum class ProblemKind : uint8_t {
  usage,               // the command line or PREFLIGHT_MODE: exit 2
  bad_input,           // a config, env or secrets file that cannot be used: exit 2
  interrupted,         // a signal stopped the loading: exit 128 + the signal
  command_not_found,   // the command after `--`: exit 127
  command_cannot_run,  // found, but this machine cannot run it: exit 126
};

struct Problem {
  ProblemKind kind = ProblemKind::bad_input;
  // The sentence shown: where and what is wrong, never a value that may be
  // secret.
  std::string message;
  // Where, for machines and log fields: "cfg.json: /phases/0", ".env:4",
  // "/usr/bin/app"; "" when nowhere in particular.
  std::string origin = {};
  std::string hint = {};  // what to do about it; "" when the message says it

  // 2, 126 or 127; interrupted is decided by the signal, not here (2).
  int exit_code() const;
};

}  // namespace preflight
