#include "report/dependency_order.h"

#include <algorithm>
#include <cctype>
#include <string>
#include <utility>

#include <fmt/format.h>

namespace preflight {
namespace {

// "components/dataSource", "redisHealthIndicator" → the words of the name,
// lower case: each run of letters and digits whole ("datasource"), and its
// camel-case parts ("data", "source"; "redis", "health", "indicator").
std::vector<std::string> words_of(std::string_view name) {
  std::vector<std::string> out;
  std::string run, part;
  auto flush = [&](std::string& word) {
    if (!word.empty()) out.push_back(std::exchange(word, {}));
  };
  for (size_t i = 0; i <= name.size(); ++i) {
    const auto c = i < name.size() ? static_cast<unsigned char>(name[i]) : '\0';
    if (!std::isalnum(c)) {
      if (part != run) flush(part);
      part.clear();
      flush(run);
      continue;
    }
    if (std::isupper(c) && i > 0 && std::islower(static_cast<unsigned char>(name[i - 1]))) flush(part);
    const char lower = static_cast<char>(std::tolower(c));
    run += lower;
    part += lower;
  }
  return out;
}

bool names_the_type(std::string_view component, const ProbeType& type) {
  const std::vector<std::string> words = words_of(component);
  return std::any_of(words.begin(), words.end(), [&](const std::string& w) {
    return std::find(type.health_names.begin(), type.health_names.end(), w) != type.health_names.end();
  });
}

// The first check after phase `after` whose type the component names.
struct Later {
  const PlannedPhase* phase = nullptr;
  const PlannedCheck* check = nullptr;
};

Later checked_later(const Plan& plan, size_t after, std::string_view component) {
  for (size_t p = after + 1; p < plan.phases.size(); ++p) {
    for (const PlannedCheck& c : plan.phases[p].checks) {
      if (c.probe_type && names_the_type(component, *c.probe_type)) return {&plan.phases[p], &c};
    }
  }
  return {};
}

}  // namespace

void note_dependencies_checked_later(std::vector<PhaseReport>& phases, const Plan& plan) {
  for (size_t p = 0; p < phases.size() && p < plan.phases.size(); ++p) {
    for (CheckReport& report : phases[p].checks) {
      if (!report.error) continue;
      for (const std::string& component : report.error->failing_components) {
        const Later later = checked_later(plan, p, component);
        if (!later.check) continue;
        report.error->hint += fmt::format(
            "{}It says {} is failing, and {} is checked in a later phase, \"{}\" (check \"{}\"): the service depends on "
            "it, so check it first: put phase \"{}\" before \"{}\", and a {} that is down is named as such instead of "
            "through the service",
            report.error->hint.empty() ? "" : ". ", component, later.check->type, later.phase->name, later.check->name,
            later.phase->name, plan.phases[p].name, later.check->type);
        break;  // one note: the first dependency is enough to reorder
      }
    }
  }
}

}  // namespace preflight
