#include "options.h"

#include <algorithm>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "base/duration.h"
#include "base/exit_codes.h"
#include "app/versions.h"
#include "base/redact.h"

namespace preflight::cli {
namespace {

constexpr std::string_view kDescription =
    "preflight — decides, before a service starts, whether everything it depends on is really ready.\n"
    "\n"
    "  preflight [check] [OPTIONS] [-- COMMAND [ARGS...]]   probe every phase; exec COMMAND on success\n"
    "  preflight lint    [OPTIONS]                          resolve and validate offline, no network I/O\n"
    "  preflight schema                                     print the JSON Schema of the config file\n"
    "\n"
    "Exit codes: 0 ready, 2 usage or unusable config, 3 startup failure, 128+N signal N;\n"
    "with -- COMMAND, the command's own (127 not found, 126 not executable).\n";

constexpr std::string_view kFooter =
    "Examples:\n"
    "  preflight -c /etc/preflight.json -- gunicorn app:app    container entrypoint\n"
    "  preflight lint -e .env.production --target cloudrun     CI, before deploy\n"
    "  preflight --once --keep-going -e .env.staging           on-call snapshot, built-in profile\n"
    "\n"
    "Environment: PREFLIGHT_CONFIG, PREFLIGHT_MODE, K_SERVICE (Cloud Run: JSON logs, 240 s budget), NO_COLOR,\n"
    "http_proxy/https_proxy/no_proxy (HTTP checks). Durations: 250ms, 7.5s, 2m or seconds.\n"
    "See preflight(1).\n";

Problem usage_error(std::string message) { return Problem{.kind = ProblemKind::usage, .message = std::move(message)}; }

// "KEY=VALUE" → pair; the message never repeats VALUE (it may be a secret).
std::optional<std::pair<std::string, std::string>> split_assignment(const std::string& text) {
  auto eq = text.find('=');
  if (eq == std::string::npos || eq == 0) return std::nullopt;
  return std::pair{text.substr(0, eq), text.substr(eq + 1)};
}

// The parts of the arguments that an error must not repeat: every value
// given as --option=VALUE or KEY=VALUE (a --set without its flag), and a
// word after an option that does not exist (--password SECRET). Other
// words stay, so that a mistyped subcommand is named.
std::vector<std::string> words_to_withhold(const std::vector<std::string>& args, const CLI::App& app) {
  std::vector<std::string> out;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (auto eq = a.find('='); eq != std::string::npos) {
      out.push_back(a);
      out.push_back(a.substr(eq + 1));
    } else if (i > 0 && !a.starts_with('-') && args[i - 1].starts_with('-') &&
               app.get_option_no_throw(args[i - 1]) == nullptr) {
      out.push_back(a);
    }
  }
  return out;
}

std::optional<OutputFormat> output_format(const std::string& s) {
  if (s == "text") return OutputFormat::text;
  if (s == "json") return OutputFormat::json;
  if (s == "junit") return OutputFormat::junit;
  return std::nullopt;
}

}  // namespace

