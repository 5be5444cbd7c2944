// Diagnosis of failures that no loopback fixture can produce (a private
// address that times out only means something on Cloud Run).
#include "preflight/diagnose.h"

#include <gtest/gtest.h>

namespace preflight {
namespace {

struct Case {
  Plan plan;
  CheckReport report;
};

Case timed_out(const std::string& host_value) {
  VariableSet vars;
  vars.define("REDIS_HOST", Variable{host_value, ".env.production:12", false, false, std::nullopt});
  auto config = parse_config(R"({"phases":[{"name":"cache","checks":[{"name":"redis","type":"redis","url":"redis://${REDIS_HOST}:6379"}]}]})", "c.json");
  Case c{build_plan(*config, vars), {}};
  c.report.error = Failure{FailureKind::timeout, "connecting to 10.0.0.3:6379 timed out", {}};
  return c;
}

TEST(Diagnose, PrivateAddressTimingOutOnCloudRunPointsAtTheVpcPath) {
  Case c = timed_out("10.0.0.3");
  diagnose(c.report, c.plan.phases[0].checks[0], detect_platform({{"K_SERVICE", "api"}}, ""));
  EXPECT_NE(c.report.error->hint.find("Direct VPC egress"), std::string::npos) << c.report.error->hint;
  EXPECT_NE(c.report.error->hint.find("REDIS_HOST, .env.production:12"), std::string::npos) << c.report.error->hint;
}

TEST(Diagnose, TheSameTimeoutOffCloudRunIsNotBlamedOnTheVpc) {
  Case c = timed_out("10.0.0.3");
  diagnose(c.report, c.plan.phases[0].checks[0], detect_platform({}, ""));
  EXPECT_EQ(c.report.error->hint.find("VPC"), std::string::npos) << c.report.error->hint;
}

TEST(Diagnose, AHintAlreadyGivenIsKept) {
  Case c = timed_out("10.0.0.3");
  c.report.error->hint = "the probe's own";
  diagnose(c.report, c.plan.phases[0].checks[0], detect_platform({{"K_SERVICE", "api"}}, ""));
  EXPECT_EQ(c.report.error->hint, "the probe's own");
}

}  // namespace
}  // namespace preflight
