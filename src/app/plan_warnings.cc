#include "preflight/plan_warnings.h"

#include <fmt/format.h>

#include "preflight/hosts.h"
#include "preflight/url.h"

namespace preflight {
namespace {

bool field_is_true(const PlannedCheck& check, const char* name) {
  auto it = check.fields.find(name);
  return it != check.fields.end() && it->is_boolean() && it->get<bool>();
}

std::string field_string(const PlannedCheck& check, const char* name) {
  auto it = check.fields.find(name);
  return it != check.fields.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// What plain text would carry, and the setting that encrypts it; empty when
// the check is encrypted or the type has no TLS to speak of.
std::optional<std::string> cleartext_advice(const PlannedCheck& check, const Url& url) {
  if (check.type == "redis" && url.scheme == "redis") {
    return "the Redis password and every reply; use rediss:// (Memorystore: enable in-transit encryption)";
  }
  if (check.type == "http" && url.scheme == "http") return "the request and its headers; use https://";
  if (check.type == "websocket" && url.scheme == "ws") return "the upgrade request; use wss://";
  if (check.type == "postgres") {
    std::string mode = field_string(check, "sslmode");
    if (mode.empty()) {
      auto at = url.query.find("sslmode=");
      if (at != std::string::npos) mode = url.query.substr(at + 8, url.query.find('&', at) - (at + 8));
    }
    if (mode == "disable" || mode == "allow") {
      return fmt::format("the PostgreSQL password and data (sslmode={}); use sslmode=verify-full", mode);
    }
  }
  return std::nullopt;
}

void check_warnings(const PlannedPhase& phase, const PlannedCheck& check, const Platform& platform,
                    std::vector<std::string>& out) {
  if (field_is_true(check, "insecure_skip_verify")) {
    out.push_back(fmt::format("{}/{}: TLS certificate verification is OFF (insecure_skip_verify): anyone on the "
                              "network path can impersonate {}",
                              phase.name, check.name, check.target));
  }
  if (check.blocked) return;  // its finding already says what is wrong with the URL
  auto url = parse_url(field_string(check, "url"));
  if (!url.ok()) return;
  if (auto advice = cleartext_advice(check, *url); advice && !is_internal_host(url->host)) {
    out.push_back(fmt::format("{}/{}: TLS is off to {}, which is not a private address{}: the network path sees {}",
                              phase.name, check.name, url->host, named_source(variable_holding(check, url->host)), *advice));
  }
  if (platform.cloud_run && is_loopback_host(url->host)) {
    out.push_back(fmt::format("{}/{}: targets {}{} while running on Cloud Run: inside the instance only a sidecar "
                              "container listens there; did a local .env reach the deploy?",
                              phase.name, check.name, url->host, named_source(variable_holding(check, url->host))));
  }
}

std::optional<std::string> budget_warning(const Plan& plan, const Platform& platform, const PhaseSelection& selection) {
  std::optional<Millis> budget = plan.budget ? plan.budget : platform.startup_allowance;
  if (!budget) return std::nullopt;
  Millis total{0};
  std::vector<std::string> terms;
  for (const auto& phase : plan.phases) {
    if (phase.checks.empty() || (!selection.only.empty() && !selection.only.contains(phase.name))) continue;
    auto it = selection.timeouts.find(phase.name);
    Millis t = it != selection.timeouts.end() ? it->second : phase.timeout;
    total += t;
    terms.push_back(fmt::format("{} {}", phase.name, format_seconds(t)));
  }
  if (total <= *budget) return std::nullopt;
  std::string whose = plan.budget ? "the config's \"budget\"" : "Cloud Run's default startup probe";
  return fmt::format("the phase timeouts add up to {} ({}), more than the startup budget of {} ({}): if the "
                     "dependencies are slow the platform kills the container before preflight can say why; lower "
                     "the timeouts or raise the startup probe's window",
                     format_seconds(total), fmt::join(terms, " + "), format_seconds(*budget), whose);
}

}  // namespace

std::vector<std::string> plan_warnings(const Plan& plan, const Platform& platform, const PhaseSelection& selection) {
  std::vector<std::string> out;
  for (const auto& phase : plan.phases) {
    for (const auto& check : phase.checks) check_warnings(phase, check, platform, out);
  }
  if (auto w = budget_warning(plan, platform, selection)) out.push_back(std::move(*w));
  return out;
}

}  // namespace preflight
