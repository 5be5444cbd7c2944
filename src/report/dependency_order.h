// A service checked before what it depends on: when a failed check's health
// answer names a failing component ("db", "redis") that a check of a later
// phase probes, its hint says to order the phases the other way. Otherwise
// the run stops at the service, and the dependency that is really down is
// never checked (the deterministic startup's own order, read backwards).
#pragma once

#include <vector>

#include "config/plan.h"
#include "engine/report.h"

namespace preflight {

// Adds the note to the hint of each such check. `phases` and `plan.phases`
// are in the same order.
void note_dependencies_checked_later(std::vector<PhaseReport>& phases, const Plan& plan);

}  // namespace preflight
