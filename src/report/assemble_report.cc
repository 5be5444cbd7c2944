#include <fmt/format.h>

#include "base/exit_codes.h"
#include "engine/report.h"

namespace preflight {

RunReport assemble_report(const Plan& plan, std::vector<PhaseReport> phases, std::vector<std::string> warnings,
                          double elapsed_ms, int signal_number) {
  RunReport run;
  run.name = plan.name;
  run.findings = plan.findings;
  run.warnings = std::move(warnings);
  run.elapsed_ms = elapsed_ms;
  run.phases = std::move(phases);
  for (const auto& phase : run.phases) {
    for (const auto& check : phase.checks) {
      if (check.status == CheckStatus::failed) run.failed_checks.push_back(fmt::format("{}/{}", phase.name, check.name));
    }
    if (phase.status == PhaseStatus::failed && run.failed_phase.empty()) run.failed_phase = phase.name;
  }
  if (signal_number != 0) {
    run.status = RunStatus::interrupted;
    run.exit_code = exit_code::signal_base + signal_number;
  } else if (!run.failed_checks.empty()) {
    run.status = RunStatus::failed;
    run.exit_code = exit_code::startup_failure;
  } else {
    run.status = RunStatus::ready;
    run.exit_code = exit_code::ok;
  }
  return run;
}

}  // namespace preflight
