// A service checked in a phase before the dependency it reports down: the
// hint says to put that dependency's phase first (issue 28 class 7). The
// service is a fixture answering 503 with a Spring Boot Actuator body.
#include <gtest/gtest.h>

#include "binary_harness.h"
#include "fixture_server.h"
#include "refused_port.h"

namespace preflight::testing {
namespace {

FixtureServer service_reporting_down(const std::string& component) {
  return FixtureServer(Behaviour::http, {.http = [component](int, const std::string&) {
                         return http_response(
                             503,
                             fmt::format(R"({{"status":"DOWN","components":{{"{}":{{"status":"DOWN","details":)"
                                         R"({{"error":"Connection refused"}}}},"ping":{{"status":"UP"}}}}}})",
                                         component),
                             "Content-Type: application/json\r\n");
                       }});
}

std::string two_phases(int service_port, int database_port, bool database_first) {
  const std::string services = fmt::format(
      R"({{"name":"services","timeout":"500ms","checks":[{{"name":"api","type":"http","url":"http://127.0.0.1:{}/actuator/health"}}]}})",
      service_port);
  const std::string database = fmt::format(
      R"({{"name":"database","timeout":"500ms","checks":[{{"name":"db","type":"postgres","url":"postgres://app@127.0.0.1:{}/app"}}]}})",
      database_port);
  return fmt::format(R"({{"phases":[{},{}]}})", database_first ? database : services, database_first ? services : database);
}

TEST(PhaseOrder, AServiceReportingItsDatabaseDownBeforeTheDatabasePhaseSaysToReorder) {
  TempDir dir;
  RefusedPort database;
  struct Row {
    std::string component;
    bool database_first;
    bool noted;
  };
  const std::vector<Row> rows = {
      {"db", false, true},
      {"dataSource", false, true},        // Spring's name for a JDBC pool, camel case
      {"postgresHealth", false, true},
      {"mail", false, false},             // no later check probes a mail server
      {"redis", false, false},            // the later phase has no redis check
      {"db", true, false},                // the database phase already runs first
  };
  for (const Row& row : rows) {
    auto service = service_reporting_down(row.component);
    auto r = run_clean(cmd({"-c", dir.write("c.json", two_phases(service.port(), database.port(), row.database_first)),
                            "--keep-going"}));
    EXPECT_EQ(r.exit_code, 3) << r.out << r.err;
    const std::string note = fmt::format(R"(It says {} is failing, and postgres is checked in a later phase, "database" (check "db"): )",
                                         row.component);
    EXPECT_EQ(r.out.find(note) != std::string::npos, row.noted) << row.component << "\n" << r.out;
    if (row.noted) {
      EXPECT_NE(r.out.find(R"(put phase "database" before "services")"), std::string::npos) << r.out;
    }
  }
}

}  // namespace
}  // namespace preflight::testing
