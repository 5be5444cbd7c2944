// A command: the escape hatch for a dependency without a probe of its own
// (`mongosh --eval`, `kcat -L`, a migration tool's status). It is ready when
// the program exits with an expected code, and, when asked, its output
// holds a string. It runs in a process group of its own, killed at the
// deadline (base/child_process.h), with the run's variables in its
// environment; what it prints is quoted scrubbed.
#include <signal.h>

#include <algorithm>
#include <cstring>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "base/child_process.h"
#include "base/redact.h"
#include "probes/probe_types.h"

namespace preflight {
namespace {

using json = nlohmann::json;

// What a failure quotes of the output: its end, where programs say what
// went wrong.
constexpr size_t kOutputShown = 400;

struct CommandSpec {
  std::vector<std::string> argv;
  std::vector<std::string> environment;
  std::vector<int> exit_codes = {0};
  std::optional<std::string> output_contains;
  std::string shown;  // the command line as the report shows it
};

class CommandProbe final : public Probe {
 public:
  CommandProbe(CommandSpec spec, std::shared_ptr<const Redactor> redactor)
      : spec_(std::move(spec)), redactor_(std::move(redactor)) {}

  Status attempt(Deadline deadline, const CancelToken& cancel) const override {
    ChildOutcome run = run_child({.argv = spec_.argv, .environment = spec_.environment}, deadline, cancel);
    switch (run.end) {
      case ChildOutcome::End::not_started: return not_started(run);
      case ChildOutcome::End::deadline:
        return fail(FailureKind::timeout,
                    fmt::format("`{}` was still running at the deadline; its process group was killed{}", spec_.shown,
                                output_note(run)));
      case ChildOutcome::End::cancelled:
        return fail(FailureKind::interrupted,
                    fmt::format("`{}` was stopped by a signal to preflight; its process group was killed", spec_.shown));
      case ChildOutcome::End::signalled: {
        const char* name = sigabbrev_np(run.code);
        Failure f{FailureKind::unhealthy, fmt::format("`{}` was killed by signal {} (SIG{}){}", spec_.shown, run.code,
                                                      name ? name : "?", output_note(run)),
                  "something outside preflight stopped it (the kernel's OOM killer sends SIGKILL), or it stopped "
                  "itself: run it by hand where preflight runs"};
        f.code = fmt::format("SIG{}", name ? name : "?");
        return Unexpected<Failure>{std::move(f)};
      }
      case ChildOutcome::End::exited: break;
    }
    if (std::find(spec_.exit_codes.begin(), spec_.exit_codes.end(), run.code) == spec_.exit_codes.end()) {
      const std::string expected = spec_.exit_codes.size() == 1 ? fmt::format("{}", spec_.exit_codes.front())
                                                                : fmt::format("one of {}", fmt::join(spec_.exit_codes, ", "));
      Failure f{FailureKind::unhealthy,
                fmt::format("`{}` exited with {} (expected {}){}", spec_.shown, run.code, expected, output_note(run)),
                fmt::format("its output says why; run it by hand where preflight runs, with the same variables, to "
                            "see more. If exit {} means ready, list it in the check's expect.exit",
                            run.code)};
      f.code = fmt::format("exit {}", run.code);
      return Unexpected<Failure>{std::move(f)};
    }
    if (spec_.output_contains && run.output.find(*spec_.output_contains) == std::string::npos) {
      return fail(FailureKind::unhealthy,
                  fmt::format("`{}` exited with {} but its output does not contain \"{}\"{}", spec_.shown, run.code,
                              redactor_->scrub(*spec_.output_contains), output_note(run)),
                  "the text is matched exactly, case and spaces included, in stdout and stderr together");
    }
    return {};
  }

 private:
  Status not_started(const ChildOutcome& run) const {
    const std::string program = redactor_->scrub(run.program);
    if (run.error == ENOENT) {
      const std::string path = environment_value(spec_.environment, "PATH").value_or("(unset)");
      return fail(FailureKind::invalid_config,
                  fmt::format("`{}` cannot run: {} is not found{}", spec_.shown, program,
                              program.find('/') == std::string::npos ? fmt::format(" on PATH ({})", path) : ""),
                  "install it in the image, or give its full path as the command's first element");
    }
    if (run.error == EACCES) {
      return fail(FailureKind::invalid_config, fmt::format("`{}` cannot run: {} is not executable by this user", spec_.shown, program),
                  "make it executable (chmod +x), or run it through its interpreter");
    }
    return fail(FailureKind::invalid_config,
                fmt::format("`{}` cannot run: {}: {}", spec_.shown, program, std::strerror(run.error)));
  }

