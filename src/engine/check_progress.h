// One check between its attempts: what it has seen, and when it may try
// again. A check waiting for its turn costs this object, not a thread.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "base/deadline.h"
#include "config/plan.h"
#include "engine/backoff.h"
#include "engine/report.h"
#include "probes/dns/dns_lookup.h"

namespace preflight {

// What every check of a running phase shares.
struct PhaseRun {
  Clock::time_point start;
  Deadline deadline;
  Millis timeout{0};
  bool once = false;
  BackoffPolicy backoff;
  int attempt_capacity = 1;  // attempts in flight at once, at most
};

class CheckProgress {
 public:
  CheckProgress(const PlannedCheck& check, unsigned seed);

  // Runs one attempt, then decides whether the check is done or when it
  // tries again. Returns the attempt's failure, or null if it passed.
  const Failure* attempt(const PhaseRun& phase, const CancelToken& cancel);
  // Ends a check waiting for an attempt: the deadline came, or the run was
  // cancelled. `threads`: the attempts that were in flight at once, for
  // "never started".
  void stop_waiting(const PhaseRun& phase, const CancelToken& cancel, size_t threads);

  bool done() const { return done_; }
  Clock::time_point next_attempt_at() const { return next_attempt_at_; }
  int attempts() const { return attempts_; }

  // The check's report, once done (or blocked before any attempt).
  CheckReport report(const PhaseRun& phase) &&;

 private:
  void end(const PhaseRun& phase);

  const PlannedCheck* check_;
  JitterRandom jitter_;
  int attempts_ = 0;
  bool done_ = false;
  bool passed_ = false;
  bool deadline_cut_ = false;  // the last attempt merely ran into the deadline
  double elapsed_ms_ = 0;
  Clock::time_point next_attempt_at_{};
  std::vector<std::string> warnings_;
  Failure last_;
  std::optional<Failure> previous_;  // the attempt before `last_`
  std::optional<std::optional<dns::LookupAnswer>> lookup_answer_;  // asked yet, and what it said
};

}  // namespace preflight
