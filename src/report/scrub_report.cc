// Every string of a report, scrubbed as plain text before any renderer
// escapes it for JSON or XML: a secret holding '"', '\\', '<' or a newline
// would otherwise reach the output in its escaped form, which no longer
// matches the secret.
#include "preflight/redact.h"
#include "preflight/render.h"

namespace preflight {
namespace {

void scrub(std::string& s, const Redactor& r) { s = r.scrub(s); }

void scrub(Failure& f, const Redactor& r) {
  scrub(f.message, r);
  scrub(f.hint, r);
}

}  // namespace

void scrub_report(RunReport& report, const Redactor& r) {
  if (r.empty()) return;
  scrub(report.name, r);
  scrub(report.failed_phase, r);
  for (auto& s : report.failed_checks) scrub(s, r);
  for (auto& s : report.warnings) scrub(s, r);
  for (auto& f : report.findings) {
    for (std::string* s : {&f.variable, &f.source, &f.message, &f.hint, &f.check}) scrub(*s, r);
  }
  for (auto& phase : report.phases) {
    scrub(phase.name, r);
    for (auto& c : phase.checks) {
      for (std::string* s : {&c.name, &c.type, &c.target, &c.understood}) scrub(*s, r);
      if (c.error) scrub(*c.error, r);
      for (auto& w : c.warnings) scrub(w, r);
      for (auto& [part, from] : c.sources) scrub(from, r);
    }
  }
}

}  // namespace preflight
