// A health route behind a login, against a real Django application
// (tests/support/django_login_wall.py, Debian's python3-django): the check
// fails at once with the cause, where it used to be retried until the
// phase's deadline and called "not ready yet; retrying is right".
#include <thread>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "binary_harness.h"

namespace preflight::testing {
namespace {

class DjangoLoginWall : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string port_file = dir.path() + "/port";
    app = std::make_unique<Process>(std::vector<std::string>{
        "/usr/bin/python3", std::string(PREFLIGHT_SOURCE_DIR) + "/tests/support/django_login_wall.py", port_file});
    for (int i = 0; i < 500 && !std::filesystem::exists(port_file); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(20));
    ASSERT_TRUE(std::filesystem::exists(port_file)) << "the Django application did not start (python3-django?)";
    base_url = "http://127.0.0.1:" + read_text_file(port_file);
  }
  void TearDown() override {
    app->signal(SIGKILL);
    app->wait(std::chrono::seconds(2));
  }
  ProcessResult run(const std::string& health_path, const std::string& extra = "") {
    auto config = dir.write("c.json", fmt::format(R"({{"phases":[{{"name":"services","timeout":"20s","checks":[
        {{"name":"orders","type":"http","url":"${{ORDERS_URL}}","health_path":"{}"{}}}]}}]}})", health_path, extra));
    return run_clean(cmd({"-c", config, "-o", "json"}), {{"ORDERS_URL", base_url}});
  }
  TempDir dir;
  std::unique_ptr<Process> app;
  std::string base_url;
};

TEST_F(DjangoLoginWall, TheRedirectToTheSignInPageFailsAtOnceNamingTheLogin) {
  auto r = run("/health");
  ASSERT_EQ(r.exit_code, 3) << r.out << r.err;
  auto check = nlohmann::json::parse(r.out)["phases"][0]["checks"][0];
  EXPECT_EQ(check["error"]["kind"], "invalid_config") << check.dump(2);
  // One attempt: a retry meets the same sign-in page (the bug: retried for
  // the whole 20 s phase).
  EXPECT_EQ(check["attempts"], 1) << check.dump(2);
  const std::string hint = check["error"]["hint"];
  EXPECT_NE(hint.find("/health is behind a login"), std::string::npos) << hint;
  EXPECT_NE(hint.find("ORDERS_URL"), std::string::npos) << hint;
  EXPECT_NE(std::string(check["error"]["message"]).find("/accounts/login/?next=/health"), std::string::npos) << check.dump(2);
}

TEST_F(DjangoLoginWall, FollowingTheRedirectToTheLoginFormIsNotAPass) {
  // The form answers 200: without the check of where the redirects ended,
  // this passed.
  auto r = run("/health", R"(,"follow_redirects":true)");
  ASSERT_EQ(r.exit_code, 3) << r.out << r.err;
  auto check = nlohmann::json::parse(r.out)["phases"][0]["checks"][0];
  EXPECT_NE(std::string(check["error"]["hint"]).find("behind a login"), std::string::npos) << check.dump(2);
}

TEST_F(DjangoLoginWall, AnExemptHealthRoutePasses) {
  auto r = run("/public/health");
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
}

}  // namespace
}  // namespace preflight::testing
