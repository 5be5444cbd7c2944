// A bound on the attempts in flight at once, so that a phase of many checks
// never runs out of file descriptors: an attempt holds up to three (its
// socket and libcurl's wake-up pair). Without it, 1,000 checks against a
// slow server under `ulimit -n 1024` failed socket() half-way, and libcurl
// reported that as "connection refused".
#pragma once

namespace preflight {

// As many as the soft RLIMIT_NOFILE leaves room for, keeping some for the
// process itself (stdio, logs, the report file, the cancel fd); at least 1.
int attempt_capacity_for_open_file_limit();

}  // namespace preflight
