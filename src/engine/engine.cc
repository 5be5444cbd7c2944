#include "engine/engine.h"

#include <spdlog/spdlog.h>

#include "attempt_capacity.h"
#include "check_progress.h"
#include "phase_scheduler.h"

namespace preflight {
namespace {

PhaseReport skipped_phase(const PlannedPhase& phase, Millis timeout) {
  PhaseReport report{phase.name, PhaseStatus::skipped, 0, timeout, {}};
  for (const auto& c : phase.checks) {
    report.checks.push_back({c.name, c.type, c.required, c.shown, CheckStatus::skipped, 0, 0, std::nullopt});
  }
  return report;
}

PhaseReport run_phase(const PlannedPhase& phase, const EngineOptions& options, const CancelToken& cancel,
                      unsigned seed, int attempt_capacity) {
  PhaseReport report{phase.name, PhaseStatus::passed, 0, phase.timeout, {}};
  const auto start = Clock::now();
  const PhaseRun run{.start = start,
                     .deadline = Deadline(start + phase.timeout),
                     .timeout = phase.timeout,
                     .once = options.once,
                     .backoff = options.backoff,
                     .attempt_capacity = attempt_capacity};
  spdlog::debug("phase {}: {} check(s), timeout {}", phase.name, phase.checks.size(), format_seconds(phase.timeout));
  EngineObserver* observer = options.observer;
  if (observer) observer->phase_started(phase, phase.timeout);
  report.checks = run_phase_checks(phase, run, seed, observer, cancel);
  report.elapsed_ms = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
  for (const auto& c : report.checks) {
    if (c.status == CheckStatus::failed) report.status = PhaseStatus::failed;
  }
  if (observer) observer->phase_finished(report);
  return report;
}

// Only the checks that failed before any connection are reported failed;
// the rest were never probed.
PhaseReport failed_offline(const PlannedPhase& phase, Millis timeout) {
  PhaseReport report = skipped_phase(phase, timeout);
  report.status = PhaseStatus::failed;
  const PhaseRun now{.start = Clock::now(), .deadline = Deadline(Clock::now()), .timeout = timeout};
  for (size_t i = 0; i < phase.checks.size(); ++i) {
    if (phase.checks[i].blocked) report.checks[i] = CheckProgress(phase.checks[i], 0).report(now);
  }
  return report;
}

}  // namespace

const PlannedPhase* phase_failed_offline(const Plan& plan, const EngineOptions& options) {
  if (options.keep_going) return nullptr;
  for (const auto& phase : plan.phases) {
    if (!phase.selected) continue;
    for (const auto& check : phase.checks) {
      if (check.required && check.blocked) return &phase;
    }
  }
  return nullptr;
}

std::vector<PhaseReport> run_phases(const Plan& plan, const EngineOptions& options, const CancelToken& cancel) {
  std::vector<PhaseReport> reports;
  const int attempt_capacity = options.max_attempts_in_flight > 0 ? options.max_attempts_in_flight
                                                                  : attempt_capacity_for_open_file_limit();
  bool stop = false;
  unsigned seed = options.seed;
  if (const PlannedPhase* decided = phase_failed_offline(plan, options)) {
    for (const auto& phase : plan.phases) {
      reports.push_back(&phase == decided ? failed_offline(phase, phase.timeout) : skipped_phase(phase, phase.timeout));
    }
    return reports;
  }
  for (const auto& phase : plan.phases) {
    // A phase with nothing configured (the default profile's) is skipped.
    if (stop || !phase.selected || cancel.cancelled() || phase.checks.empty()) {
      reports.push_back(skipped_phase(phase, phase.timeout));
      continue;
    }
    reports.push_back(run_phase(phase, options, cancel, seed, attempt_capacity));
    seed += static_cast<unsigned>(phase.checks.size());
    if (cancel.cancelled() || (reports.back().status == PhaseStatus::failed && !options.keep_going)) stop = true;
  }
  return reports;
}

}  // namespace preflight
