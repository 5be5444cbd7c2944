// Runs the checks of one phase on a bounded set of threads: at most
// `PhaseRun::attempt_capacity` attempts in flight, the attempt that is due
// first goes first, and a check between attempts (or before its first)
// holds no thread. Memory grows with what is open, not with the number of
// checks: 10,000 checks with a thread each took 250 MiB.
#pragma once

#include <vector>

#include "base/deadline.h"
#include "config/plan.h"
#include "engine/check_progress.h"
#include "engine/engine.h"
#include "engine/report.h"

namespace preflight {

// One report per check of `phase`, in order. Check i draws its jitter from
// seed + i. Returns when every check is done: passed, failed for good, cut by
// the deadline or cancelled.
std::vector<CheckReport> run_phase_checks(const PlannedPhase& phase, const PhaseRun& run, unsigned seed,
                                          EngineObserver* observer, const CancelToken& cancel);

}  // namespace preflight
