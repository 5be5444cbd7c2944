#include "engine/report.h"

namespace preflight {

std::string_view to_string(CheckStatus s) {
  switch (s) {
    case CheckStatus::passed: return "passed";
    case CheckStatus::failed: return "failed";
    case CheckStatus::warned: return "warned";
    case CheckStatus::skipped: return "skipped";
  }
  return "unknown";
}

std::string_view to_string(PhaseStatus s) {
  switch (s) {
    case PhaseStatus::passed: return "passed";
    case PhaseStatus::failed: return "failed";
    case PhaseStatus::skipped: return "skipped";
  }
  return "unknown";
}

std::string_view to_string(RunStatus s) {
  switch (s) {
    case RunStatus::ready: return "ready";
    case RunStatus::failed: return "failed";
    case RunStatus::interrupted: return "interrupted";
  }
  return "unknown";
}

}  // namespace preflight
