// The scrub walks the report as a tree: a secret in any string field,
// whichever field it is, reaches none of the three renderers' outputs.
#include <gtest/gtest.h>

#include "base/redact.h"
#include "report/render.h"

namespace preflight {
namespace {

constexpr std::string_view kCanary = "Qz7vK9pLmW3xHt";

// A report with every optional part present, so that the walk has every
// kind of field to reach: an error with socket facts, a finding, a
// warning, a passed check's warning, lint's parts and their sources.
RunReport report_with_every_field() {
  RunReport r;
  r.status = RunStatus::failed;
  r.exit_code = 3;
  r.failed_checks = {"p/c"};
  r.findings = {Finding{"V", "env", FailureKind::placeholder, "m", "h", "p/c"}};
  r.warnings = {"w"};
  r.failed_phase = "p";
  CheckReport c;
  c.status = CheckStatus::failed;
  c.error = Failure{FailureKind::auth, "m", "h", Stage::login, "code", "127.0.0.1:1"};
  c.error->socket_facts = SocketFacts{"/s", false, "/", {"entry"}};
  c.warnings = {"w"};
  c.sources = {{"password", "from"}};
  PhaseReport p;
  p.status = PhaseStatus::failed;
  p.checks = {c};
  r.phases = {p};
  return r;
}

std::vector<std::string> outputs(const RunReport& r) {
  return {render_text(r, TextStyle{}), render_json(r), render_junit(r)};
}

// Every string of the report holds the canary as a word of its own.
TEST(ScrubReport, ASecretInAnyStringFieldReachesNoRenderer) {
  RunReport report = report_with_every_field();
  int fields = 0;
  for_each_string(report, [&](std::string& s) {
    s = fmt::format("a {} b", kCanary);
    ++fields;
  });
  // 24 strings in the report above: a walk that skipped a branch (the
  // error, the findings, the socket facts) would visit fewer.
  EXPECT_EQ(fields, 24);
  // Without the scrub, the renderers would print it: the test can fail.
  for (const auto& out : outputs(report)) ASSERT_NE(out.find(kCanary), std::string::npos);

  scrub_report(report, Redactor({std::string(kCanary)}));
  for (const auto& out : outputs(report)) {
    for (size_t at = 0; at + 5 <= kCanary.size(); ++at) {
      EXPECT_EQ(out.find(kCanary.substr(at, 5)), std::string::npos) << kCanary.substr(at, 5) << " in:\n" << out;
    }
  }
}

// A Redis error whose first word is the password (AUTH sent to a server
// that echoes its argument): the code is built from server text.
TEST(ScrubReport, AnErrorCodeMadeOfServerTextIsScrubbed) {
  RunReport report = report_with_every_field();
  report.phases[0].checks[0].error->code = std::string(kCanary);
  scrub_report(report, Redactor({std::string(kCanary)}));
  EXPECT_EQ(report.phases[0].checks[0].error->code, "***");
  EXPECT_EQ(render_json(report).find(kCanary), std::string::npos);
}

}  // namespace
}  // namespace preflight
