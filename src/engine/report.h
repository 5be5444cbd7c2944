// What a run found, as plain values: the engine fills it, diagnosis adds
// hints, renderers print it.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/duration.h"
#include "base/failure.h"
#include "config/plan.h"

namespace preflight {

enum class CheckStatus { passed, failed, warned, skipped };
enum class PhaseStatus { passed, failed, skipped };
enum class RunStatus { ready, failed, interrupted };

std::string_view to_string(CheckStatus s);
std::string_view to_string(PhaseStatus s);
std::string_view to_string(RunStatus s);

struct CheckReport {
  std::string name;
  std::string type;
  bool required = true;
  std::string target;  // redacted
  CheckStatus status = CheckStatus::skipped;
  double elapsed_ms = 0;
  int attempts = 0;
  std::optional<Failure> error;
  // A passed check's warnings: the server is near its connection limit.
  std::vector<std::string> warnings;
  // Lint only: how the connection string was read (Target::describe).
  std::string understood;
  // Lint only: each part of it and where it came from (part_sources).
  std::vector<std::pair<std::string, std::string>> sources;
};

struct PhaseReport {
  std::string name;
  PhaseStatus status = PhaseStatus::skipped;
  double elapsed_ms = 0;
  Millis timeout{0};
  std::vector<CheckReport> checks;
};

struct RunReport {
  std::string name;
  RunStatus status = RunStatus::ready;
  int exit_code = 0;
  double elapsed_ms = 0;
  std::vector<std::string> failed_checks;  // "phase/check"
  std::vector<Finding> findings;
  std::vector<std::string> warnings;  // source conflicts and other non-fatal notes
  std::vector<PhaseReport> phases;
  std::string failed_phase;  // the first failed phase, for the CRITICAL line
  bool warn_mode = false;    // failed, but --mode warn lets it start: exit 0
};

// How many failed checks the CRITICAL lines name before "… and N more".
inline constexpr size_t kFailedNamesShown = 20;

// Assembles the run: statuses, failed checks, the exit code (0, 3, 128+N).
RunReport assemble_report(const Plan& plan, std::vector<PhaseReport> phases, std::vector<std::string> warnings,
                          double elapsed_ms, int signal_number);

}  // namespace preflight
