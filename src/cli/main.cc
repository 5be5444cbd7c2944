// The thin main: environment, signals, logging, exit codes and exec.
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <exception>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "cli/options.h"
#include "cli/process_guard.h"
#include "app/app.h"
#include "base/exit_codes.h"

extern char** environ;

namespace {

// The only globals: what the signal handler needs.
preflight::CancelSource* g_cancel = nullptr;
std::atomic<int> g_signal{0};

void on_signal(int sig) {
  int expected = 0;
  g_signal.compare_exchange_strong(expected, sig);
  if (g_cancel) g_cancel->cancel_from_signal();
}

void install_signal_handlers() {
  struct sigaction sa {};
  sa.sa_handler = on_signal;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
  // A reader that goes away (| head) must not kill us before the exit code.
  signal(SIGPIPE, SIG_IGN);
}

void restore_default_signals() {
  signal(SIGINT, SIG_DFL);
  signal(SIGTERM, SIG_DFL);
  signal(SIGPIPE, SIG_DFL);
}

std::map<std::string, std::string> read_environment() {
  std::map<std::string, std::string> env;
  for (char** e = environ; e && *e; ++e) {
    std::string_view entry(*e);
    auto eq = entry.find('=');
    if (eq == std::string_view::npos || eq == 0) continue;
    env.emplace(std::string(entry.substr(0, eq)), std::string(entry.substr(eq + 1)));
  }
  return env;
}

// Replaces this process with the command (same PID, environment, streams),
// with the core limit it was started with.
int exec_command(const std::vector<std::string>& command, const rlimit& core_limit) {
  std::vector<char*> argv;
  for (const auto& a : command) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  restore_default_signals();
  preflight::cli::restore_core_limit(core_limit);
  std::fflush(nullptr);
  execvp(argv[0], argv.data());
  int err = errno;
  std::fprintf(stderr, "preflight: ERROR: cannot run %s: %s\n", argv[0], std::strerror(err));
  return err == ENOENT ? preflight::exit_code::command_not_found : preflight::exit_code::command_not_executable;
}

bool same_terminal(int a, int b) {
  struct stat sa {}, sb {};
  return isatty(a) == 1 && isatty(b) == 1 && fstat(a, &sa) == 0 && fstat(b, &sb) == 0 && sa.st_rdev == sb.st_rdev;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    preflight::CancelSource cancel;
    g_cancel = &cancel;
    install_signal_handlers();

    // Before any secret is read: a crash must not write them to a core file.
    const rlimit core_limit = preflight::cli::protect_process();
    auto parsed = preflight::cli::parse_command_line(argc, argv);
    preflight::cli::erase_set_values(argc, argv);
    if (auto* text = std::get_if<preflight::cli::CliText>(&parsed)) {
      std::fputs(text->output.c_str(), stdout);
      return preflight::exit_code::ok;
    }
    if (auto* usage = std::get_if<preflight::Problem>(&parsed)) {
      std::fputs(fmt::format("preflight: error: {}\nRun 'preflight --help' for usage.\n", usage->message).c_str(), stderr);
      return usage->exit_code();
    }
    auto& cmd = std::get<preflight::cli::ParsedCommandLine>(parsed);
    preflight::AppEnvironment environment{read_environment(), isatty(STDOUT_FILENO) == 1};
    environment.one_terminal = same_terminal(STDOUT_FILENO, STDERR_FILENO);
    bool no_color = environment.env.contains("NO_COLOR");
    environment.stdout_is_tty = environment.stdout_is_tty && !no_color;
    auto log_format = cmd.log_format.value_or(environment.env.contains("K_SERVICE") ? preflight::LogFormat::json
                                                                                     : preflight::LogFormat::text);
    bool stderr_tty = isatty(STDERR_FILENO) == 1 && !no_color;
    // Cloud Run's own variables label every entry, so a query finds a revision's.
    std::map<std::string, std::string> labels;
    for (const auto& [variable, label] : {std::pair{"K_SERVICE", "service"}, std::pair{"K_REVISION", "revision"}}) {
      if (auto it = environment.env.find(variable); it != environment.env.end()) labels[label] = it->second;
    }
    preflight::setup_logging(log_format, cmd.verbosity, stderr_tty, labels);
    environment.live_progress = stderr_tty && log_format == preflight::LogFormat::text && cmd.verbosity == 0;

    auto outcome = preflight::run_app(cmd.run, environment, preflight::CancelToken(cancel), g_signal);
    g_cancel = nullptr;
    if (!outcome.exec.empty() && outcome.exit_code == preflight::exit_code::ok) return exec_command(outcome.exec, core_limit);
    return outcome.exit_code;
  } catch (const std::exception& e) {
    // e.what() comes from our own code or a library, never from a secret value.
    if (preflight::structured_logs()) {
      spdlog::error("internal error: {}", e.what());
    } else {
      std::fprintf(stderr, "preflight: internal error: %s\n", e.what());
    }
    return preflight::exit_code::internal_error;
  } catch (...) {
    std::fprintf(stderr, "preflight: internal error\n");
    return preflight::exit_code::internal_error;
  }
}
