// Exit codes (docs/reference.md, "Exit codes"). Only main chooses one.
#pragma once

namespace preflight::exit_code {

inline constexpr int ok = 0;
inline constexpr int internal_error = 1;
inline constexpr int usage = 2;            // bad arguments or unusable config: nothing was probed
inline constexpr int startup_failure = 3;  // a required check failed
inline constexpr int command_not_executable = 126;
inline constexpr int command_not_found = 127;
inline constexpr int signal_base = 128;    // 128 + signal number

}  // namespace preflight::exit_code
