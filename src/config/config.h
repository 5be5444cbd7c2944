// The config file (JSON or YAML) as written: strings are still templates.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/duration.h"
#include "base/problem.h"
#include "base/result.h"
#include "config/retry_settings.h"
#include "config/yaml_reader.h"

namespace preflight {

struct CheckSpec {
  std::string name;
  std::string type;
  bool required = true;
  nlohmann::json fields;  // the check object as written, templates unexpanded
  std::string json_path;  // "/phases/1/checks/0"
  std::optional<long> certificate_warning_days;  // "certificate_expiry_warning" on the check
  RetrySettings retry;  // its own "retry", over its phase's
};

struct PhaseSpec {
  std::string name;
  std::string timeout;  // a duration, possibly a ${...} template
  bool timeout_written = false;  // false: kDefaultPhaseTimeout, or the default profile's own
  std::string json_path;
  std::vector<CheckSpec> checks;
  RetrySettings retry;  // the phase's "retry", for its checks
};

struct ConfigFile {
  std::string path;  // "" for the built-in default profile
  std::string name;
  std::vector<std::string> env_files;     // resolved against the config's directory
  std::vector<std::string> secrets_dirs;  // likewise
  std::vector<PhaseSpec> phases;
  // How long the platform gives the container to start ("budget"); the sum
  // of phase timeouts above it is a warning.
  std::optional<Millis> budget;
  std::optional<long> certificate_warning_days;  // "certificate_expiry_warning", for every check that writes none
  // Where each value of a YAML config was written (empty for JSON).
  TextPositions positions;

  // Where the value at a JSON pointer was written, for a `from:` line:
  // "cfg.json:/phases/0/timeout", "cfg.yaml:4:5 (/phases/0/timeout)".
  std::string source_of(std::string_view pointer) const;
};

// A passed TLS check warns of a server certificate with fewer days left.
inline constexpr long kDefaultCertificateWarningDays = 14;
inline constexpr long kMaxCertificateWarningDays = 3650;

inline constexpr std::string_view kDefaultPhaseTimeout = "10s";

// A config that cannot be used is a Problem (exit 2) whose message names
// the file, the JSON path and what is wrong.
// Parses and validates the structure: known keys only, types, non-empty
// phases and checks, unique names, known check types, literal durations.
// `//` and `/* */` comments are allowed. A path ending in .yaml or .yml is
// read as YAML (yaml_reader.h), and its errors give line and column.
Result<ConfigFile, Problem> parse_config(std::string_view text, const std::string& path);
Result<ConfigFile, Problem> load_config_file(const std::string& path);

}  // namespace preflight
