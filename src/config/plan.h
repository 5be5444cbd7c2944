// The plan: the config with every string interpolated and validated
// offline. `preflight lint` stops here; the engine runs it.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <set>
#include <map>
#include <vector>

#include <nlohmann/json.hpp>

#include "config/config.h"
#include "base/duration.h"
#include "config/interpolate.h"
#include "probes/probe.h"
#include "base/redact.h"
#include "config/variables.h"

namespace preflight {

// A problem found before any network I/O.
struct Finding {
  std::string variable;  // may be empty when the value is a literal in the config
  std::string source;    // ".env.staging:50", "env", "preflight.json:/phases/0/checks/0/url"
  FailureKind kind = FailureKind::invalid_config;
  std::string message;
  std::string hint;
  std::string check;  // "phase/check" it affects
};

struct PlannedCheck {
  std::string name;
  std::string type;
  const ProbeType* probe_type = nullptr;  // the protocol of `type`; never null in a built plan
  bool required = true;
  // A passed check warns of a server certificate with fewer days left; 0:
  // never. The check's, else the config's, else the default.
  long certificate_warning_days = kDefaultCertificateWarningDays;
  std::string shown;            // the target with credentials masked ("***" when it could not be read)
  std::optional<Target> target; // the connection string as its reader understood it; null when unreadable
  nlohmann::json fields;            // interpolated
  std::vector<VariableUse> uses;    // variables the check's strings used
  // Each interpolated string of the check with where each of its bytes
  // came from, by the string's path in the check ("/url", "/password",
  // "/headers/Authorization").
  std::map<std::string, Resolved> origins;
  std::optional<Failure> blocked;   // set when a finding fails it before any I/O
  std::shared_ptr<const Probe> probe;  // null when blocked
  // The check's "retry" over its phase's; unset keys keep the engine's default.
  RetrySettings retry;
};

struct PlannedPhase {
  std::string name;
  Millis timeout{0};
  // Where the timeout was set, for "raise the phase timeout": a JSON path
  // in the config, or which default applies and how to change it.
  std::string timeout_origin;
  std::vector<PlannedCheck> checks;
  bool selected = true;  // false: left out by --phase, reported as skipped
};

struct Plan {
  std::string name;
  std::string config_path;
  std::vector<PlannedPhase> phases;
  std::vector<Finding> findings;
  // Values that must never appear in any output: every secret variable a
  // check uses, secret fields and URL passwords.
  std::vector<std::string> secrets;
  // The scrubber of every output, holding `secrets` once seal_secrets()
  // has run. The probes share it: what a server echoes is scrubbed before
  // a probe cuts or escapes it.
  std::shared_ptr<Redactor> redactor = std::make_shared<Redactor>();
  // How long the platform waits for the container to listen: the config's
  // "budget", else the platform's own allowance (see platform.h).
  std::optional<Millis> budget;
};

// The plan of every check, its secrets sealed (see seal_secrets).
Plan build_plan(const ConfigFile& config, const VariableSet& vars);

// Sorts and deduplicates plan.secrets and makes plan.redactor mask them.
// build_plan calls it; a caller that adds secrets (a proxy's credentials)
// calls it again, before any probe runs.
void seal_secrets(Plan& plan);

// --phase and --phase-timeout, folded into the plan once: phases not in
// `only` (when it is not empty) are not selected; a timeout given for a
// phase replaces its own, and its origin says where it came from. Every
// stage after (warnings, engine, diagnosis) reads the plan alone.
void apply_phase_selection(Plan& plan, const std::set<std::string>& only, const std::map<std::string, Millis>& timeouts);

// Where a value of the check (a part of its target: a host, a port, a
// path...) came from, read from the origin spans of the string that holds
// it, at the place where it stands there as a whole component.
struct PartOrigin {
  enum class Kind {
    variables,       // one or more variables (and maybe text of the check around them)
    check_text,      // written in the check's own string `field`
    client_default,  // in none of the check's strings: the client's default
  };
  Kind kind = Kind::client_default;
  std::string field;  // the check's field that holds it ("url", "ca_file"); empty for client_default
  // For `variables`: each variable with its source, in order; a variable
  // that was unset and gave its ${NAME:-default} has source "".
  std::vector<std::pair<std::string, std::string>> variables;
  bool also_check_text = false;  // `variables`, with bytes of the check's text among them
  bool secret = false;           // some of its bytes came from a secret

  // "NAME (source)", "A (src) and B (src)", "the default of ${NAME} in the
  // check's url", "the check's url", "the check's ca_file", "default".
  std::string describe() const;
};
PartOrigin origin_of(const PlannedCheck& check, std::string_view value);

// The variable whose bytes supplied `text` (a host, say) to the check, or
// null: for naming where a bad value came from.
const VariableUse* variable_holding(const PlannedCheck& check, std::string_view text);
// Each part of the check's target (host, port, user, password, database,
// CA...) with where it came from (PartOrigin::describe). Never a value.
std::vector<std::pair<std::string, std::string>> part_sources(const PlannedCheck& check);
// " (from NAME, source)" for a hint or warning; "" for null. Never the value.
std::string named_source(const VariableUse* use);

}  // namespace preflight