std::variant<ParsedCommandLine, CliText, Problem> parse_command_line(int argc, const char* const* argv) {
  std::vector<std::string> args(argv + std::min(argc, 1), argv + argc);
  ParsedCommandLine parsed;
  RunOptions& run = parsed.run;

  // Everything after the first `--` is the command to exec.
  if (auto dashdash = std::find(args.begin(), args.end(), "--"); dashdash != args.end()) {
    run.command.assign(dashdash + 1, args.end());
    args.erase(dashdash, args.end());
    if (run.command.empty()) return usage_error("'--' must be followed by a command to run");
  }
  if (!args.empty() && (args[0] == "check" || args[0] == "lint" || args[0] == "schema")) {
    run.mode = args[0] == "check" ? Mode::check : args[0] == "lint" ? Mode::lint : Mode::schema;
    args.erase(args.begin());
  }

  CLI::App app{std::string(kDescription), "preflight"};
  app.get_formatter()->column_width(34);
  app.footer(std::string(kFooter));
  bool version = false;
  std::vector<std::string> sets, phase_timeouts;
  std::string output = "text", report_format = "json", log_format;
  int verbose = 0, quiet = 0;
  app.add_flag("--version", version, "print the version and exit; with -v, every library's too");
  app.add_option("-c,--config", run.config_path, "config file (JSON, or YAML if .yaml/.yml); env PREFLIGHT_CONFIG; default: built-in profile")
      ->type_name("FILE");
  app.add_option("-e,--env-file", run.env_files, "dotenv file; repeatable, later files win")->type_name("FILE");
  app.add_option("-s,--secrets-dir", run.secrets_dirs, "directory of mounted secrets, one file per key; repeatable")
      ->type_name("DIR");
  app.add_option("--secrets-file", run.secrets_files, "Secret Manager access response (JSON); repeatable")
      ->type_name("FILE");
  app.add_option("--set", sets, "set a variable, highest precedence; repeatable")->type_name("KEY=VALUE");
  app.add_option("--phase", run.phases, "run only this phase; repeatable")->type_name("NAME");
  app.add_option("--phase-timeout", phase_timeouts, "override one phase's timeout (250ms, 7.5s, 2m)")
      ->type_name("NAME=DURATION");
  app.add_flag("--once", run.once, "one attempt per check, no retries");
  app.add_flag("--keep-going", run.keep_going, "probe every phase: after a failed one, and when a finding already decided the run");
  app.add_option("-o,--output", output, "stdout format")
      ->check(CLI::IsMember({"text", "json", "junit"}))
      ->type_name("FORMAT");
  app.add_option("--report-file", run.report_file, "also write the report to this file")->type_name("PATH");
  app.add_option("--report-format", report_format, "format of --report-file")
      ->check(CLI::IsMember({"json", "junit"}))
      ->type_name("FORMAT");
  app.add_option("--log-format", log_format, "stderr logs (default json when K_SERVICE is set)")
      ->check(CLI::IsMember({"text", "json"}))
      ->type_name("FORMAT");
  app.add_option("--mode", run.enforcement, "warn: report failures, then exit 0 and run COMMAND anyway; env PREFLIGHT_MODE")
      ->check(CLI::IsMember({"enforce", "warn"}))
      ->type_name("MODE");
  app.add_option("--target", run.target, "judge targets as if on Cloud Run (detected from K_SERVICE)")
      ->check(CLI::IsMember({"cloudrun"}))
      ->type_name("PLATFORM");
  app.add_flag("-v,--verbose", verbose, "more log output (repeatable)");
  app.add_flag("-q,--quiet", quiet, "errors only");

  try {
    std::vector<std::string> reversed(args.rbegin(), args.rend());
    app.parse(reversed);
  } catch (const CLI::CallForHelp&) {
    return CliText{app.help()};
  } catch (const CLI::ParseError& e) {
    return usage_error(Redactor(words_to_withhold(args, app)).scrub(e.what()));
  }
  if (version) return CliText{version_text(verbose > 0)};

  for (const auto& s : sets) {
    auto kv = split_assignment(s);
    // Never echo the argument: it may be a secret typed without its key.
    if (!kv) return usage_error("--set expects KEY=VALUE; one argument has no '=' or an empty KEY");
    run.sets.push_back(std::move(*kv));
  }
  for (const auto& s : phase_timeouts) {
    auto kv = split_assignment(s);
    if (!kv) return usage_error(fmt::format("--phase-timeout expects NAME=DURATION, got \"{}\"", s));
    auto d = parse_duration(kv->second);
    if (!d) return usage_error(fmt::format("--phase-timeout {}: \"{}\" is not a duration (250ms, 7.5s, 2m, or seconds)", kv->first, kv->second));
    run.phase_timeouts[kv->first] = *d;
  }
  run.output = *output_format(output);
  run.report_format = *output_format(report_format);
  if (!log_format.empty()) parsed.log_format = log_format == "json" ? LogFormat::json : LogFormat::text;
  parsed.verbosity = quiet > 0 ? -1 : verbose;
  if (run.mode != Mode::check && !run.command.empty()) return usage_error("'-- COMMAND' only goes with check");
  return parsed;
}

}  // namespace preflight::cli
