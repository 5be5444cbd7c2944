#include <fmt/format.h>

#include "report/render.h"

namespace preflight {
namespace {

std::string xml_escape(std::string_view s) {
  std::string out;
  for (unsigned char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      default:
        // Control characters are not allowed in XML 1.0.
        if (c < 0x20 && c != '\n' && c != '\t') out += fmt::format("\\x{:02x}", c);
        else out += static_cast<char>(c);
    }
  }
  return out;
}

}  // namespace

std::string render_junit(const RunReport& report) {
  int tests = 0, failures = 0;
  for (const auto& p : report.phases) {
    for (const auto& c : p.checks) {
      ++tests;
      failures += c.status == CheckStatus::failed;
    }
  }
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out += fmt::format("<testsuites name=\"preflight\" tests=\"{}\" failures=\"{}\" time=\"{:.3f}\">\n", tests, failures,
                     report.elapsed_ms / 1000.0);
  for (const auto& p : report.phases) {
    int suite_failures = 0, skipped = 0;
    for (const auto& c : p.checks) {
      suite_failures += c.status == CheckStatus::failed;
      skipped += c.status == CheckStatus::skipped;
    }
    out += fmt::format("  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" skipped=\"{}\" time=\"{:.3f}\">\n",
                       xml_escape(p.name), p.checks.size(), suite_failures, skipped, p.elapsed_ms / 1000.0);
    for (const auto& c : p.checks) {
      out += fmt::format("    <testcase name=\"{}\" classname=\"{}\" time=\"{:.3f}\"", xml_escape(c.name),
                         xml_escape(p.name), c.elapsed_ms / 1000.0);
      if (c.status == CheckStatus::passed) {
        if (c.warnings.empty()) {
          out += "/>\n";
          continue;
        }
        out += ">\n";
        for (const auto& w : c.warnings) out += fmt::format("      <system-out>warning: {}</system-out>\n", xml_escape(w));
        out += "    </testcase>\n";
        continue;
      }
      out += ">\n";
      if (c.status == CheckStatus::skipped) {
        out += "      <skipped/>\n";
      } else if (c.error) {
        // A warned (non-required) check is reported as system-out, not a failure.
        std::string_view tag = c.status == CheckStatus::failed ? "failure" : "system-out";
        if (tag == "failure") {
          out += fmt::format("      <failure type=\"{}\" message=\"{}\">{}</failure>\n", to_string(c.error->kind),
                             xml_escape(c.error->message), xml_escape(c.error->hint));
        } else {
          out += fmt::format("      <system-out>warning: {}: {}</system-out>\n", to_string(c.error->kind),
                             xml_escape(c.error->message));
        }
      }
      out += "    </testcase>\n";
    }
    out += "  </testsuite>\n";
  }
  out += "</testsuites>\n";
  return out;
}

}  // namespace preflight
