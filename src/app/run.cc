#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "command_check.h"
#include "report/dependency_order.h"
#include "live_line.h"
#include "app/app.h"
#include "config/config.h"
#include "config/default_profile.h"
#include "report/diagnose.h"
#include "engine/engine.h"
#include "base/exit_codes.h"
#include "config/plan.h"
#include "app/log_entries.h"
#include "app/plan_warnings.h"
#include "config/platform.h"
#include "base/redact.h"
#include "report/render.h"
#include "config/schema.h"
#include "base/secret_positions.h"
#include "config/sources.h"
#include "base/text.h"

namespace preflight {
namespace {

// A problem that stops the run before any check: its origin is a field of
// the log entry (Cloud Logging), its hint a line of its own.
int report_problem(const Problem& problem) {
  {
    ScopedLogFields fields(problem.origin.empty() ? nlohmann::json::object() : nlohmann::json{{"origin", problem.origin}});
    spdlog::error("{}", problem.message);
  }
  if (!problem.hint.empty()) spdlog::error("hint: {}", problem.hint);
  return problem.exit_code();
}

// Before the plan exists, a message may still quote a secret the process
// was given: the values of the environment's secret-named variables and a
// proxy's credentials are masked from the first line on.
std::shared_ptr<const Redactor> environment_redactor(const std::map<std::string, std::string>& env) {
  std::vector<std::string> secrets;
  for (const auto& [name, value] : env) {
    if (value.empty()) continue;
    if (name_looks_secret(name)) secrets.push_back(value);
    if (to_lower(name).ends_with("_proxy")) add_proxy_secrets(value, secrets);
  }
  return std::make_shared<const Redactor>(secrets);
}

void write_stdout(const std::string& text) {
  std::fwrite(text.data(), 1, text.size(), stdout);
  std::fflush(stdout);
}

std::string render(const RunReport& report, OutputFormat format, bool color) {
  switch (format) {
    case OutputFormat::json: return render_json(report);
    case OutputFormat::junit: return render_junit(report);
    case OutputFormat::text: break;
  }
  return render_text(report, TextStyle{color});
}

// The phases as lint sees them: checks blocked by a finding fail, the rest
// are not attempted.
std::vector<PhaseReport> lint_phases(const Plan& plan) {
  std::vector<PhaseReport> phases;
  for (const auto& p : plan.phases) {
    PhaseReport phase{p.name, p.checks.empty() ? PhaseStatus::skipped : PhaseStatus::passed, 0, p.timeout, {}};
    for (const auto& c : p.checks) {
      CheckReport check{c.name, c.type, c.required, c.shown, CheckStatus::skipped, 0, 0, c.blocked, {},
                        c.target ? c.target->describe() : std::string(), part_sources(c)};
      if (c.probe_type->offline_reading && !c.blocked) {
        check.understood += (check.understood.empty() ? "" : "; ") + c.probe_type->offline_reading(c.fields);
      }
      if (c.blocked) {
        check.status = c.required ? CheckStatus::failed : CheckStatus::warned;
        if (c.required) phase.status = PhaseStatus::failed;
      }
      phase.checks.push_back(std::move(check));
    }
    phases.push_back(std::move(phase));
  }
  return phases;
}

std::vector<std::string> conflict_warnings(const VariableSet& vars) {
  std::vector<std::string> out;
  for (const auto& c : vars.conflicts()) {
    out.push_back(fmt::format("{} is defined with different values in {} and in {}; {} wins", c.name, c.loser_source,
                              c.winner_source, c.winner_source));
  }
  return out;
}

struct Loaded {
  ConfigFile config;
  VariableSet vars;
  std::vector<std::string> warnings;
};

// Config and variables; a message on failure (exit 2).
Result<Loaded, Problem> load(const RunOptions& options, const AppEnvironment& environment, const CancelToken& cancel) {
  Loaded out;
  std::string config_path = options.config_path;
  if (config_path.empty()) {
    if (auto it = environment.env.find("PREFLIGHT_CONFIG"); it != environment.env.end()) config_path = it->second;
  }
  if (!config_path.empty()) {
    auto config = load_config_file(config_path);
    if (!config.ok()) return Unexpected<Problem>{config.error()};
    out.config = std::move(config).value();
  }
  SourceOptions sources;
  sources.env_files = out.config.env_files;
  sources.env_files.insert(sources.env_files.end(), options.env_files.begin(), options.env_files.end());
  sources.secrets_dirs = out.config.secrets_dirs;
  sources.secrets_dirs.insert(sources.secrets_dirs.end(), options.secrets_dirs.begin(), options.secrets_dirs.end());
  sources.secrets_files = options.secrets_files;
  sources.sets = options.sets;
  sources.process_env = environment.env;
  sources.cancel = cancel;
  auto vars = load_variables(sources);
  if (!vars.ok()) return Unexpected<Problem>{vars.error()};
  out.vars = std::move(vars).value();
  out.warnings = conflict_warnings(out.vars);

  if (config_path.empty()) {
    out.config = default_profile(out.vars);
  }
  return out;
}

// --phase and --phase-timeout must name phases that exist.
std::optional<std::string> check_phase_names(const RunOptions& options, const ConfigFile& config) {
  auto exists = [&](const std::string& name) {
    for (const auto& p : config.phases) {
      if (p.name == name) return true;
    }
    return false;
  };
  std::vector<std::string> names;
  for (const auto& p : config.phases) names.push_back(p.name);
  for (const auto& p : options.phases) {
    if (!exists(p)) return fmt::format("--phase {}: no such phase (phases: {})", p, fmt::join(names, ", "));
  }
  for (const auto& [p, t] : options.phase_timeouts) {
    if (!exists(p)) return fmt::format("--phase-timeout {}: no such phase (phases: {})", p, fmt::join(names, ", "));
  }
  return std::nullopt;
}

// --mode, else PREFLIGHT_MODE; a message for a value that is neither.
Result<bool, Problem> warn_mode(const RunOptions& options, const AppEnvironment& environment) {
  if (!options.enforcement.empty()) return options.enforcement == "warn";
  auto it = environment.env.find("PREFLIGHT_MODE");
  if (it == environment.env.end() || it->second.empty() || it->second == "enforce") return false;
  if (it->second == "warn") return true;
  return Unexpected<Problem>{Problem{.kind = ProblemKind::usage,
                                     .message = fmt::format("PREFLIGHT_MODE=\"{}\" is neither \"enforce\" nor \"warn\"", it->second),
                                     .origin = "PREFLIGHT_MODE"}};
}

// The text report goes to the terminal the logs go to: what it says (its
// warnings, the CRITICAL line) would be there twice. Elsewhere both stay:
// Cloud Logging reads the log lines, a CI job the report.
bool said_on_the_terminal(const RunOptions& options, const AppEnvironment& environment) {
  return environment.one_terminal && options.output == OutputFormat::text && !structured_logs();
}

// Written 0600, whatever mode a file already there had: a report names
// hosts, users and variables, for this user only.
bool write_report_file(const std::string& path, const std::string& text) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  std::FILE* f = fd < 0 || ::fchmod(fd, 0600) != 0 ? nullptr : ::fdopen(fd, "wb");
  if (f == nullptr) {
    if (fd >= 0) ::close(fd);
    spdlog::error("cannot write the report file {}: {}", path, std::strerror(errno));
    return false;
  }
  bool ok = std::fwrite(text.data(), 1, text.size(), f) == text.size();
  int err = errno;
  ok = (std::fclose(f) == 0) && ok;
  if (!ok) spdlog::error("cannot write the report file {}: {}", path, std::strerror(err ? err : errno));
  return ok;
}

// Prints the report (stdout, --report-file) and logs its outcome; returns
// the exit code, which a signal that arrived meanwhile overrides.
int deliver(RunReport& report, const Plan& plan, const RunOptions& options, const AppEnvironment& environment,
            const std::atomic<int>& signal_number) {
  const Redactor& redactor = *plan.redactor;
  // The one scrub of the report, on its plain strings before a renderer
  // escapes them. Rendered text is not scrubbed again: what a renderer adds
  // is its own fixed words, and masking those would break the JSON and say
  // what the secret is ("State: ***.").
  scrub_report(report, redactor);
  // With structured logs (Cloud Run) every line is a log entry: the text
  // table would be a dozen entries without severity, so the entries below
  // say what it says; a JSON report asked for is one line, one entry.
  const bool structured = structured_logs();
  if (!structured) {
    write_stdout(render(report, options.output, environment.stdout_is_tty));
  } else if (options.output == OutputFormat::json) {
    write_stdout(render_json(report, /*one_line=*/true));
  } else if (options.output == OutputFormat::junit) {
    write_stdout(render_junit(report));
  }
  int exit = report.exit_code;
  if (!options.report_file.empty() && !write_report_file(options.report_file, render(report, options.report_format, false))) {
    exit = exit == exit_code::ok ? exit_code::usage : exit;
  }
  if (structured) {
    log_report_entries(report, plan, environment.env);
    if (int sig = signal_number.load(); sig != 0) exit = exit_code::signal_base + sig;
    return exit;
  }
  log_check_entries(report, plan, /*shown_by_the_report=*/true);
  if (report.status == RunStatus::failed && !said_on_the_terminal(options, environment)) {
    ScopedLogFields fields({{"phase", report.failed_phase},
                            {"failed_checks", report.failed_checks},
                            {"elapsed_ms", report.elapsed_ms},
                            {"exit_code", report.exit_code}});
    spdlog::critical("CRITICAL STARTUP FAILURE: phase {} failed. Failed checks: [{}]. State: failed.", report.failed_phase,
                     join_at_most(report.failed_checks, kFailedNamesShown));
  }
  // A signal while the report was written (a blocked pipe, say) still
  // means "interrupted": never exit 0 or exec after it.
  if (int sig = signal_number.load(); sig != 0) exit = exit_code::signal_base + sig;
  return exit;
}

}  // namespace

