// The grpc check against a server built from the official gRPC C++ library
// with the library's own health service (tests/support/grpc_health_server.cc):
// SERVING, NOT_SERVING, an unknown service, no health service at all, TLS
// with a private CA, a server-name override and a bearer token as metadata.
#include <gtest/gtest.h>

#include "binary_harness.h"
#include "certs.h"
#include "fixture_server.h"
#include "harness.h"
#include "loopback_daemon.h"
#include "refused_port.h"

namespace preflight::testing {
namespace {

constexpr const char* kToken = "grpc-token-canary-4K";

class GrpcServer : public LoopbackDaemon {
 public:
  explicit GrpcServer(std::vector<std::string> flags = {})
      : LoopbackDaemon([flags](int port) {
          std::vector<std::string> argv = {GRPC_HEALTH_SERVER, std::to_string(port)};
          argv.insert(argv.end(), flags.begin(), flags.end());
          return argv;
        }) {}
};

std::string grpc_check(const std::string& url, const std::string& extra = "") {
  return fmt::format(R"({{"name":"g","type":"grpc","url":"{}"{}}})", url, extra);
}

class Grpc : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir;
    pki_ = new TestPki(make_test_pki(*dir_));
    socket_ = dir_->path() + "/grpc.sock";
    plain_ = new GrpcServer({"--unix", socket_});
    no_health_ = new GrpcServer({"--no-health"});
    tls_ = new GrpcServer({"--tls", pki_->server_cert, pki_->server_key, "--token", kToken});
    other_name_ = new GrpcServer({"--tls", pki_->wrong_host_cert, pki_->server_key});
  }
  static void TearDownTestSuite() {
    delete other_name_;
    delete tls_;
    delete no_health_;
    delete plain_;
    delete pki_;
    delete dir_;
  }
  void SetUp() override { ASSERT_FALSE(plain_->unavailable()) << "the gRPC test server did not start"; }

  static std::string plain(const std::string& path = "") { return fmt::format("grpc://127.0.0.1:{}{}", plain_->port(), path); }
  static std::string ca() { return fmt::format(R"(,"ca_file":"{}")", pki_->ca_cert); }
  static std::string bearer(const std::string& token) { return fmt::format(R"(,"metadata":{{"authorization":"Bearer {}"}})", token); }

  static TempDir* dir_;
  static std::string socket_;
  static TestPki* pki_;
  static GrpcServer *plain_, *no_health_, *tls_, *other_name_;
};
TempDir* Grpc::dir_ = nullptr;
std::string Grpc::socket_;
TestPki* Grpc::pki_ = nullptr;
GrpcServer *Grpc::plain_ = nullptr, *Grpc::no_health_ = nullptr, *Grpc::tls_ = nullptr, *Grpc::other_name_ = nullptr;

TEST_F(Grpc, AServingServerPassesInOneAttempt) {
  auto r = run_one(grpc_check(plain()));
  EXPECT_EQ(r.report.status, CheckStatus::passed) << describe(r.report);
  EXPECT_EQ(r.report.attempts, 1);
}

TEST_F(Grpc, TheServiceComesFromItsFieldOrTheUrlPath) {
  auto field = run_one(grpc_check(plain(), R"(,"service":"well")"));
  EXPECT_EQ(field.report.status, CheckStatus::passed) << describe(field.report);
  auto path = run_one(grpc_check(plain("/well")));
  EXPECT_EQ(path.report.status, CheckStatus::passed) << describe(path.report);
  // The path is read, not ignored: a sick service named there fails.
  auto sick = run_one(grpc_check(plain("/sick")), "300ms", true);
  EXPECT_EQ(sick.report.status, CheckStatus::failed) << describe(sick.report);
}

