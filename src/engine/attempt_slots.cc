#include "attempt_slots.h"

#include <sys/resource.h>

#include <algorithm>
#include <chrono>

namespace preflight {

int AttemptSlots::capacity_for_open_file_limit() {
  constexpr rlim_t kReserved = 64;
  constexpr rlim_t kPerAttempt = 3;
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur == RLIM_INFINITY) return 4096;
  if (limit.rlim_cur <= kReserved + kPerAttempt) return 1;
  return static_cast<int>(std::min<rlim_t>((limit.rlim_cur - kReserved) / kPerAttempt, 4096));
}

bool AttemptSlots::acquire(Deadline deadline, const CancelToken& cancel) {
  std::unique_lock lock(mutex_);
  // Cancellation is a flag, not a notification here: look at it every 20 ms.
  // The deadline is looked at before taking a slot too: slots freed by
  // attempts ending at the deadline must not start attempts doomed at once.
  for (;;) {
    if (cancel.cancelled() || deadline.expired()) return false;
    if (free_ > 0) break;
    auto wake = std::min(deadline.at(), Clock::now() + std::chrono::milliseconds(20));
    freed_.wait_until(lock, wake);
  }
  --free_;
  return true;
}

void AttemptSlots::release() {
  {
    std::lock_guard lock(mutex_);
    ++free_;
  }
  freed_.notify_one();
}

}  // namespace preflight
