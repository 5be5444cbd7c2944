#include "app/plan_warnings.h"

#include <algorithm>
#include <filesystem>

#include <fmt/format.h>

#include "net/certificate_dates.h"
#include "config/dockerignore.h"
#include "config/environment_trust.h"
#include "config/read_file.h"
#include "base/hosts.h"
#include "base/text.h"
#include "base/well_known_passwords.h"
#include "probes/probe.h"

namespace preflight {
namespace {

bool field_is_true(const PlannedCheck& check, const char* name) {
  auto it = check.fields.find(name);
  return it != check.fields.end() && it->is_boolean() && it->get<bool>();
}

// A part with white space at an end reaches the server as it is (libpq,
// and redis-py for a password given apart from its URL, send it whole): a
// secret made with `echo VALUE | gcloud secrets create` keeps echo's
// newline and is then rejected although it looks right everywhere.
void white_space_warnings(const PlannedPhase& phase, const PlannedCheck& check, std::vector<std::string>& out) {
  for (const auto& [part, value] : check.target->parts()) {
    auto edge = edge_white_space(value);
    if (!edge) continue;
    out.push_back(fmt::format("{}/{}: the {}{} {}: it is sent as part of the {}, and the server will not match it; "
                              "a value made with `echo VALUE | ...` keeps echo's newline: make it with "
                              "`printf '%s' VALUE | ...` instead",
                              phase.name, check.name, part, named_source(variable_holding(check, value)), *edge, part));
  }
}

// A password anyone tries first. It is also why the redactor leaves it
// as it is: a mask standing for "redis" in "redis://" would say it.
void well_known_password_warnings(const PlannedPhase& phase, const PlannedCheck& check, std::vector<std::string>& out) {
  for (const auto& [part, value] : check.target->parts()) {
    if (!part.ends_with("password") || !is_well_known_password(value)) continue;
    out.push_back(fmt::format("{}/{}: the {}{} is a well-known default password, the first one anyone tries (and "
                              "preflight cannot mask it without telling it): set a generated one, e.g. "
                              "`openssl rand -base64 24`",
                              phase.name, check.name, part, named_source(variable_holding(check, value))));
  }
}

// A CA file whose certificates expire within this many days is a warning:
// every TLS check against the server fails on the day, all at once.
constexpr long kCaExpiryWarningDays = 30;

// Only when the file will hold no valid certificate: a bundle keeps expired
// roots, and a CA file during a rotation holds the old CA with the new one.
void ca_expiry_warnings(const PlannedPhase& phase, const PlannedCheck& check, std::vector<std::string>& out) {
  const std::string& file = check.target->tls.ca_file;
  if (file.empty()) return;
  const auto certs = net::read_certificate_dates(file, kCaExpiryWarningDays);
  auto last = std::max_element(certs.begin(), certs.end(), [](const auto& a, const auto& b) { return a.days_left < b.days_left; });
  if (last == certs.end() || last->days_left >= kCaExpiryWarningDays) return;
  const ProbeType* type = check.probe_type;
  const std::string managed = type && !type->managed_ca.empty() ? fmt::format(" ({}: get the new one)", type->managed_ca) : "";
  const std::string which = certs.size() == 1 ? fmt::format("the CA certificate {}", last->subject)
                                              : fmt::format("every CA certificate (the last to go: {})", last->subject);
  out.push_back(last->days_left < 0
                    ? fmt::format("{}/{}: {} in {} expired {} day(s) ago: TLS verification against it fails{}", phase.name,
                                  check.name, which, file, -last->days_left, managed)
                    : fmt::format("{}/{}: {} in {} expires in {} day(s): on that day every TLS check against it fails; "
                                  "replace it before{}",
                                  phase.name, check.name, which, file, last->days_left, managed));
}

// A CA taken from a variable that the protocol's most used client ignores
// (environment_trust.h): the check passes where that client would not.
void environment_ca_warnings(const PlannedPhase& phase, const PlannedCheck& check, std::vector<std::string>& out) {
  const ProbeType* type = check.probe_type;
  if (!type || type->environment_ca_caveat.empty()) return;
  std::vector<std::string> named;
  for (const auto& [part, path] : check.target->parts()) {
    if (part != "CA" && part != "added CA") continue;
    const PartOrigin from = origin_of(check, path);
    for (const auto& [variable, source] : from.variables) {
      if (std::find(kGenericCaVariables.begin(), kGenericCaVariables.end(), variable) != kGenericCaVariables.end()) {
        named.push_back(from.describe());
        break;
      }
    }
  }
  if (named.empty()) return;
  out.push_back(fmt::format("{}/{}: the server's certificate is checked against the CAs named by {}; {}", phase.name, check.name,
                            fmt::join(named, " and "), type->environment_ca_caveat));
}

void check_warnings(const PlannedPhase& phase, const PlannedCheck& check, const Platform& platform,
                    std::vector<std::string>& out) {
  if (field_is_true(check, "insecure_skip_verify")) {
    out.push_back(fmt::format("{}/{}: TLS certificate verification is OFF (insecure_skip_verify): anyone on the "
                              "network path can impersonate {}",
                              phase.name, check.name, check.shown));
  }
  if (check.blocked) return;  // its finding already says what is wrong with the URL
  if (!check.target) return;
  white_space_warnings(phase, check, out);
  well_known_password_warnings(phase, check, out);
  ca_expiry_warnings(phase, check, out);
  environment_ca_warnings(phase, check, out);
  const ProbeType* type = check.probe_type;
  if (type && type->lint_notes) {
    for (const auto& note : type->lint_notes(*check.target, platform.cloud_run)) {
      out.push_back(fmt::format("{}/{}: {}", phase.name, check.name, note));
    }
  }
  auto advice = type && type->cleartext_advice ? type->cleartext_advice(*check.target) : std::nullopt;
  for (const Endpoint& e : check.target->endpoints) {
    if (e.is_socket()) continue;
    if (advice && !is_internal_host(e.host)) {
      out.push_back(fmt::format("{}/{}: TLS is off to {}, which is not a private address{}: the network path sees {}",
                                phase.name, check.name, e.host, named_source(variable_holding(check, e.host)), *advice));
    }
    if (platform.cloud_run && is_loopback_host(e.host)) {
      out.push_back(fmt::format("{}/{}: targets {}{} while running on Cloud Run: inside the instance only a sidecar "
                                "container listens there; did a local .env reach the deploy?",
                                phase.name, check.name, e.host, named_source(variable_holding(check, e.host))));
    }
  }
}

std::optional<std::string> budget_warning(const Plan& plan, const Platform& platform) {
  std::optional<Millis> budget = plan.budget ? plan.budget : platform.startup_allowance;
  if (!budget) return std::nullopt;
  Millis total{0};
  std::vector<std::string> terms;
  for (const auto& phase : plan.phases) {
    if (phase.checks.empty() || !phase.selected) continue;
    const Millis t = phase.timeout;
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

std::vector<std::string> plan_warnings(const Plan& plan, const Platform& platform) {
  std::vector<std::string> out;
  for (const auto& phase : plan.phases) {
    for (const auto& check : phase.checks) check_warnings(phase, check, platform, out);
  }
  if (auto w = budget_warning(plan, platform)) out.push_back(std::move(*w));
  return out;
}

std::vector<std::string> variable_warnings(const VariableSet& vars, const Platform& platform) {
  std::vector<std::string> out;
  if (!platform.cloud_run) return out;
  if (const Variable* port = vars.find("PORT"); port && port->source != "env") {
    out.push_back(fmt::format("PORT is set by {}: Cloud Run sets PORT for the container and rejects a revision that sets "
                              "it; a value from an env file makes the server listen where Cloud Run does not look. Remove "
                              "it and read the PORT Cloud Run gives",
                              port->source));
  }
  return out;
}

std::vector<std::string> image_warnings(const ConfigFile& config, const Platform& platform) {
  std::vector<std::string> out;
  if (!platform.cloud_run || config.path.empty()) return out;
  const std::string dir = std::filesystem::path(config.path).parent_path().string();
  for (const auto& file : config.env_files) {
    auto context = find_dockerignore(dir.empty() ? "." : dir, file);
    if (!context) continue;
    // Capped and regular files only: a FIFO named .dockerignore must not hang lint.
    auto text = read_file_capped(context->dockerignore);
    if (text.ok() && dockerignore_excludes(*text, context->relative)) {
      out.push_back(fmt::format("the env file {} that the config lists is excluded by {}: it will be missing from the "
                                "image, and preflight stops there with exit 2; copy it in (an exception \"!{}\"), or "
                                "take its values from the service's environment or Secret Manager",
                                file, context->dockerignore, context->relative));
    }
  }
  return out;
}

}  // namespace preflight