TEST_F(Grpc, NotServingIsUnhealthyAndRetried) {
  auto r = run_one(grpc_check(plain(), R"(,"service":"sick")"), "500ms");
  ASSERT_TRUE(r.report.error);
  EXPECT_EQ(r.report.error->kind, FailureKind::unhealthy) << describe(r.report);
  EXPECT_EQ(r.report.error->code, "NOT_SERVING");
  EXPECT_NE(r.report.error->message.find("NOT_SERVING for service \"sick\""), std::string::npos) << describe(r.report);
  EXPECT_GT(r.report.attempts, 1);
}

TEST_F(Grpc, AnUnknownServiceShowsTheServersOwnMessage) {
  auto r = run_one(grpc_check(plain(), R"(,"service":"pkg.Nope")"), "300ms", true);
  ASSERT_TRUE(r.report.error);
  EXPECT_EQ(r.report.error->kind, FailureKind::unhealthy) << describe(r.report);
  EXPECT_EQ(r.report.error->code, "NOT_FOUND");
  // grpc-message as the C++ library words it.
  EXPECT_NE(r.report.error->message.find("\"service name unknown\""), std::string::npos) << describe(r.report);
  EXPECT_NE(r.report.error->hint.find("fully-qualified"), std::string::npos) << describe(r.report);
}

// The remedy is to change the name where it was set: the URL's variable,
// or the variable in the "service" field (issue 28, class 5).
TEST_F(Grpc, AnUnknownServiceNamesWhereTheNameWasSet) {
  auto in_url = run_one(grpc_check("${PAYMENTS_SERVICE_URL}"), "300ms", true,
                        vars_from({{"PAYMENTS_SERVICE_URL", plain() + "/pkg.Payments", ".env:7"}}));
  ASSERT_TRUE(in_url.report.error);
  EXPECT_EQ(in_url.report.error->cause, Cause::unknown_service) << describe(in_url.report);
  EXPECT_NE(in_url.report.error->hint.find("does not know \"pkg.Payments\" (set in the URL's path (from "
                                           "PAYMENTS_SERVICE_URL, .env:7))"),
            std::string::npos)
      << describe(in_url.report);
  auto in_field = run_one(grpc_check(plain(), R"(,"service":"${HEALTH_SERVICE}")"), "300ms", true,
                          vars_from({{"HEALTH_SERVICE", "pkg.Nope", "/run/secrets/svc"}}));
  ASSERT_TRUE(in_field.report.error);
  EXPECT_NE(in_field.report.error->hint.find("(set in the check's \"service\" field (from HEALTH_SERVICE, /run/secrets/svc))"),
            std::string::npos)
      << describe(in_field.report);
}

TEST_F(Grpc, AServerWithoutAHealthServiceFailsFastAndSaysSo) {
  auto r = run_one(grpc_check(fmt::format("grpc://127.0.0.1:{}", no_health_->port())), "2s");
  ASSERT_TRUE(r.report.error);
  EXPECT_EQ(r.report.error->kind, FailureKind::invalid_config) << describe(r.report);
  EXPECT_EQ(r.report.error->code, "UNIMPLEMENTED");
  // Not 1: an attempt whose answer libcurl lost (the server answers before
  // it reads the request) is retried; the answer then ends the check.
  EXPECT_NE(r.report.error->hint.find("grpc.health.v1.Health"), std::string::npos) << describe(r.report);
}

TEST_F(Grpc, TlsWithAPrivateCaAndTheTokenAsMetadataPasses) {
  auto r = run_one(grpc_check(fmt::format("grpcs://localhost:{}", tls_->port()), ca() + bearer(kToken)));
  EXPECT_EQ(r.report.status, CheckStatus::passed) << describe(r.report);
}

