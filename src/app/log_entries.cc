#include "app/log_entries.h"

#include <cmath>

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include "app/app.h"
#include "report/render.h"

namespace preflight {
namespace {

using json = nlohmann::json;

// Milliseconds to a tenth, as the JSON report writes them.
double tenth(double ms) { return std::round(ms * 10) / 10; }

constexpr std::string_view kErrorReportingType =
    "type.googleapis.com/google.devtools.clouderrorreporting.v1beta1.ReportedErrorEvent";

const PlannedCheck* planned(const Plan& plan, const std::string& phase, const std::string& check) {
  for (const auto& p : plan.phases) {
    if (p.name != phase) continue;
    for (const auto& c : p.checks) {
      if (c.name == check) return &c;
    }
  }
  return nullptr;
}

const CheckReport* reported(const RunReport& report, std::string_view phase_and_check) {
  for (const auto& p : report.phases) {
    for (const auto& c : p.checks) {
      if (fmt::format("{}/{}", p.name, c.name) == phase_and_check) return &c;
    }
  }
  return nullptr;
}

// The variables a check used, by name and source: where to look for the
// value to change. Never a value.
json variables_of(const PlannedCheck* check) {
  json out = json::array();
  if (!check) return out;
  for (const auto& u : check->uses) out.push_back({{"name", u.name}, {"source", u.source}});
  return out;
}

void log_finding(const Finding& f, const RunReport& report) {
  const CheckReport* check = reported(report, f.check);
  ScopedLogFields fields({{"check", f.check},
                          {"kind", to_string(f.kind)},
                          {"variable", f.variable},
                          {"source", f.source},
                          {"hint", f.hint}});
  spdlog::log(check && !check->required ? spdlog::level::warn : spdlog::level::err, "{}", f.message);
}

void log_check(const PhaseReport& phase, const CheckReport& c, const Plan& plan, bool warn_mode, bool shown_by_the_report) {
  if (!c.error) {
    if (shown_by_the_report) return;
    for (const auto& w : c.warnings) {
      ScopedLogFields fields({{"phase", phase.name}, {"check", c.name}, {"type", c.type}});
      spdlog::warn("{}", w);
    }
    return;
  }
  if (c.status != CheckStatus::failed && c.status != CheckStatus::warned) return;
  const Failure& e = *c.error;
  json fields{{"phase", phase.name},
              {"check", c.name},
              {"type", c.type},
              {"required", c.required},
              {"kind", to_string(e.kind)},
              {"hint", e.hint},
              {"variables", variables_of(planned(plan, phase.name, c.name))},
              {"attempts", c.attempts},
              {"elapsed_ms", tenth(c.elapsed_ms)},
              {"target", c.target}};
  if (e.stage != Stage::unknown) fields["stage"] = to_string(e.stage);
  if (!e.code.empty()) fields["code"] = e.code;
  if (e.cause != Cause::none) fields["cause"] = to_string(e.cause);
  ScopedLogFields scoped(std::move(fields));
  if (warn_mode && c.status == CheckStatus::failed) {
    spdlog::warn("WARN MODE: required check {}/{} FAILED ({}: {}) and the service starts anyway", phase.name, c.name,
                 to_string(e.kind), e.message);
    return;
  }
  const auto level = shown_by_the_report                ? spdlog::level::debug
                     : c.status == CheckStatus::failed ? spdlog::level::err
                                                       : spdlog::level::warn;
  spdlog::log(level, "{}/{} {}: {}: {}", phase.name,
              c.name, c.required ? "failed" : "failed (not required)", to_string(e.kind), e.message);
}

json phase_times(const RunReport& report) {
  json phases = json::array();
  for (const auto& p : report.phases) {
    phases.push_back({{"name", p.name}, {"status", to_string(p.status)}, {"elapsed_ms", tenth(p.elapsed_ms)}});
  }
  return phases;
}

void log_verdict(const RunReport& report, const std::map<std::string, std::string>& env) {
  switch (report.status) {
    case RunStatus::ready: {
      ScopedLogFields fields({{"status", "ready"}, {"elapsed_ms", tenth(report.elapsed_ms)}, {"phases", phase_times(report)}});
      std::string times;
      for (const auto& p : report.phases) {
        times += fmt::format("{}{} {:.3f}s", times.empty() ? "" : ", ", p.name, p.elapsed_ms / 1000.0);
      }
      spdlog::info("READY: every required check passed. Elapsed: {:.2f}s ({}).", report.elapsed_ms / 1000.0, times);
      return;
    }
    case RunStatus::failed: {
      auto value = [&](const char* name, const char* otherwise) {
        auto it = env.find(name);
        return it == env.end() || it->second.empty() ? std::string(otherwise) : it->second;
      };
      // Error Reporting groups and alerts on this entry with no setup:
      // the event type and the service it belongs to.
      json service{{"service", value("K_SERVICE", "preflight")}};
      if (auto version = value("K_REVISION", ""); !version.empty()) service["version"] = version;
      ScopedLogFields fields({{"@type", kErrorReportingType},
                              {"serviceContext", std::move(service)},
                              {"status", "failed"},
                              {"phase", report.failed_phase},
                              {"failed_checks", report.failed_checks},
                              {"elapsed_ms", tenth(report.elapsed_ms)},
                              {"exit_code", report.exit_code},
                              {"phases", phase_times(report)}});
      spdlog::critical("{}", critical_line(report));
      return;
    }
    case RunStatus::interrupted: {
      ScopedLogFields fields({{"status", "interrupted"}, {"elapsed_ms", tenth(report.elapsed_ms)}, {"exit_code", report.exit_code}});
      spdlog::error("INTERRUPTED: stopped by signal (exit {}) after {:.2f}s; the report is partial.", report.exit_code,
                    report.elapsed_ms / 1000.0);
      return;
    }
  }
}

}  // namespace

void log_check_entries(const RunReport& report, const Plan& plan, bool shown_by_the_report) {
  for (const auto& phase : report.phases) {
    for (const auto& c : phase.checks) log_check(phase, c, plan, report.warn_mode, shown_by_the_report);
  }
}

void log_report_entries(const RunReport& report, const Plan& plan, const std::map<std::string, std::string>& env) {
  for (const auto& f : report.findings) log_finding(f, report);
  log_check_entries(report, plan, /*shown_by_the_report=*/false);
  log_verdict(report, env);
}

}  // namespace preflight
