// The http probe against fixture HTTP servers and `openssl s_server`.
#include <signal.h>

#include <mutex>
#include <thread>

#include <gtest/gtest.h>

#include "binary_harness.h"
#include "certs.h"
#include "fixture_server.h"
#include "harness.h"
#include "refused_port.h"

namespace preflight::testing {
namespace {

std::string http_check(int port, const std::string& path, const std::string& extra = "") {
  return fmt::format(R"({{"name":"auth","type":"http","url":"http://127.0.0.1:{}{}"{}}})", port, path, extra);
}

FixtureServer serve(std::function<std::string(int, const std::string&)> handler) {
  return FixtureServer(Behaviour::http, {.http = std::move(handler)});
}

TEST(HttpProbe, PassesWhenStatusAndJsonMatch) {
  auto server = serve([](int, const std::string& request) {
    return request.starts_with("GET /health ") ? http_response(200, R"({"status":"healthy","db":{"ok":true}})")
                                               : http_response(404, "no");
  });
  auto r = run_one(http_check(server.port(), "/health", R"(,"expect":{"status":[200],"json":{"/status":"healthy","/db/ok":true}})"));
  EXPECT_EQ(r.report.status, CheckStatus::passed) << describe(r.report);
}

TEST(HttpProbe, JsonMismatchIsUnhealthyWithTheValue) {
  auto server = serve([](int, const std::string&) { return http_response(200, R"({"status":"degraded"})"); });
  auto r = run_one(http_check(server.port(), "/health", R"(,"expect":{"json":{"/status":"healthy"}})"), "400ms");
  ASSERT_TRUE(r.report.error);
  EXPECT_EQ(r.report.error->kind, FailureKind::unhealthy);
  EXPECT_NE(r.report.error->message.find("\"degraded\""), std::string::npos) << describe(r.report);
}

TEST(HttpProbe, RetriesA503UntilItBecomes200) {
  auto server = serve([](int n, const std::string&) { return n < 2 ? http_response(503, "warming up") : http_response(200, "ok"); });
  auto r = run_one(http_check(server.port(), "/health"), "3s");
  EXPECT_EQ(r.report.status, CheckStatus::passed) << describe(r.report);
  EXPECT_EQ(r.report.attempts, 3);
}

TEST(HttpProbe, TooManyRequestsIsUnhealthyWithStatusAndBody) {
  auto server = serve([](int, const std::string&) { return http_response(429, "slow down"); });
  auto r = run_one(http_check(server.port(), "/"), "300ms");
  ASSERT_TRUE(r.report.error);
  EXPECT_EQ(r.report.error->kind, FailureKind::unhealthy);
  EXPECT_NE(r.report.error->message.find("HTTP 429"), std::string::npos);
  EXPECT_NE(r.report.error->message.find("slow down"), std::string::npos);
}

TEST(HttpProbe, RedirectIsNotFollowedUnlessAskedAndALoopIsProtocol) {
  // A relative Location: the handler needs nothing from the test's thread.
  auto server = serve([](int, const std::string&) { return http_response(301, "", "Location: /again\r\n"); });
  auto plain = run_one(http_check(server.port(), "/"), "300ms", true);
  ASSERT_TRUE(plain.report.error);
  EXPECT_NE(plain.report.error->message.find("HTTP 301 (Location: "), std::string::npos) << describe(plain.report);
  auto loop = run_one(http_check(server.port(), "/", R"(,"follow_redirects":true)"), "2s");
  ASSERT_TRUE(loop.report.error);
  EXPECT_EQ(loop.report.error->kind, FailureKind::protocol) << describe(loop.report);
  EXPECT_NE(loop.report.error->message.find("redirect"), std::string::npos);
}

TEST(HttpProbe, BodyOverMaxBodyIsProtocol) {
  auto server = serve([](int, const std::string&) { return http_response(200, std::string(100000, 'x')); });
  auto r = run_one(http_check(server.port(), "/", R"(,"max_body":1000)"), "1s");
  ASSERT_TRUE(r.report.error);
  EXPECT_EQ(r.report.error->kind, FailureKind::protocol);
  EXPECT_NE(r.report.error->message.find("max_body"), std::string::npos);
}

TEST(HttpProbe, SlowHeadersGiveUpAtTheDeadline) {
  auto server = serve([](int, const std::string&) { return std::string(); });
  auto r = run_one(http_check(server.port(), "/"));
  ASSERT_TRUE(r.report.error);
  EXPECT_EQ(r.report.error->kind, FailureKind::timeout) << describe(r.report);
  EXPECT_NE(r.report.error->message.find("no response"), std::string::npos);
  EXPECT_GE(r.report.elapsed_ms, 1495);
  EXPECT_LE(r.report.elapsed_ms, 1500 + kDeadlineSlackMs);
}

TEST(HttpProbe, MethodHeadersBodyAndHeaderExpectations) {
  std::mutex mutex;  // the fixture's thread writes, this one reads
  std::string seen;
  auto server = serve([&](int, const std::string& request) {
    std::lock_guard lock(mutex);
    seen = request;
    return http_response(204, "", "X-Ready: yes-ready\r\n");
  });
  auto r = run_one(http_check(server.port(), "/ready",
                              R"(,"method":"post","headers":{"Authorization":"Bearer t0k3n"},"body":"{}",)"
                              R"("expect":{"status":["200-204"],"header":{"x-ready":"yes"}})"));
  EXPECT_EQ(r.report.status, CheckStatus::passed) << describe(r.report);
  std::lock_guard lock(mutex);
  EXPECT_TRUE(seen.starts_with("POST /ready ")) << seen;
  EXPECT_NE(seen.find("Authorization: Bearer t0k3n"), std::string::npos);
}

TEST(HttpProbe, NothingListeningIsRefused) {
  RefusedPort nothing;
  auto r = run_one(http_check(nothing.port(), "/"), "300ms");
  ASSERT_TRUE(r.report.error);
  EXPECT_EQ(r.report.error->kind, FailureKind::connection_refused);
}

TEST(HttpProbe, BadExpectationsAreConfigErrors) {
  for (const char* bad : {R"({"status":[99]})", R"({"status":["300-200"]})", R"({"status":[]})", R"({"json":{"status":1}})",
                          R"({"colour":1})"}) {
    auto config = parse_config(fmt::format(R"({{"phases":[{{"name":"p","checks":[{{"name":"c","type":"http","url":"http://h/","expect":{}}}]}}]}})", bad), "c.json");
    EXPECT_FALSE(config.ok()) << bad;
  }
}

class Https : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    pki_ = new TestPki(make_test_pki(*dir_));
    port_ = free_port();
    server_ = new Process({"openssl", "s_server", "-quiet", "-www", "-accept", std::to_string(port_), "-cert",
                           pki_->server_cert, "-key", pki_->server_key});
    for (int i = 0; i < 300; ++i) {  // at most 3 s
      if (run_one(fmt::format(R"({{"name":"t","type":"tcp","url":"tcp://127.0.0.1:{}"}})", port_), "50ms", true).report.status ==
          CheckStatus::passed) {
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  }
  static void TearDownTestSuite() {
    server_->signal(SIGTERM);
    server_->wait(std::chrono::seconds(2));
    delete server_;
    delete pki_;
    delete dir_;
  }
  static TempDir* dir_;
  static TestPki* pki_;
  static Process* server_;
  static int port_;
};
TempDir* Https::dir_ = nullptr;
TestPki* Https::pki_ = nullptr;
Process* Https::server_ = nullptr;
int Https::port_ = 0;

TEST_F(Https, VerifiesWithTheTestCa) {
  auto r = run_one(fmt::format(R"({{"name":"s","type":"http","url":"https://localhost:{}/","ca_file":"{}"}})", port_, pki_->ca_cert));
  EXPECT_EQ(r.report.status, CheckStatus::passed) << describe(r.report);
}

TEST_F(Https, UntrustedCertificateIsTlsAndNotRetried) {
  auto r = run_one(fmt::format(R"({{"name":"s","type":"http","url":"https://localhost:{}/","ca_file":"{}"}})", port_, pki_->other_ca_cert));
  ASSERT_TRUE(r.report.error);
  EXPECT_EQ(r.report.error->kind, FailureKind::tls) << describe(r.report);
  EXPECT_NE(r.report.error->hint.find("ca_file"), std::string::npos);
  EXPECT_EQ(r.report.attempts, 1);
}

}  // namespace
}  // namespace preflight::testing

namespace preflight::testing {
namespace {

// A 503's first bytes are its overall status: the reason is in the
// component that failed (Spring Boot Actuator's body here), shown whole
// and scrubbed; a server error's plain text is shown far enough to carry
// its reason.
TEST(HttpHealthBody, A503NamesTheFailingComponentAndItsReason) {
  const std::string actuator =
      std::string(R"J({"status":"DOWN","components":{"diskSpace":{"status":"UP","details":{"total":250685575168,)J"
                  R"J("free":121938382848,"threshold":10485760,"path":"/app/.","exists":true}},"ping":{"status":"UP"},)J"
                  R"J("db":{"status":"DOWN","details":{"error":"FATAL: password authentication failed for user \"app\" (password )J") +
      kCanary + R"J()"}}}})J";
  FixtureServer service(Behaviour::http, {.http = [&](int, const std::string&) {
                          return http_response(503, actuator, "Content-Type: application/vnd.spring-boot.actuator.v3+json\r\n");
                        }});
  const std::string plain = "Service Unavailable: " + std::string(120, '.') + " reason: database migrations have not run";
  FixtureServer text(Behaviour::http, {.http = [&](int, const std::string&) { return http_response(503, plain); }});
  for (const auto& [port, expected] : {std::pair{service.port(), std::string(R"(db DOWN: "FATAL: password authentication failed)")},
                                       std::pair{text.port(), std::string("reason: database migrations have not run")}}) {
    auto r = run_clean(cmd({"--once"}), {{"ORDERS_SERVICE_URL", fmt::format("http://127.0.0.1:{}", port)}, {"API_TOKEN", kCanary}});
    EXPECT_EQ(r.exit_code, 3) << r.out << r.err;
    EXPECT_NE(r.out.find(expected), std::string::npos) << r.out;
    expect_no_canary("503 body", r.out + r.err);
  }
}

}  // namespace
}  // namespace preflight::testing