TEST_F(Grpc, AWrongTokenIsAuthFailingFast) {
  auto r = run_one(grpc_check(fmt::format("grpcs://localhost:{}", tls_->port()), ca() + bearer(std::string("stale-") + kToken)), "2s");
  ASSERT_TRUE(r.report.error);
  EXPECT_EQ(r.report.error->kind, FailureKind::auth) << describe(r.report);
  EXPECT_EQ(r.report.error->code, "UNAUTHENTICATED");
  // The server quotes the token it was sent; the outputs mask it
  // (SecretClasses.AGrpcServerQuotingTheTokenShowsNoneOfIt runs the binary).
  EXPECT_NE(r.report.error->message.find("rejected authorization"), std::string::npos) << describe(r.report);
}

TEST_F(Grpc, WithoutTheCaTheCertificateIsUntrusted) {
  auto r = run_one(grpc_check(fmt::format("grpcs://localhost:{}", tls_->port()), bearer(kToken)), "2s");
  ASSERT_TRUE(r.report.error);
  EXPECT_EQ(r.report.error->kind, FailureKind::tls) << describe(r.report);
  EXPECT_EQ(r.report.attempts, 1);
}

// grpc-health-probe's -tls-server-name: the certificate names another host
// than the one dialled.
TEST_F(Grpc, ServerNameVerifiesTheCertificateAgainstAnotherName) {
  const std::string url = fmt::format("grpcs://127.0.0.1:{}", other_name_->port());
  auto wrong = run_one(grpc_check(url, ca()), "2s");
  ASSERT_TRUE(wrong.report.error);
  EXPECT_EQ(wrong.report.error->kind, FailureKind::tls) << describe(wrong.report);
  auto named = run_one(grpc_check(url, ca() + R"(,"server_name":"db.other.internal")"));
  EXPECT_EQ(named.report.status, CheckStatus::passed) << describe(named.report);
}

TEST_F(Grpc, CleartextToATlsServerIsNotMistakenForHealth) {
  auto r = run_one(grpc_check(fmt::format("grpc://127.0.0.1:{}", tls_->port())), "300ms", true);
  ASSERT_TRUE(r.report.error);
  EXPECT_EQ(r.report.status, CheckStatus::failed);
  EXPECT_NE(r.report.error->kind, FailureKind::unhealthy) << describe(r.report);
}

TEST_F(Grpc, TlsSettingsOnACleartextUrlAreRefusedOffline) {
  auto r = run_one(grpc_check(plain(), ca()), "300ms", true);
  ASSERT_TRUE(r.report.error);
  EXPECT_EQ(r.report.error->kind, FailureKind::invalid_config) << describe(r.report);
  EXPECT_NE(r.report.error->message.find("grpcs://"), std::string::npos) << describe(r.report);
}

TEST_F(Grpc, AServiceUrlWithAGrpcSchemeGetsAGrpcCheckInTheDefaultProfile) {
  auto r = run_clean(cmd({"--once", "--output", "json"}), {{"PAYMENTS_SERVICE_URL", plain()}});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  auto report = json::parse(r.out, nullptr, false);
  ASSERT_FALSE(report.is_discarded()) << r.out;
  EXPECT_EQ(report["phases"][2]["name"], "services") << r.out;
  EXPECT_EQ(report["phases"][2]["checks"][0]["type"], "grpc") << r.out;
  auto down = run_clean(cmd({"--once"}), {{"PAYMENTS_SERVICE_URL", fmt::format("grpc://127.0.0.1:{}/sick", plain_->port())}});
  EXPECT_EQ(down.exit_code, 3) << down.out << down.err;
  EXPECT_NE(down.out.find("NOT_SERVING"), std::string::npos) << down.out;
}

TEST(GrpcProbe, AnHttp1ServerIsNotAGrpcServer) {
  FixtureServer http(Behaviour::http, {.http = [](int, const std::string&) { return http_response(200, "ok"); }});
  auto r = run_one(grpc_check(fmt::format("grpc://127.0.0.1:{}", http.port())), "300ms", true);
  ASSERT_TRUE(r.report.error);
  EXPECT_EQ(r.report.error->kind, FailureKind::protocol) << describe(r.report);
  EXPECT_NE(r.report.error->hint.find("grpcs://"), std::string::npos) << describe(r.report);
}


