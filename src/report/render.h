// Report renderers. The report is scrubbed before it is rendered (the
// renderers escape), and their output once more before it is written.
#pragma once

#include <functional>
#include <string>

#include "engine/report.h"

namespace preflight {

class Redactor;

// Masks every secret in every string of the report, before rendering.
void scrub_report(RunReport& report, const Redactor& redactor);
// Calls `visit` on every string of the report, whatever its field: a member
// added to any of the report's structs does not compile until the walk
// names it.
void for_each_string(RunReport& report, const std::function<void(std::string&)>& visit);

struct TextStyle {
  bool color = false;
};

// Phase lines (name, seconds with three decimals, outcome), indented check
// lines with target, attempts, kind, message and hint; on failure the
// final "CRITICAL STARTUP FAILURE: ..." line existing alerts match.
std::string render_text(const RunReport& report, const TextStyle& style);
// One JSON object with exactly the keys of docs/report.schema.json;
// indented, or on one line (a log entry of its own where every line is one).
std::string render_json(const RunReport& report, bool one_line = false);
// <testsuites>, a <testsuite> per phase, a <testcase> per check.
std::string render_junit(const RunReport& report);

// The failed run's last line, which log-based alerts match: "CRITICAL
// STARTUP FAILURE: phase P failed. Failed services: [a, b]. State: failed.
// Elapsed: 7.50s." (no newline). REQUIRES: report.status is failed.
std::string critical_line(const RunReport& report);

}  // namespace preflight
