// The NATS check against a real nats-server (Debian's package): a token, a
// user and password, a server list, the default profile, TLS started after
// INFO; fixtures for what a real server does not do.
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <thread>

#include <gtest/gtest.h>

#include "binary_harness.h"
#include "certs.h"
#include "fixture_server.h"
#include "harness.h"
#include "loopback_daemon.h"
#include "refused_port.h"

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
  RefusedPort down, also_down;
  std::string list = fmt::format("nats://127.0.0.1:{}, nats://{}@127.0.0.1:{}", down.port(), kToken, with_token_->port());
  auto r = run_one(nats_check(list));
  EXPECT_EQ(r.report.status, CheckStatus::passed) << describe(r.report);
  auto none = run_one(nats_check(fmt::format("nats://127.0.0.1:{},127.0.0.1:{}", down.port(), also_down.port())), "300ms", true);
  ASSERT_TRUE(none.report.error);
  EXPECT_EQ(none.report.error->kind, FailureKind::connection_refused) << describe(none.report);
  EXPECT_NE(none.report.error->message.find("no server of the list"), std::string::npos) << describe(none.report);
}

// nats.go logs in to each server with its own URL's credentials: a token
// written on one URL only is not sent to the others (preflight sent it to
// every server, and passed where the app failed).
TEST_F(Nats, EachServerOfAListLogsInWithItsOwnUrlsCredentials) {
  RefusedPort down;
  // The server with the token is down; the one that answers wants the
  // token, which its own URL does not carry.
  auto own_only = run_one(nats_check(fmt::format("nats://{}@127.0.0.1:{},nats://127.0.0.1:{}", kToken, down.port(), with_token_->port())),
                          "1s", true);
  ASSERT_TRUE(own_only.report.error) << describe(own_only.report);
  EXPECT_EQ(own_only.report.error->kind, FailureKind::auth) << describe(own_only.report);
  // Each URL with its own credentials, or the check's token for a bare one.
  auto each = run_one(nats_check(fmt::format("nats://127.0.0.1:{},nats://app:{}@127.0.0.1:{}", down.port(), kPassword, with_user_->port())));
  EXPECT_EQ(each.report.status, CheckStatus::passed) << describe(each.report);
  auto option = run_one(nats_check(fmt::format("nats://app:{}@127.0.0.1:{},nats://127.0.0.1:{}", kPassword, down.port(), with_token_->port()),
                                   fmt::format(R"(,"token":"{}")", kToken)));
  EXPECT_EQ(option.report.status, CheckStatus::passed) << describe(option.report);
}

TEST_F(Nats, TheDefaultProfileReadsNatsUrl) {
  auto r = run_clean(cmd({"--once"}), {{"NATS_URL", fmt::format("nats://{}@127.0.0.1:{}", kToken, with_token_->port())}});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("nats"), std::string::npos) << r.out;
  EXPECT_EQ((r.out + r.err).find(kToken), std::string::npos) << r.out << r.err;
}

class NatsTls : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir;
    pki_ = new TestPki(make_test_pki(*dir_));
    tls_ = new NatsServer({"--tls", "--tlscert", pki_->server_cert, "--tlskey", pki_->server_key});
    wrong_name_ = new NatsServer({"--tls", "--tlscert", pki_->wrong_host_cert, "--tlskey", pki_->server_key});
    plain_ = new NatsServer({});
  }
  static void TearDownTestSuite() {
    delete plain_;
    delete wrong_name_;
    delete tls_;
    delete pki_;
    delete dir_;
  }
  void SetUp() override {
    if (tls_->unavailable()) GTEST_SKIP() << "nats-server is not installed";
  }
  static std::string ca() { return fmt::format(R"(,"ca_file":"{}")", pki_->ca_cert); }
  static TempDir* dir_;
  static TestPki* pki_;
  static NatsServer *tls_, *wrong_name_, *plain_;
};
TempDir* NatsTls::dir_ = nullptr;
TestPki* NatsTls::pki_ = nullptr;
NatsServer *NatsTls::tls_ = nullptr, *NatsTls::wrong_name_ = nullptr, *NatsTls::plain_ = nullptr;

TEST_F(NatsTls, TlsStartsAfterInfoAndIsVerifiedWithThePrivateCa) {
  auto r = run_one(nats_check(fmt::format("tls://localhost:{}", tls_->port()), ca()));
  EXPECT_EQ(r.report.status, CheckStatus::passed) << describe(r.report);
  EXPECT_EQ(r.report.attempts, 1);
}

