// Loading variables from every source, with the documented precedence
// (docs/reference.md, "Variables"):
// --set > process environment > secrets (files, dirs) > env files.
#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "base/deadline.h"
#include "base/problem.h"
#include "base/result.h"
#include "config/variables.h"

namespace preflight {

struct SourceOptions {
  std::vector<std::string> env_files;      // later files win
  std::vector<std::string> secrets_dirs;   // later dirs win
  std::vector<std::string> secrets_files;  // Secret Manager JSON; later files win
  std::vector<std::pair<std::string, std::string>> sets;  // --set, later wins
  std::map<std::string, std::string> process_env;
  // Checked between files: a signal during a long load stops it.
  CancelToken cancel;
};

// Every value gets its provenance. `NAME_FILE=/path` in any source defines
// NAME from that file at the same precedence. Secrets-directory entries
// define the file name and its upper-cased, '-'→'_' form; dot-entries and
// sub-directories are skipped; one trailing newline is stripped.
// An input that cannot be used at all is a Problem (exit 2) naming the file
// (and line) and what is wrong; a cancel, ProblemKind::interrupted.
Result<VariableSet, Problem> load_variables(const SourceOptions& options);

}  // namespace preflight
