#include "base/problem.h"

#include "base/exit_codes.h"

namespace preflight {

int Problem::exit_code() const {
  switch (kind) {
    case ProblemKind::command_not_found: return exit_code::command_not_found;
    case ProblemKind::command_cannot_run: return exit_code::command_not_executable;
    case ProblemKind::usage:
    case ProblemKind::bad_input:
    case ProblemKind::interrupted: return exit_code::usage;
  }
  return exit_code::usage;
}

}  // namespace preflight
