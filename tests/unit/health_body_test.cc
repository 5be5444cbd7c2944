// The failing components of health bodies, in the formats the common health
// libraries document: what a 503 says beyond its overall status.
#include <gtest/gtest.h>

#include "probes/http/health_body.h"

namespace preflight {
namespace {

std::string one_line(const std::vector<FailingComponent>& found) {
  std::string out;
  for (const auto& c : found) out += (out.empty() ? "" : " | ") + c.name + " " + c.status + ": " + c.reason;
  return out;
}

TEST(FailingComponents, EachLibrarysFormatNamesTheComponentAndItsReason) {
  struct Row {
    std::string library, body, expected;
  };
  const std::vector<Row> rows = {
      // Spring Boot Actuator 2.2+ (/actuator/health with show-details).
      {"spring-boot",
       R"({"status":"DOWN","components":{"db":{"status":"DOWN","details":{"error":"org.postgresql.util.PSQLException: Connection refused"}},"diskSpace":{"status":"UP"},"ping":{"status":"UP"}}})",
       "db DOWN: org.postgresql.util.PSQLException: Connection refused"},
      // Spring Boot, a group with a nested failing member: the member.
      {"spring-boot nested",
       R"({"status":"DOWN","components":{"db":{"status":"DOWN","components":{"primary":{"status":"UP"},"reporting":{"status":"DOWN","details":{"error":"timeout"}}}}}})",
       "db/reporting DOWN: timeout"},
      // ASP.NET Core with HealthChecks.UI.Client's UIResponseWriter.
      {"aspnetcore",
       R"({"status":"Unhealthy","totalDuration":"00:00:05.01","entries":{"npgsql":{"data":{},"description":"Failed to connect to 10.0.0.5:5432","duration":"00:00:05","exception":"Npgsql.NpgsqlException","status":"Unhealthy"},"self":{"status":"Healthy"}}})",
       "npgsql Unhealthy: Failed to connect to 10.0.0.5:5432"},
      // The IETF health+json draft (draft-inadarei-api-health-check).
      {"health+json",
       R"({"status":"fail","checks":{"cassandra:responseTime":[{"componentId":"dfd6cf2b","status":"fail","output":"timed out after 2s"}],"uptime":[{"status":"pass"}]}})",
       "cassandra:responseTime fail: timed out after 2s"},
      // MicroProfile Health 3.
      {"microprofile",
       R"({"status":"DOWN","checks":[{"name":"kafka","status":"DOWN","data":{"error":"broker not available"}},{"name":"db","status":"UP"}]})",
       "kafka DOWN: broker not available"},
      // hellofresh/health-go.
      {"health-go", R"({"status":"Unavailable","failures":{"postgres":"dial tcp 10.0.0.5:5432: connect: connection refused"}})",
       "postgres failure: dial tcp 10.0.0.5:5432: connect: connection refused"},
      // A flat body: its own status and reason.
      {"flat", R"({"status":"error","message":"migrations pending: 0042_add_orders"})", " error: migrations pending: 0042_add_orders"},
      // Nothing failing, not JSON, or a failure without any name or reason.
      {"all up", R"({"status":"UP","components":{"db":{"status":"UP"}}})", ""},
      {"not json", "Service Unavailable", ""},
      {"bare status", R"({"status":"DOWN"})", ""},
  };
  for (const Row& row : rows) EXPECT_EQ(one_line(failing_components(row.body)), row.expected) << row.library;
}

TEST(FailingComponents, AtMostThreeInTheBodysOrderAndNoDeeperThanADocumentCanBe) {
  const std::string body =
      R"({"status":"DOWN","components":{"z":{"status":"DOWN"},"a":{"status":"DOWN"},"m":{"status":"DOWN"},"b":{"status":"DOWN"}}})";
  auto found = failing_components(body);
  ASSERT_EQ(found.size(), 3u);
  EXPECT_EQ(found[0].name, "z");
  EXPECT_EQ(found[1].name, "a");
  std::string deep;
  for (int i = 0; i < 5000; ++i) deep += R"({"x":)";
  deep += "1";
  for (int i = 0; i < 5000; ++i) deep += "}";
  EXPECT_TRUE(failing_components(deep).empty());
}

}  // namespace
}  // namespace preflight
