// Helpers for integration tests: run one check through plan + engine.
#pragma once

#include <string>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "config/config.h"
#include "report/diagnose.h"
#include "engine/engine.h"
#include "config/plan.h"

namespace preflight::testing {

// Slack allowed past a deadline: generous for a loaded 2-core CI machine;
// the benchmark measures the real figure.
inline constexpr double kDeadlineSlackMs = 150;

struct OneCheck {
  CheckReport report;
  double phase_ms = 0;
};

inline OneCheck run_one(const std::string& check_json, const std::string& timeout = "1.5s", bool once = false,
                        const VariableSet& vars = {}, const CancelToken& cancel = {}, const Platform& platform = {}) {
  auto config = parse_config(
      fmt::format(R"({{"phases":[{{"name":"p","timeout":"{}","checks":[{}]}}]}})", timeout, check_json), "test.json");
  EXPECT_TRUE(config.ok()) << config.error().message;
  Plan plan = build_plan(*config, vars);
  EngineOptions options;
  options.once = once;
  auto phases = run_phases(plan, options, cancel);
  OneCheck out{phases.at(0).checks.at(0), phases.at(0).elapsed_ms};
  diagnose(out.report, plan.phases[0].checks[0], platform);
  return out;
}

inline VariableSet vars_from(std::initializer_list<std::tuple<std::string, std::string, std::string>> name_value_source) {
  VariableSet v;
  for (const auto& [name, value, source] : name_value_source) {
    v.define(name, Variable{value, source, name_looks_secret(name), false, std::nullopt});
  }
  return v;
}

inline std::string describe(const CheckReport& r) {
  return r.error ? fmt::format("{} {}: {} | hint: {}", to_string(r.status), to_string(r.error->kind), r.error->message,
                               r.error->hint)
                 : std::string(to_string(r.status));
}

}  // namespace preflight::testing
