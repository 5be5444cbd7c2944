// The built-in profile joins /health to every *_SERVICE_URL and accepts any
// answer below 500 (the service is up). Against a real web server that has
// no such route (Python's http.server over an empty directory), the check
// passes, and says that nothing of the service's health was checked
// (issue 28, class 8: it passed in silence).
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "binary_harness.h"
#include "loopback_daemon.h"

namespace preflight::testing {
namespace {

TEST(GuessedHealthPath, A404AtTheGuessedPathPassesWithAWarningInEveryReport) {
  TempDir empty;
  LoopbackDaemon web([&](int port) {
    return std::vector<std::string>{"/usr/bin/python3", "-m", "http.server", "--bind", "127.0.0.1", "--directory",
                                    empty.path(), std::to_string(port)};
  });
  ASSERT_FALSE(web.unavailable());
  const std::map<std::string, std::string> env = {{"ORDERS_SERVICE_URL", fmt::format("http://127.0.0.1:{}", web.port())}};

  auto json_run = run_clean(cmd({"-o", "json"}), env);
  ASSERT_EQ(json_run.exit_code, 0) << json_run.out << json_run.err;
  auto check = nlohmann::json::parse(json_run.out)["phases"][2]["checks"][0];
  ASSERT_EQ(check["name"], "orders") << check.dump(2);
  ASSERT_TRUE(check.contains("warnings")) << check.dump(2);
  const std::string warning = check["warnings"][0];
  EXPECT_NE(warning.find("answered 404"), std::string::npos) << warning;
  EXPECT_NE(warning.find("no route at /health"), std::string::npos) << warning;

  auto text_run = run_clean(cmd({}), env);
  EXPECT_EQ(text_run.exit_code, 0) << text_run.out << text_run.err;
  EXPECT_NE(text_run.out.find("set \"health_path\" to its health route"), std::string::npos) << text_run.out;

  // A config that expects 404 itself (a route that must be absent) asked
  // for it: no warning.
  TempDir dir;
  auto config = dir.write("c.json", R"({"phases":[{"name":"p","checks":[{"name":"gone","type":"http",
      "url":"${ORDERS_SERVICE_URL}/old-route","expect":{"status":[404]}}]}]})");
  auto asked = run_clean(cmd({"-c", config, "-o", "json"}), env);
  ASSERT_EQ(asked.exit_code, 0) << asked.out << asked.err;
  EXPECT_FALSE(nlohmann::json::parse(asked.out)["phases"][0]["checks"][0].contains("warnings")) << asked.out;
}

}  // namespace
}  // namespace preflight::testing
