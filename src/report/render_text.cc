#include <fmt/format.h>
#include <fmt/ranges.h>

#include "report/render.h"
#include "base/text.h"

namespace preflight {
namespace {

struct Painter {
  bool on;
  std::string operator()(std::string_view text, std::string_view code) const {
    return on ? fmt::format("\x1b[{}m{}\x1b[0m", code, text) : std::string(text);
  }
};

constexpr std::string_view kRed = "31;1", kGreen = "32", kYellow = "33", kDim = "2";

std::string_view check_mark(CheckStatus s) {
  switch (s) {
    case CheckStatus::passed: return "ok  ";
    case CheckStatus::failed: return "FAIL";
    case CheckStatus::warned: return "WARN";
    case CheckStatus::skipped: return "skip";
  }
  return "?";
}

std::string_view color_of(CheckStatus s) {
  switch (s) {
    case CheckStatus::passed: return kGreen;
    case CheckStatus::failed: return kRed;
    default: return kYellow;
  }
}

// A terminal line, not a record: a value that grew to a megabyte (a
// runaway ${...} expansion, a server's whole reply) is cut at a character
// boundary. The report has been scrubbed already, so the cut cannot leave
// half a secret; the JSON report keeps the whole text.
constexpr size_t kMaxShown = 2000;

std::string clipped(const std::string& text) {
  if (text.size() <= kMaxShown) return text;
  size_t end = kMaxShown;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  return fmt::format("{}… ({} bytes in all; -o json has it whole)", text.substr(0, end), text.size());
}

void indent_lines(std::string& out, std::string_view label, const std::string& text) {
  if (text.empty()) return;
  out += fmt::format("        {}{}\n", label, clipped(text));
}

}  // namespace

std::string render_text(const RunReport& report, const TextStyle& style) {
  Painter paint{style.color};
  std::string out;
  out += fmt::format("preflight {}{}\n", PREFLIGHT_VERSION, report.name.empty() ? "" : fmt::format(" · {}", report.name));
  if (!report.findings.empty()) {
    out += "findings (before any connection):\n";
    for (const auto& f : report.findings) {
      out += fmt::format("  {} {}\n", paint(fmt::format("{:<15}", to_string(f.kind)), kRed), clipped(f.message));
      if (f.message.find(f.source) == std::string::npos) {
        indent_lines(out, "where: ", f.variable.empty() ? f.source : fmt::format("{} ({})", f.variable, f.source));
      }
      indent_lines(out, "hint: ", f.hint);
    }
  }
  for (const auto& w : report.warnings) out += fmt::format("{} {}\n", paint("warning:", kYellow), clipped(w));

  for (const auto& phase : report.phases) {
    std::string outcome(to_string(phase.status));
    std::string_view code = phase.status == PhaseStatus::failed ? kRed : phase.status == PhaseStatus::passed ? kGreen : kYellow;
    if (phase.status == PhaseStatus::failed) outcome = "FAILED";
    out += fmt::format("{:<12} {:>8.3f}s  {}\n", phase.name, phase.elapsed_ms / 1000.0, paint(outcome, code));
    for (const auto& c : phase.checks) {
      std::string attempts = c.attempts == 0 ? "" : fmt::format("{} attempt{}", c.attempts, c.attempts == 1 ? "" : "s");
      out += fmt::format("  {} {:<14} {:>8.3f}s  {:<11} {}\n", paint(check_mark(c.status), color_of(c.status)), c.name,
                         c.elapsed_ms / 1000.0, attempts, paint(clipped(c.target), kDim));
      indent_lines(out, "understood as: ", c.understood);
      std::vector<std::string> from;
      for (const auto& [part, source] : c.sources) from.push_back(fmt::format("{} ← {}", part, source));
      indent_lines(out, "from: ", fmt::format("{}", fmt::join(from, " · ")));
      if (c.error) {
        indent_lines(out, "", fmt::format("{}: {}", to_string(c.error->kind), c.error->message));
        indent_lines(out, "hint: ", c.error->hint);
      }
      for (const auto& w : c.warnings) indent_lines(out, paint("warning: ", kYellow), w);
    }
  }
  double seconds = report.elapsed_ms / 1000.0;
  switch (report.status) {
    case RunStatus::ready:
      out += fmt::format("{} every required check passed. Elapsed: {:.2f}s.\n", paint("READY:", kGreen), seconds);
      break;
    case RunStatus::failed: {
      if (report.warn_mode) {
        out += fmt::format("{} required checks failed, but --mode warn (PREFLIGHT_MODE=warn) lets the service start "
                           "anyway: exit 0. Remove it once the cause is fixed.\n",
                           paint("WARN MODE:", kYellow));
      }
      out += critical_line(report) + "\n";
      break;
    }
    case RunStatus::interrupted:
      out += fmt::format("INTERRUPTED: stopped by signal (exit {}) after {:.2f}s; the report above is partial.\n",
                         report.exit_code, seconds);
      break;
  }
  return out;
}

std::string critical_line(const RunReport& report) {
  std::vector<std::string> names;
  for (const auto& phase : report.phases) {
    if (phase.name != report.failed_phase) continue;
    for (const auto& c : phase.checks) {
      if (c.status == CheckStatus::failed) names.push_back(c.name);
    }
  }
  return fmt::format("CRITICAL STARTUP FAILURE: phase {} failed. Failed services: [{}]. State: failed. Elapsed: {:.2f}s.",
                     report.failed_phase, join_at_most(names, kFailedNamesShown), report.elapsed_ms / 1000.0);
}

}  // namespace preflight