// nats.go switches to TLS when the server's INFO requires it.
TEST_F(NatsTls, ANatsUrlToAServerThatRequiresTlsUpgradesToo) {
  auto r = run_one(nats_check(fmt::format("nats://127.0.0.1:{}", tls_->port()), ca()));
  EXPECT_EQ(r.report.status, CheckStatus::passed) << describe(r.report);
}

TEST_F(NatsTls, AnUntrustedOrMisnamedCertificateFailsFast) {
  auto untrusted = run_one(nats_check(fmt::format("tls://localhost:{}", tls_->port())), "2s");
  ASSERT_TRUE(untrusted.report.error);
  EXPECT_EQ(untrusted.report.error->kind, FailureKind::tls) << describe(untrusted.report);
  EXPECT_EQ(untrusted.report.error->code, "UNABLE_TO_GET_ISSUER_CERT_LOCALLY") << describe(untrusted.report);
  EXPECT_EQ(untrusted.report.attempts, 1);
  auto misnamed = run_one(nats_check(fmt::format("tls://localhost:{}", wrong_name_->port()), ca()), "2s");
  ASSERT_TRUE(misnamed.report.error);
  EXPECT_EQ(misnamed.report.error->kind, FailureKind::tls) << describe(misnamed.report);
  EXPECT_EQ(misnamed.report.error->code, "HOSTNAME_MISMATCH") << describe(misnamed.report);
}

TEST_F(NatsTls, TlsToAServerWithoutItSaysSo) {
  auto r = run_one(nats_check(fmt::format("tls://localhost:{}", plain_->port()), ca()), "2s");
  ASSERT_TRUE(r.report.error);
  EXPECT_EQ(r.report.error->kind, FailureKind::tls) << describe(r.report);
  EXPECT_NE(r.report.error->message.find("does not offer TLS"), std::string::npos) << describe(r.report);
}

// Sends a NATS INFO that requires TLS to each connection, then nothing: a
// TLS handshake that never completes.
class InfoThenSilence {
 public:
  InfoThenSilence() {
    fd_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    listen(fd_, 8);
    socklen_t len = sizeof addr;
    getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    thread_ = std::thread([this] {
      while (!stop_) {
        pollfd p{fd_, POLLIN, 0};
        if (poll(&p, 1, 20) <= 0) continue;  // wakes every 20 ms to see stop_
        int c = accept4(fd_, nullptr, nullptr, SOCK_CLOEXEC);
        const std::string info = "INFO {\"server_id\":\"x\",\"tls_required\":true}\r\n";
        if (c >= 0 && send(c, info.data(), info.size(), MSG_NOSIGNAL) >= 0) held_.push_back(c);
      }
      for (int c : held_) close(c);
    });
  }
  ~InfoThenSilence() {
    stop_ = true;
    thread_.join();
    close(fd_);
  }
  int port() const { return port_; }

 private:
  int fd_ = -1, port_ = 0;
  std::atomic<bool> stop_{false};
  std::vector<int> held_;  // the accepting thread's only
  std::thread thread_;
};

TEST(NatsProbe, AStalledTlsHandshakeEndsAtTheDeadlineAndNamesTheStage) {
  InfoThenSilence server;
  auto r = run_one(nats_check(fmt::format("tls://127.0.0.1:{}", server.port())), "400ms");
  ASSERT_TRUE(r.report.error);
  EXPECT_EQ(r.report.error->kind, FailureKind::timeout) << describe(r.report);
  EXPECT_EQ(to_string(r.report.error->stage), "tls") << describe(r.report);
  EXPECT_LT(r.phase_ms, 400 + kDeadlineSlackMs);
}

TEST(NatsProbe, AnHttpServerOnThePortIsNotNats) {
  FixtureServer http(Behaviour::http, {.http = [](int, const std::string&) { return http_response(200, "ok"); }});
  // An HTTP server waits for a request and NATS for INFO: neither speaks.
  auto r = run_one(nats_check(fmt::format("nats://127.0.0.1:{}", http.port())), "300ms", true);
  ASSERT_TRUE(r.report.error);
  EXPECT_EQ(r.report.error->kind, FailureKind::timeout) << describe(r.report);
  EXPECT_EQ(to_string(r.report.error->stage), "reply") << describe(r.report);
}

TEST(NatsProbe, AServerThatClosesAtOnceIsAProtocolFailure) {
  FixtureServer closer(Behaviour::close_on_accept);
  auto r = run_one(nats_check(fmt::format("nats://127.0.0.1:{}", closer.port())), "300ms", true);
  ASSERT_TRUE(r.report.error);
  EXPECT_EQ(r.report.error->kind, FailureKind::protocol) << describe(r.report);
}

}  // namespace
}  // namespace preflight::testing
