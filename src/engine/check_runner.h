// One check: attempts with backoff until it passes, a non-retryable failure,
// the phase deadline, or cancellation.
#pragma once

#include <functional>

#include "attempt_slots.h"
#include "engine/backoff.h"
#include "base/deadline.h"
#include "config/plan.h"
#include "engine/report.h"

namespace preflight {

struct CheckRunSettings {
  bool once = false;
  BackoffPolicy backoff;
  Millis phase_timeout{0};
  unsigned seed = 0;
  AttemptSlots* slots = nullptr;  // shared by the checks of a run; null: unbounded
  // Called after each failed attempt, from the check's thread.
  std::function<void(int attempt, const Failure& failure)> on_attempt_failed;
};

CheckReport run_check(const PlannedCheck& check, Clock::time_point phase_start, Deadline deadline,
                      const CheckRunSettings& settings, const CancelToken& cancel);

}  // namespace preflight
