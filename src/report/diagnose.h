// Diagnosis: turns a failure into a hint that names the likely root cause,
// using where the values came from and where this runs.
#pragma once

#include "config/plan.h"
#include "config/platform.h"
#include "engine/report.h"

namespace preflight {

// Fills in report.error->hint when it is empty. Never puts a secret value in
// the hint: variables are named with their source, not their value.
// `timeout_origin` says where the phase's timeout was set, for the hints
// that suggest raising it (PlannedPhase::timeout_origin, after
// apply_phase_selection).
void diagnose(CheckReport& report, const PlannedCheck& check, const Platform& platform,
              std::string_view timeout_origin = {});

}  // namespace preflight