// gRPC's own target syntax (grpc/doc/naming.md), as a client's channel
// takes it: each form reaches the same serving server.
TEST_F(Grpc, EveryFormOfGrpcsTargetSyntaxReachesTheServer) {
  const std::string port = std::to_string(plain_->port());
  for (const std::string& target : {"127.0.0.1:" + port, "dns:///127.0.0.1:" + port, "dns:127.0.0.1:" + port,
                                    "ipv4:127.0.0.1:" + port, "unix:" + socket_, "unix://" + socket_,
                                    "localhost:" + port}) {
    auto r = run_one(grpc_check(target, R"(,"service":"well")"));
    EXPECT_EQ(r.report.status, CheckStatus::passed) << target << ": " << describe(r.report);
  }
}

// pick_first: an address that refuses is passed over for the next one, as
// gRPC's default policy does; the failure, when none serves, names them.
TEST_F(Grpc, AnIpv4ListIsTriedInOrderAsPickFirstDoes) {
  RefusedPort nothing;
  auto second_serves = run_one(grpc_check(fmt::format("ipv4:127.0.0.1:{},127.0.0.1:{}", nothing.port(), plain_->port())));
  EXPECT_EQ(second_serves.report.status, CheckStatus::passed) << describe(second_serves.report);
  RefusedPort also_nothing;
  auto none = run_one(grpc_check(fmt::format("ipv4:127.0.0.1:{},127.0.0.1:{}", nothing.port(), also_nothing.port())), "300ms", true);
  ASSERT_TRUE(none.report.error) << describe(none.report);
  EXPECT_EQ(none.report.error->kind, FailureKind::connection_refused) << describe(none.report);
  EXPECT_NE(none.report.error->message.find("none served"), std::string::npos) << describe(none.report);
}

// A target does not say whether the channel uses TLS: "tls" does, and
// without it port 443 alone means TLS (lint says which was assumed).
TEST_F(Grpc, TheTlsFieldSaysWhatATargetCannot) {
  auto with_tls = run_one(grpc_check(fmt::format("dns:///localhost:{}", tls_->port()), R"(,"tls":true)" + ca() + bearer(kToken)));
  EXPECT_EQ(with_tls.report.status, CheckStatus::passed) << describe(with_tls.report);
  auto lint = run_clean(cmd({"lint"}), {{"PAY_SERVICE_URL", "dns:///pay.internal:50051"}});
  EXPECT_NE(lint.out.find("gRPC target (dns)"), std::string::npos) << lint.out;
  EXPECT_NE(lint.out.find("set \"tls\": true"), std::string::npos) << lint.out;
  auto unreadable = run_clean(cmd({"lint"}), {{"PAY_SERVICE_URL", "vsock:3:5000"}});
  EXPECT_NE(unreadable.exit_code, 0);
  EXPECT_NE(unreadable.out.find("gRPC target (vsock)"), std::string::npos) << unreadable.out;
}

// The default profile makes a gRPC check of a *_SERVICE_URL written as a
// target, which an HTTP client would refuse.
TEST_F(Grpc, AServiceUrlWrittenAsATargetGetsTheGrpcCheck) {
  auto r = run_clean(cmd({"--once"}), {{"PAY_SERVICE_URL", fmt::format("dns:///127.0.0.1:{}", plain_->port())}});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  // Not --once: libcurl 7.88 may lose an early answer (see grpc_probe.cc),
  // which the next attempt reads.
  auto down = run_clean(cmd({"-o", "json"}), {{"PAY_SERVICE_URL", fmt::format("127.0.0.1:{}", no_health_->port())}});
  EXPECT_EQ(down.exit_code, 3) << down.out << down.err;
  EXPECT_NE(down.out.find("UNIMPLEMENTED"), std::string::npos) << down.out;
}

}  // namespace
}  // namespace preflight::testing
