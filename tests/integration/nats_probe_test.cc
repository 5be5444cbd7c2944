// The NATS check against a real nats-server (Debian's package): a token, a
// user and password, a server list, the default profile; fixtures for what
// a real server does not do.
#include <gtest/gtest.h>

#include "binary_harness.h"
#include "fixture_server.h"
#include "harness.h"
#include "loopback_daemon.h"

namespace preflight::testing {
namespace {

constexpr const char* kToken = "nats-token-canary-7Q";
constexpr const char* kPassword = "nats-pw-canary-3Z";

// nats-server on a free loopback port with `auth` flags ("--auth", TOKEN or
// "--user", U, "--pass", P).
class NatsServer : public LoopbackDaemon {
 public:
  explicit NatsServer(std::vector<std::string> auth)
      : LoopbackDaemon([auth](int port) {
          std::vector<std::string> argv = {"/usr/sbin/nats-server", "-a", "127.0.0.1", "-p", std::to_string(port)};
          argv.insert(argv.end(), auth.begin(), auth.end());
          return argv;
        }) {}
};

std::string nats_check(const std::string& url, const std::string& extra = "") {
  return fmt::format(R"({{"name":"n","type":"nats","url":"{}"{}}})", url, extra);
}

class Nats : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    with_token_ = new NatsServer({"--auth", kToken});
    with_user_ = new NatsServer({"--user", "app", "--pass", kPassword});
  }
  static void TearDownTestSuite() {
    delete with_token_;
    delete with_user_;
  }
  void SetUp() override {
    if (with_token_->unavailable()) GTEST_SKIP() << "nats-server is not installed";
  }
  static NatsServer* with_token_;
  static NatsServer* with_user_;
};
NatsServer* Nats::with_token_ = nullptr;
NatsServer* Nats::with_user_ = nullptr;

TEST_F(Nats, ATokenInTheUrlCompletesTheHandshake) {
  auto r = run_one(nats_check(fmt::format("nats://{}@127.0.0.1:{}", kToken, with_token_->port())));
  EXPECT_EQ(r.report.status, CheckStatus::passed) << describe(r.report);
  EXPECT_EQ(r.report.attempts, 1);
}

TEST_F(Nats, ATokenFieldAndAUserWithAPasswordPassToo) {
  auto token = run_one(nats_check(fmt::format("nats://127.0.0.1:{}", with_token_->port()), fmt::format(R"(,"token":"{}")", kToken)));
  EXPECT_EQ(token.report.status, CheckStatus::passed) << describe(token.report);
  auto user = run_one(nats_check(fmt::format("nats://app:{}@127.0.0.1:{}", kPassword, with_user_->port())));
  EXPECT_EQ(user.report.status, CheckStatus::passed) << describe(user.report);
}

TEST_F(Nats, AWrongPasswordIsAuthFailingFastWithoutShowingIt) {
  auto r = run_one(nats_check(fmt::format("nats://app:stale-{}@127.0.0.1:{}", kPassword, with_user_->port())), "2s");
  ASSERT_TRUE(r.report.error);
  EXPECT_EQ(r.report.error->kind, FailureKind::auth) << describe(r.report);
  EXPECT_NE(r.report.error->message.find("Authorization Violation"), std::string::npos) << describe(r.report);
  EXPECT_EQ(r.report.attempts, 1);
  EXPECT_EQ(describe(r.report).find(kPassword), std::string::npos) << describe(r.report);
}

TEST_F(Nats, NoCredentialsForAServerThatWantsThemSaysNoneWereSent) {
  auto r = run_one(nats_check(fmt::format("nats://127.0.0.1:{}", with_token_->port())), "2s");
  ASSERT_TRUE(r.report.error);
  EXPECT_EQ(r.report.error->kind, FailureKind::auth) << describe(r.report);
  EXPECT_NE(r.report.error->hint.find("none were sent"), std::string::npos) << describe(r.report);
}

// nats.go reads a comma-separated list and is connected when one server is.
TEST_F(Nats, AServerListPassesWhenOneServerAnswers) {
  std::string list = fmt::format("nats://127.0.0.1:{}, nats://{}@127.0.0.1:{}", free_port(), kToken, with_token_->port());
  auto r = run_one(nats_check(list));
  EXPECT_EQ(r.report.status, CheckStatus::passed) << describe(r.report);
  auto none = run_one(nats_check(fmt::format("nats://127.0.0.1:{},127.0.0.1:{}", free_port(), free_port())), "300ms", true);
  ASSERT_TRUE(none.report.error);
  EXPECT_EQ(none.report.error->kind, FailureKind::connection_refused) << describe(none.report);
  EXPECT_NE(none.report.error->message.find("no server of the list"), std::string::npos) << describe(none.report);
}

TEST_F(Nats, TheDefaultProfileReadsNatsUrl) {
  auto r = run_clean(cmd({"--once"}), {{"NATS_URL", fmt::format("nats://{}@127.0.0.1:{}", kToken, with_token_->port())}});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("nats"), std::string::npos) << r.out;
  EXPECT_EQ((r.out + r.err).find(kToken), std::string::npos) << r.out << r.err;
}

TEST(NatsProbe, AnHttpServerOnThePortIsNotNats) {
  FixtureServer http(Behaviour::http, {.http = [](int, const std::string&) { return http_response(200, "ok"); }});
  // An HTTP server waits for a request and NATS for INFO: neither speaks.
  auto r = run_one(nats_check(fmt::format("nats://127.0.0.1:{}", http.port())), "300ms", true);
  ASSERT_TRUE(r.report.error);
  EXPECT_EQ(r.report.error->kind, FailureKind::timeout) << describe(r.report);
  EXPECT_EQ(r.report.error->stage, "reply") << describe(r.report);
}

TEST(NatsProbe, AServerThatClosesAtOnceIsAProtocolFailure) {
  FixtureServer closer(Behaviour::close_on_accept);
  auto r = run_one(nats_check(fmt::format("nats://127.0.0.1:{}", closer.port())), "300ms", true);
  ASSERT_TRUE(r.report.error);
  EXPECT_EQ(r.report.error->kind, FailureKind::protocol) << describe(r.report);
}

TEST(NatsProbe, TlsIsRefusedOfflineWithTheReason) {
  auto r = run_one(nats_check("tls://127.0.0.1:4222"), "300ms", true);
  ASSERT_TRUE(r.report.error);
  EXPECT_EQ(r.report.error->kind, FailureKind::invalid_config) << describe(r.report);
  EXPECT_NE(r.report.error->message.find("starts TLS after INFO"), std::string::npos) << describe(r.report);
}

}  // namespace
}  // namespace preflight::testing
