// Starts the test process's children so that they die with it.
//
// A ctest timeout SIGKILLs the test binary; the servers it started must not
// outlive it holding ports. Each child asks for SIGKILL at its parent's
// death (PR_SET_PDEATHSIG) before exec. Linux sends that signal when the
// *thread* that forked the child exits, and tests start servers from
// short-lived std::threads, so every fork is made by one spawner thread that
// lives as long as the process; callers queue a request and wait for the
// PID. waitpid() and kill() work from any thread of the process.
//
// PR_SET_PDEATHSIG is cleared when a child changes its credentials (setuid,
// a set-user-ID binary): a server that would drop root itself is started
// through as_user (as_user.h) instead, which sets it again after the switch.
// It is not inherited by the child's own children: a script's children, or
// a server that forks its worker (not execs it), outlive a killed test.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

namespace preflight::testing {

struct ChildSpec {
  std::vector<std::string> argv;  // argv[0] is looked up in this process's PATH, as posix_spawnp does
  std::vector<std::string> env;   // "NAME=value": the child's whole environment
  std::string stdin_path = "/dev/null";
  std::string stdout_path = "/dev/null";  // created or truncated
  std::string stderr_path = "/dev/null";  // created or truncated
};

// The child's PID once it has exec'd; throws std::runtime_error when it
// could not (no such program, not executable...), with nothing left running.
pid_t spawn_child(const ChildSpec& spec);

}  // namespace preflight::testing
