// HTTP expectations that accept a set, a range or a pattern (value_matcher.h),
// as a matrix against one Elasticsearch-like health answer: each operator
// where it holds and where it does not, on a JSON value, a header and the body,
// and each malformed operator as exit 2 naming where it is written.
#include <gtest/gtest.h>

#include "binary_harness.h"
#include "fixture_server.h"
#include "harness.h"

namespace preflight::testing {
namespace {

FixtureServer cluster_health() {
  return FixtureServer(Behaviour::http, {.http = [](int, const std::string&) {
                         return http_response(200, R"({"status":"yellow","number_of_nodes":3,"version":"8.11.1"})",
                                              "Content-Type: application/json\r\nX-Elastic-Product: Elasticsearch 8.11.1\r\n");
                       }});
}

TEST(HttpExpectations, SetsRangesAndPatternsHoldOrSayWhatWasExpected) {
  auto server = cluster_health();
  struct Row {
    std::string expect;  // the check's "expect" object
    std::string failure;  // empty: it holds
  };
  const std::vector<Row> rows = {
      {R"({"json":{"/status":"yellow"}})", ""},
      {R"({"json":{"/status":{"in":["yellow","green"]}}})", ""},
      {R"({"json":{"/status":{"in":["green"]}}})", R"(/status in the JSON from)"},
      {R"({"json":{"/status":{"in":["green"]}}})", R"(is "yellow", expected one of ["green"])"},
      {R"({"json":{"/number_of_nodes":{">=":3}}})", ""},
      {R"({"json":{"/number_of_nodes":{">":3}}})", "is 3, expected > 3"},
      {R"({"json":{"/number_of_nodes":{"<":3.5}}})", ""},
      {R"({"json":{"/number_of_nodes":{"<=":2}}})", "is 3, expected <= 2"},
      {R"({"json":{"/status":{">=":1}}})", R"(is "yellow", expected >= 1)"},
      {R"({"json":{"/version":{"matches":"^8\\.[0-9]+"}}})", ""},
      {R"({"json":{"/version":{"matches":"^7\\."}}})", R"(expected matching /^7\./)"},
      {R"({"json":{"/number_of_nodes":{"matches":"3"}}})", "expected matching /3/"},
      {R"({"header":{"X-Elastic-Product":{"matches":"Elasticsearch 8\\."}}})", ""},
      {R"({"header":{"x-elastic-product":{"in":["Elasticsearch 9.0.0"]}}})",
       R"(is "Elasticsearch 8.11.1" (expected it to be one of ["Elasticsearch 9.0.0"]))"},
      {R"({"header":{"X-Elastic-Product":"Elasticsearch"}})", ""},
      {R"({"json":{"/status":{"!=":"red"}}})", ""},
      {R"({"json":{"/status":{"!=":"yellow"}}})", R"(is "yellow", expected anything but "yellow")"},
      {R"({"json":{"/number_of_nodes":{"!=":"3"}}})", ""},
      // The body, whole, as a string.
      {R"({"body_contains":{"matches":"\"status\":\"(yellow|green)\""}})", ""},
      {R"({"body_contains":{"matches":"^\\{\"status\":\"green\""}})", R"(", expected matching /^\{"status":"green"/)"},
      {R"({"body_contains":{"in":["OK"]}})", R"(", expected one of ["OK"])"},
      {R"({"body_contains":"number_of_nodes"})", ""},
      // What the body should hold is no secret: a check's "expect" is shown.
      {R"({"body_contains":"red"})", R"(does not contain "red")"},
      // An object without an operator is still a value to be equal to.
      {R"({"json":{"/status":{"red":1}}})", R"(expected {"red":1})"},
      {R"({"json":{"/status":{"between":[1,3]}}})", R"(expected {"between":[1,3]})"},
  };
  for (const Row& row : rows) {
    auto r = run_one(fmt::format(R"({{"name":"es","type":"http","url":"http://127.0.0.1:{}/_cluster/health","expect":{}}})",
                                 server.port(), row.expect),
                     "2s", true);
    if (row.failure.empty()) {
      EXPECT_EQ(r.report.status, CheckStatus::passed) << row.expect << ": " << describe(r.report);
      continue;
    }
    ASSERT_TRUE(r.report.error) << row.expect << " passed";
    EXPECT_EQ(r.report.error->kind, FailureKind::unhealthy) << row.expect << ": " << describe(r.report);
    EXPECT_NE(r.report.error->message.find(row.failure), std::string::npos) << row.expect << ": " << r.report.error->message;
  }
}

TEST(HttpExpectations, AMalformedOperatorIsExitTwoNamingWhereItIsWritten) {
  TempDir dir;
  const std::vector<std::pair<std::string, std::string>> rows = {
      {R"({"json":{"/version":{"matches":"(8"}}})", R"(expect/json//version/matches: "(8" is not a valid POSIX extended regular expression)"},
      {R"({"json":{"/status":{"in":"green"}}})", "expect/json//status/in: expected a non-empty array of values"},
      {R"({"json":{"/nodes":{">=":"3"}}})", "expect/json//nodes/>=: expected a number"},
      {R"({"json":{"/nodes":{"=>":3}}})", "expect/json//nodes/=>: unknown operator (allowed: in, >=, >, <=, <, !=, matches)"},
      {R"({"body_contains":{"matches":"(ok"}})", R"(expect/body_contains/matches: "(ok" is not a valid)"},
      {R"({"body_contains":3})", "expect/body_contains: expected a string (text the body contains) or an operator"},
      {R"({"header":{"X-Version":{"matches":"["}}})", R"(expect/header/X-Version/matches: "[" is not a valid)"},
      {R"({"json":{"/v":{"matches":"((a{1,30}){1,30}){1,30}"}}})", "has more than 2 {m,n} intervals"},
      {R"({"json":{"/v":{"matches":"a{1,1000}"}}})", "repeats more than 32 times in an interval"},
      {R"({"json":{"/v":{"matches":"(a*)*\\1b"}}})", R"(holds a back-reference (\1), which is not allowed)"},
      {R"({"header":{"X-Version":3}})", "expect/header/X-Version: expected a string"},
  };
  for (const auto& [expect, said] : rows) {
    const std::string config = dir.write(
        "c.json", fmt::format(R"({{"phases":[{{"name":"p","checks":[{{"name":"es","type":"http","url":"http://127.0.0.1:1/",)"
                              R"("expect":{}}}]}}]}})",
                              expect));
    auto r = run_clean(cmd({"lint", "-c", config}));
    EXPECT_EQ(r.exit_code, 2) << expect << "\n" << r.out << r.err;
    EXPECT_NE(r.err.find(said), std::string::npos) << expect << "\n" << r.err;
  }
}

}  // namespace
}  // namespace preflight::testing
