// The application: what `preflight check|lint|schema` does, given plain
// options. The CLI parses argv into RunOptions; main reads the process
// environment, installs signal handlers and chooses to exec.
#pragma once

#include <atomic>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/deadline.h"
#include "base/duration.h"
#include "base/redact.h"

namespace preflight {

enum class Mode { check, lint, schema };
enum class OutputFormat { text, json, junit };
enum class LogFormat { text, json };

struct RunOptions {
  Mode mode = Mode::check;
  std::string config_path;  // empty: the built-in default profile
  std::vector<std::string> env_files;
  std::vector<std::string> secrets_dirs;
  std::vector<std::string> secrets_files;
  std::vector<std::pair<std::string, std::string>> sets;
  std::vector<std::string> phases;
  std::map<std::string, Millis> phase_timeouts;
  bool once = false;
  bool keep_going = false;
  OutputFormat output = OutputFormat::text;
  std::string report_file;
  OutputFormat report_format = OutputFormat::json;
  std::vector<std::string> command;  // after `--`: exec'd on success
  // "enforce" or "warn" (report failures, exit 0 and exec anyway); empty:
  // PREFLIGHT_MODE, else enforce.
  std::string enforcement;
  std::string target;  // "cloudrun" or empty: where lint should assume it will run
};

struct AppEnvironment {
  std::map<std::string, std::string> env;
  bool stdout_is_tty = false;
  // stderr is a terminal that wants the live progress line (no NO_COLOR,
  // text logs at the default verbosity).
  bool live_progress = false;
  // stdout and stderr are the same terminal: what the text report says
  // (warnings, the CRITICAL line) is not logged a second time.
  bool one_terminal = false;
};

struct AppOutcome {
  int exit_code = 0;
  std::vector<std::string> exec;  // non-empty: main execs it
};

// Runs the mode. Writes the report to stdout (and --report-file); logs go
// through spdlog. `signal_number` is set by main's handler when `cancel`
// fires. Every output is scrubbed of the run's secret values.
AppOutcome run_app(const RunOptions& options, const AppEnvironment& environment, const CancelToken& cancel,
                   const std::atomic<int>& signal_number);

// Sets up the stderr logger: text or Cloud Logging JSON lines, verbosity
// -1 (quiet: errors only), 0 (warnings; with JSON, info: the run's verdict
// is an INFO entry), 1 (info), 2+ (debug). `labels` go into every JSON
// entry's logging.googleapis.com/labels (service, revision), besides
// "tool": "preflight" and a "check" field of the entry's.
void setup_logging(LogFormat format, int verbosity, bool color, const std::map<std::string, std::string>& labels = {});
// From now on every log line is scrubbed with `redactor` (the plan's),
// which must not change while engine threads log.
void set_log_redactor(std::shared_ptr<const Redactor> redactor);
// True when the logs are Cloud Logging JSON entries.
bool structured_logs();

// Fields added to the JSON log entries made on this thread while it lives
// (phase, check, kind, elapsed_ms): Cloud Logging indexes them, so a failure
// is found by its check rather than by its text. Text logs leave them out.
class ScopedLogFields {
 public:
  explicit ScopedLogFields(nlohmann::json fields);  // a JSON object
  ~ScopedLogFields();
  ScopedLogFields(const ScopedLogFields&) = delete;
  ScopedLogFields& operator=(const ScopedLogFields&) = delete;
  // The innermost fields on this thread, or null.
  static const nlohmann::json* current();

 private:
  nlohmann::json fields_;
  const ScopedLogFields* previous_;
};

}  // namespace preflight
