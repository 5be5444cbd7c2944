#include "attempt_capacity.h"

#include <sys/resource.h>

#include <algorithm>

namespace preflight {

int attempt_capacity_for_open_file_limit() {
  constexpr rlim_t kReserved = 64;
  constexpr rlim_t kPerAttempt = 3;
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur == RLIM_INFINITY) return 4096;
  if (limit.rlim_cur <= kReserved + kPerAttempt) return 1;
  return static_cast<int>(std::min<rlim_t>((limit.rlim_cur - kReserved) / kPerAttempt, 4096));
}

}  // namespace preflight
