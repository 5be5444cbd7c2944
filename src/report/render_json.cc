#include <cmath>

#include <nlohmann/json.hpp>

#include "report/render.h"

namespace preflight {
namespace {

using ojson = nlohmann::ordered_json;

double tenth(double ms) { return std::round(ms * 10.0) / 10.0; }

ojson error_json(const Failure& f) {
  ojson error{{"kind", to_string(f.kind)}};
  if (f.stage != Stage::unknown) error["stage"] = to_string(f.stage);
  if (!f.code.empty()) error["code"] = f.code;
  error["message"] = f.message;
  error["hint"] = f.hint;
  return error;
}

}  // namespace

std::string render_json(const RunReport& report, bool one_line) {
  ojson findings = ojson::array();
  for (const auto& f : report.findings) {
    findings.push_back({{"variable", f.variable}, {"source", f.source}, {"kind", to_string(f.kind)},
                        {"message", f.message}, {"hint", f.hint}});
  }
  ojson phases = ojson::array();
  for (const auto& p : report.phases) {
    ojson checks = ojson::array();
    for (const auto& c : p.checks) {
      ojson check{{"name", c.name},          {"type", c.type},
                  {"required", c.required},  {"target", c.target},
                  {"status", to_string(c.status)}, {"elapsed_ms", tenth(c.elapsed_ms)},
                  {"attempts", c.attempts}};
      if (c.error) check["error"] = error_json(*c.error);
      if (!c.warnings.empty()) check["warnings"] = c.warnings;
      if (!c.understood.empty()) check["understood"] = c.understood;
      if (!c.sources.empty()) {
        auto& sources = check["sources"] = nlohmann::json::object();
        for (const auto& [part, from] : c.sources) sources[part] = from;
      }
      checks.push_back(std::move(check));
    }
    phases.push_back({{"name", p.name},
                      {"status", to_string(p.status)},
                      {"elapsed_ms", tenth(p.elapsed_ms)},
                      {"timeout_ms", p.timeout.count()},
                      {"checks", std::move(checks)}});
  }
  ojson doc{{"tool", "preflight"},
            {"version", PREFLIGHT_VERSION},
            {"status", to_string(report.status)},
            {"exit_code", report.exit_code},
            {"elapsed_ms", tenth(report.elapsed_ms)},
            {"failed_checks", report.failed_checks},
            {"findings", std::move(findings)},
            {"phases", std::move(phases)}};
  // Invalid UTF-8 from a server's reply is replaced, never a throw.
  return doc.dump(one_line ? -1 : 2, ' ', false, ojson::error_handler_t::replace) + "\n";
}

}  // namespace preflight
