// Runs a program to its end under a deadline: in a process group of its
// own, so that at the deadline (or on cancellation) the whole group is
// killed, whatever the program started; it is always reaped, so no zombie
// is left behind. Its stdout and stderr are read together, as written.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "base/deadline.h"

namespace preflight {

struct ChildSpec {
  std::vector<std::string> argv;  // argv[0] is looked up on the child's PATH when it holds no '/'
  std::vector<std::string> environment;  // "NAME=value": the child's whole environment
  size_t max_output = 64 * 1024;  // kept of what it writes; the rest is read and dropped
};

struct ChildOutcome {
  enum class End { exited, signalled, deadline, cancelled, not_started };
  End end = End::not_started;
  int code = 0;        // exit status, or the signal's number
  int error = 0;       // not_started: the errno of the lookup or the spawn
  std::string program; // the file run (argv[0] resolved), or what was looked for
  std::string output;  // at most max_output bytes, from the start
  bool output_cut = false;
};

ChildOutcome run_child(const ChildSpec& spec, Deadline deadline, const CancelToken& cancel);

// The value of NAME in an environment of "NAME=value" entries, or nullopt.
std::optional<std::string> environment_value(const std::vector<std::string>& environment, std::string_view name);

}  // namespace preflight