AppOutcome run_app(const RunOptions& options, const AppEnvironment& environment, const CancelToken& cancel,
                   const std::atomic<int>& signal_number) {
  const auto start = Clock::now();
  if (options.mode == Mode::schema) {
    write_stdout(config_schema_json());
    return {exit_code::ok, {}};
  }
  set_log_redactor(environment_redactor(environment.env));
  auto warn = warn_mode(options, environment);
  if (!warn.ok()) {
    return {report_problem(warn.error()), {}};
  }
  // A command that cannot run makes every check moot: said before any.
  if (options.mode == Mode::check && !options.command.empty()) {
    auto path = environment.env.find("PATH");
    if (auto problem = check_command(options.command.front(), path == environment.env.end() ? "" : path->second)) {
      return {report_problem(*problem), {}};
    }
  }
  auto loaded = load(options, environment, cancel);
  if (!loaded.ok() && signal_number.load() != 0) {
    // Stopped while loading: nothing to report but that.
    RunReport report = assemble_report(Plan{}, {}, {}, ms_since(start), signal_number.load());
    return {deliver(report, Plan{}, options, environment, signal_number), {}};
  }
  if (!loaded.ok()) return {report_problem(loaded.error()), {}};
  if (auto bad = check_phase_names(options, loaded->config)) {
    spdlog::error("{}", *bad);
    return {exit_code::usage, {}};
  }
  Plan plan = build_plan(loaded->config, loaded->vars);
  // From here on every output — report, logs, excerpts of what servers
  // sent — is scrubbed of the secrets this run uses.
  const Platform platform = detect_platform(environment.env, options.target);
  // A proxy's credentials reach libcurl's errors and the proxy hint.
  // build_plan sealed the plan's secrets; only proxy credentials need it again.
  const size_t sealed = plan.secrets.size();
  for (const auto& [name, value] : platform.proxy_env) add_proxy_secrets(value, plan.secrets);
  if (plan.secrets.size() != sealed) seal_secrets(plan);
  set_log_redactor(plan.redactor);
  apply_phase_selection(plan, {options.phases.begin(), options.phases.end()}, options.phase_timeouts);
  for (auto& w : plan_warnings(plan, platform)) loaded->warnings.push_back(std::move(w));
  for (auto& w : variable_warnings(loaded->vars, platform)) loaded->warnings.push_back(std::move(w));
  if (options.mode == Mode::lint) {
    for (auto& w : image_warnings(loaded->config, platform)) loaded->warnings.push_back(std::move(w));
  }
  const bool quiet_warnings = said_on_the_terminal(options, environment);
  for (const auto& w : loaded->warnings) {
    if (!quiet_warnings) spdlog::warn("{}", w);
  }
  // Structured logs give each finding an entry of its own with the report.
  if (!structured_logs()) {
    for (const auto& f : plan.findings) spdlog::info("finding: {} {}", to_string(f.kind), f.message);
  }

  std::vector<PhaseReport> phases;
  EngineOptions engine;
  if (options.mode == Mode::lint) {
    phases = lint_phases(plan);
  } else {
    engine.once = options.once;
    engine.keep_going = options.keep_going;
    if (const PlannedPhase* decided = phase_failed_offline(plan, engine)) {
      const std::string warning = fmt::format(
          "nothing was probed: phase {} cannot pass, a required check failed before any connection "
          "(see the findings); --keep-going probes every phase anyway", decided->name);
      if (!quiet_warnings) spdlog::warn("{}", warning);
      loaded->warnings.push_back(warning);
    }
    std::optional<LiveLine> live;
    if (environment.live_progress) engine.observer = &live.emplace(STDERR_FILENO);
    phases = run_phases(plan, engine, cancel);
    if (live) live->stop();
  }
  for (size_t p = 0; p < phases.size(); ++p) {
    const std::string timeout_origin = options.mode == Mode::lint ? std::string() : plan.phases[p].timeout_origin;
    for (size_t c = 0; c < phases[p].checks.size(); ++c) {
      diagnose(phases[p].checks[c], plan.phases[p].checks[c], platform, timeout_origin);
    }
  }
  note_dependencies_checked_later(phases, plan);
  RunReport report = assemble_report(plan, std::move(phases), loaded->warnings, ms_since(start), signal_number.load());
  if (*warn && report.status == RunStatus::failed) {
    report.warn_mode = true;
    report.exit_code = exit_code::ok;
  }

  int exit = deliver(report, plan, options, environment, signal_number);
  if (exit == exit_code::ok && options.mode == Mode::check) return {exit, options.command};
  return {exit, {}};
}

}  // namespace preflight
