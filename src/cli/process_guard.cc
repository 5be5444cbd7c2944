#include "cli/process_guard.h"

#include <sys/prctl.h>

#include <cstring>
#include <string_view>

namespace preflight::cli {

rlimit protect_process() {
  rlimit saved{};
  getrlimit(RLIMIT_CORE, &saved);
  const rlimit none{0, saved.rlim_max};
  setrlimit(RLIMIT_CORE, &none);
  prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
  return saved;
}

void restore_core_limit(const rlimit& saved) { setrlimit(RLIMIT_CORE, &saved); }

namespace {

// "KEY=VALUE" with everything after the first '=' masked.
void mask_value(char* arg) {
  char* eq = std::strchr(arg, '=');
  if (eq == nullptr) return;
  for (char* c = eq + 1; *c != '\0'; ++c) *c = '*';
}

}  // namespace

void erase_set_values(int argc, char** argv) {
  constexpr std::string_view kOption = "--set";
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg(argv[i]);
    if (arg == "--") return;  // COMMAND's own arguments
    if (arg == kOption && i + 1 < argc) {
      mask_value(argv[++i]);
    } else if (arg.starts_with("--set=")) {
      mask_value(argv[i] + kOption.size() + 1);
    }
  }
}

}  // namespace preflight::cli