  // ": its output ends \"...\"" (scrubbed whole before it is cut), or ""
  // when it printed nothing.
  std::string output_note(const ChildOutcome& run) const {
    std::string text = redactor_->scrub_peer(run.output);
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' ')) text.pop_back();
    if (text.empty()) return "; it printed nothing";
    const bool cut = text.size() > kOutputShown || run.output_cut;
    if (text.size() > kOutputShown) {
      size_t from = text.size() - kOutputShown;
      while (from < text.size() && (static_cast<unsigned char>(text[from]) & 0xC0) == 0x80) ++from;  // whole characters
      text = text.substr(from);
    }
    std::replace(text.begin(), text.end(), '\n', ' ');
    return fmt::format("; its output{}: \"{}\"", cut ? " ends" : "", redactor_->excerpt(text, kOutputShown));
  }

  CommandSpec spec_;
  std::shared_ptr<const Redactor> redactor_;
};

// A word of the command line as a shell would need it written.
std::string quoted_word(const std::string& word) {
  if (!word.empty() && word.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
                                              "-_./:=@%+,") == std::string::npos) {
    return word;
  }
  std::string out = "'";
  for (char c : word) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

std::vector<std::string> command_words(const json& fields) {
  std::vector<std::string> words;
  if (auto it = fields.find("command"); it != fields.end() && it->is_array()) {
    for (const auto& w : *it) {
      if (w.is_string()) words.push_back(w.get<std::string>());
    }
  }
  return words;
}

std::string shown_command(const json& fields) {
  std::vector<std::string> words = command_words(fields);
  if (fields.value("shell", false) && words.size() == 1) return fmt::format("sh -c {}", quoted_word(words.front()));
  std::vector<std::string> quoted;
  for (const auto& w : words) quoted.push_back(quoted_word(w));
  return fmt::format("{}", fmt::join(quoted, " "));
}

std::optional<std::string> check_command_shape(const json& fields) {
  auto command = fields.find("command");
  if (command == fields.end() || !command->is_array() || command->empty()) {
    return "command: expected a non-empty array of strings: [\"program\", \"argument\", ...]";
  }
  for (size_t i = 0; i < command->size(); ++i) {
    if (!(*command)[i].is_string()) return fmt::format("command/{}: expected a string", i);
  }
  if ((*command)[0].get_ref<const std::string&>().empty()) return "command/0: the program must not be empty";
  if (fields.value("shell", false) && command->size() != 1) {
    return "command: with \"shell\": true, the command is one string, the script sh -c runs";
  }
  if (auto expect = fields.find("expect"); expect != fields.end()) {
    for (const auto& [key, value] : expect->items()) {
      if (key == "exit") {
        if (!value.is_array() || value.empty()) return "expect/exit: expected a non-empty array of exit codes";
        for (const auto& code : value) {
          if (!code.is_number_integer() || code.get<long long>() < 0 || code.get<long long>() > 255) {
            return fmt::format("expect/exit: {} is not an exit code (0 to 255)", code.dump());
          }
        }
      } else if (key == "output_contains") {
        if (!value.is_string() || value.get_ref<const std::string&>().empty()) {
          return "expect/output_contains: expected a non-empty string";
        }
      } else {
        return fmt::format("expect/{}: unknown key (allowed: exit, output_contains)", key);
      }
    }
  }
  return std::nullopt;
}

Result<std::unique_ptr<Probe>> make_command_probe(const ProbeInput& in) {
  if (auto problem = check_command_shape(in.fields)) return fail(FailureKind::invalid_config, *problem);
  CommandSpec spec;
  spec.argv = command_words(in.fields);
  if (in.fields.value("shell", false)) spec.argv = {"/bin/sh", "-c", spec.argv.front()};
  spec.environment = in.environment;
  spec.shown = in.target.shown;
  if (auto expect = in.fields.find("expect"); expect != in.fields.end()) {
    if (auto exit = expect->find("exit"); exit != expect->end()) spec.exit_codes = exit->get<std::vector<int>>();
    if (auto contains = expect->find("output_contains"); contains != expect->end()) {
      spec.output_contains = contains->get<std::string>();
    }
  }
  return std::unique_ptr<Probe>(std::make_unique<CommandProbe>(std::move(spec), in.redactor));
}

}  // namespace

extern const ProbeType kCommandProbeType{
    .name = "command",
    .schemes = {},
    .fields = {{"command", FieldType::array}, {"shell", FieldType::boolean}, {"expect", FieldType::object}},
    .make = make_command_probe,
    .check_shape = check_command_shape,
    .hint = [](const Failure& f, const HintContext& c) -> std::string {
      if (f.kind != FailureKind::timeout) return "";
      return fmt::format("the command ran until the phase deadline: {}, or make the command give up sooner (most "
                         "clients take a timeout option)",
                         c.raise_timeout);
    },
    .shown = shown_command,
    .receives_variables = true,
};

}  // namespace preflight
