// Runs a plan: phases in order, the checks of a phase concurrently, each
// check retried with backoff until it passes or the phase deadline comes.
#pragma once

#include <functional>
#include <map>
#include <set>
#include <string>

#include "engine/backoff.h"
#include "base/deadline.h"
#include "config/plan.h"
#include "engine/report.h"

namespace preflight {

// Watches a run as it happens (the terminal's live line). Calls come from
// the engine's thread (phases) and from the checks' threads (attempts and
// results), so an observer must be thread-safe.
class EngineObserver {
 public:
  virtual ~EngineObserver() = default;
  virtual void phase_started(const PlannedPhase& phase, Millis timeout) = 0;
  virtual void attempt_failed(size_t check, int attempt, const Failure& failure) = 0;
  virtual void check_finished(size_t check, const CheckReport& report) = 0;
  virtual void phase_finished(const PhaseReport& report) = 0;
};

struct EngineOptions {
  bool once = false;        // one attempt per check
  bool keep_going = false;  // run later phases after a failed one
  BackoffPolicy backoff;
  unsigned seed = std::random_device{}();
  EngineObserver* observer = nullptr;  // not owned; may be null
  // Attempts in flight at once, across the checks of a phase; 0: as many as
  // the open-file limit (ulimit -n) leaves room for.
  int max_attempts_in_flight = 0;
};

// The first selected phase holding a required check that failed before any
// connection (a placeholder, an unset variable): that phase cannot pass. Null
// when there is none, or with keep_going (which probes everything).
const PlannedPhase* phase_failed_offline(const Plan& plan, const EngineOptions& options);

// Returns one PhaseReport per planned phase, in order. Phases not selected,
// or after a failed phase (without keep_going), or after cancellation, are
// skipped. When phase_failed_offline() names a phase, the run is decided
// before it starts: nothing is probed, that phase's failures are reported
// and every other check is skipped. Returns within a few milliseconds of
// each phase deadline and promptly after `cancel` fires (checks then fail
// with kind interrupted).
// Thread safety: call from one thread; it starts and joins its own.
std::vector<PhaseReport> run_phases(const Plan& plan, const EngineOptions& options, const CancelToken& cancel);

}  // namespace preflight
