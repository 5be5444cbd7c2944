// What keeps the run's secrets from other users of the machine while it
// holds them: no core file, not dumpable (no ptrace, /proc/PID/mem and
// environ readable by root only), and --set values erased from the command
// line /proc/PID/cmdline shows, as the mysql client does with -p.
#pragma once

#include <sys/resource.h>

namespace preflight::cli {

// Makes the process not dumpable and its core limit 0; returns the core
// limit it had, for the command it may exec.
rlimit protect_process();

// Gives the core limit back before exec (execve makes the new program
// dumpable again by itself).
void restore_core_limit(const rlimit& saved);

// Overwrites, in place, the VALUE of every `--set KEY=VALUE` and
// `--set=KEY=VALUE` before a `--` with '*'. REQUIRES: the command line was
// parsed (its values copied) already.
void erase_set_values(int argc, char** argv);

}  // namespace preflight::cli
