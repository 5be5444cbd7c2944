// Why a TLS handshake failed, as data (the certificate's verify result as
// the failure's code) and as a hint that fits it: a CA does not fix an
// expired certificate or one for another name. `openssl s_server` with
// certificates made at test time; a PostgreSQL without TLS.
#include <gtest/gtest.h>

#include <thread>

#include "binary_harness.h"
#include "certs.h"
#include "harness.h"
#include "postgres_server.h"
#include "tls_server.h"

namespace preflight::testing {
namespace {

class TlsDiagnosis : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    pki_ = new TestPki(make_test_pki(*dir_));
    good_ = new TlsServer(pki_->server_cert, pki_->server_key);
    expired_ = new TlsServer(pki_->expired_cert, pki_->server_key);
    wrong_host_ = new TlsServer(pki_->wrong_host_cert, pki_->server_key);
  }
  static void TearDownTestSuite() {
    delete wrong_host_;
    delete expired_;
    delete good_;
    delete pki_;
    delete dir_;
  }
  static OneCheck check(const std::string& type, const std::string& scheme, int port, bool with_ca) {
    std::string ca = with_ca ? fmt::format(R"(,"ca_file":"{}")", pki_->ca_cert) : "";
    return run_one(fmt::format(R"({{"name":"c","type":"{}","url":"{}://127.0.0.1:{}/"{}}})", type, scheme, port, ca), "2s", true);
  }
  static TempDir* dir_;
  static TestPki* pki_;
  static TlsServer *good_, *expired_, *wrong_host_;
};
TempDir* TlsDiagnosis::dir_ = nullptr;
TestPki* TlsDiagnosis::pki_ = nullptr;
TlsServer* TlsDiagnosis::good_ = nullptr;
TlsServer* TlsDiagnosis::expired_ = nullptr;
TlsServer* TlsDiagnosis::wrong_host_ = nullptr;

void expect_tls(const OneCheck& r, const std::string& code, const std::string& hint_part) {
  ASSERT_TRUE(r.report.error) << describe(r.report);
  EXPECT_EQ(r.report.error->kind, FailureKind::tls) << describe(r.report);
  EXPECT_EQ(to_string(r.report.error->stage), "tls") << describe(r.report);
  EXPECT_EQ(r.report.error->code, code) << describe(r.report);
  EXPECT_NE(r.report.error->hint.find(hint_part), std::string::npos) << r.report.error->hint;
}

TEST_F(TlsDiagnosis, AnExpiredCertificateIsNotACaProblem) {
  expect_tls(check("http", "https", expired_->port(), true), "CERT_HAS_EXPIRED", "validity dates");
  expect_tls(check("redis", "rediss", expired_->port(), true), "CERT_HAS_EXPIRED", "validity dates");
}

TEST_F(TlsDiagnosis, ACertificateForAnotherNameSaysWhichHostWasDialled) {
  // Signed by the CA given, for db.other.internal only.
  expect_tls(check("http", "https", wrong_host_->port(), true), "HOSTNAME_MISMATCH", "another name than 127.0.0.1");
}

TEST_F(TlsDiagnosis, AnUntrustedCertificateAsksForItsCa) {
  expect_tls(check("http", "https", good_->port(), false), "UNABLE_TO_GET_ISSUER_CERT_LOCALLY", "pass its CA");
}

// What the handshake saw of the certificates (net/certificate_watch.h) is
// said in the hint, for every check type whose TLS preflight drives: the
// date, the names, where the chain stops and what the CA file holds.
TEST(CertificateFacts, EveryTlsTypeSaysTheDateTheNamesAndWhereTheChainStops) {
  TempDir dir;
  const TestPki pki = make_test_pki(dir);
  TlsServer expired(pki.expired_cert, pki.server_key), wrong_host(pki.wrong_host_cert, pki.server_key),
      good(pki.server_cert, pki.server_key), leaf_only(pki.intermediate_leaf_cert, pki.server_key),
      full_chain(pki.intermediate_leaf_cert, pki.server_key, {"-cert_chain", pki.intermediate_cert}),
      self_signed(pki.other_ca_cert, pki.other_ca_key);
  struct Fault {
    std::string name;
    int port;
    std::string ca;    // the check's ca_file
    std::string said;  // in the hint; empty: the check gets past TLS
  };
  const std::vector<Fault> faults = {
      {"expired", expired.port(), pki.ca_cert, "expired on 2020-01-02"},
      {"for another name", wrong_host.port(), pki.ca_cert, "(it is for DNS:db.other.internal)"},
      {"signed by a CA other than the one given", good.port(), pki.other_ca_cert,
       fmt::format("holds CN=preflight test other-ca, not CN=preflight test ca (has the server's CA rotated?)")},
      {"intermediate not sent", leaf_only.port(), pki.ca_cert,
       "issued by CN=preflight test intermediate, which is not trusted here and was not sent"},
      {"self-signed", self_signed.port(), pki.ca_cert, "(CN=preflight test other-ca) is self-signed"},
      {"full chain sent", full_chain.port(), pki.ca_cert, ""},
  };
  const std::vector<std::pair<std::string, std::string>> types = {
      {"tcp", R"("url":"tcp://localhost:{}","tls":true)"}, {"http", R"("url":"https://localhost:{}/")"},
      {"websocket", R"("url":"wss://localhost:{}/ws")"},    {"redis", R"("url":"rediss://localhost:{}")"},
      {"grpc", R"("url":"grpcs://localhost:{}")"},          {"amqp", R"("url":"amqps://localhost:{}/")"}};
  for (const auto& [type, url] : types) {
    for (const Fault& fault : faults) {
      const std::string where = type + " / " + fault.name;
      auto r = run_one(fmt::format(R"({{"name":"c","type":"{}",{},"ca_file":"{}"}})", type, fmt::format(fmt::runtime(url), fault.port),
                                   fault.ca),
                       "2s", true);
      if (fault.said.empty()) {
        EXPECT_TRUE(!r.report.error || r.report.error->kind != FailureKind::tls) << where << ": " << describe(r.report);
        continue;
      }
      ASSERT_TRUE(r.report.error) << where;
      EXPECT_EQ(r.report.error->kind, FailureKind::tls) << where << ": " << describe(r.report);
      EXPECT_NE(r.report.error->hint.find(fault.said), std::string::npos) << where << ": " << r.report.error->hint;
    }
  }
}

// A passed check whose server certificate runs out within 14 days warns,
// naming it, its issuer and the date; one with a year left does not.
TEST(CertificateExpiry, APassedCheckWarnsOfAServerCertificateThatRunsOutSoon) {
  TempDir dir;
  const TestPki pki = make_test_pki(dir);
  TlsServer soon(pki.soon_cert, pki.server_key), good(pki.server_cert, pki.server_key);
  for (const std::string type : {"tcp", "http"}) {
    auto url = [&](int port) {
      return type == "tcp" ? fmt::format(R"("url":"tcp://localhost:{}","tls":true)", port)
                           : fmt::format(R"("url":"https://localhost:{}/")", port);
    };
    auto check = [&](int port) {
      return run_one(fmt::format(R"({{"name":"c","type":"{}",{},"ca_file":"{}"}})", type, url(port), pki.ca_cert), "2s", true);
    };
    auto warned = check(soon.port());
    ASSERT_EQ(warned.report.status, CheckStatus::passed) << type << ": " << describe(warned.report);
    ASSERT_EQ(warned.report.warnings.size(), 1u) << type << ": " << describe(warned.report);
    const std::string& w = warned.report.warnings.front();
    EXPECT_NE(w.find("the server's certificate CN=localhost (issued by CN=preflight test ca) expires on "), std::string::npos) << w;
    EXPECT_NE(w.find(" day(s): renew it before then"), std::string::npos) << w;
    auto quiet = check(good.port());
    ASSERT_EQ(quiet.report.status, CheckStatus::passed) << type << ": " << describe(quiet.report);
    EXPECT_TRUE(quiet.report.warnings.empty()) << type << ": " << quiet.report.warnings.front();
  }
}

// libpq verifies inside itself; the chain it accepted is read after the
// login, so a PostgreSQL certificate that runs out soon is warned of too.
TEST(CertificateExpiry, APostgresCertificateThatRunsOutSoonIsWarnedOf) {
  TempDir dir;
  const TestPki pki = make_test_pki(dir);
  PostgresServer pg({.tls_cert = pki.soon_cert, .tls_key = pki.server_key});
  if (!pg.unavailable_reason().empty()) GTEST_SKIP() << pg.unavailable_reason();
  auto r = run_one(fmt::format(R"({{"name":"db","type":"postgres","url":"postgresql://postgres:{}@localhost:{}/postgres?)"
                               R"(sslmode=verify-full&sslrootcert={}"}})",
                               PostgresServer::kPassword, pg.port(), pki.ca_cert),
                   "5s", true);
  ASSERT_EQ(r.report.status, CheckStatus::passed) << describe(r.report);
  ASSERT_FALSE(r.report.warnings.empty()) << describe(r.report);
  EXPECT_NE(r.report.warnings.back().find("the server's certificate CN=localhost (issued by CN=preflight test ca) expires on "),
            std::string::npos)
      << r.report.warnings.back();
}

// certificate_expiry_warning: the check's own, else the config's, else
// "14d"; "0d" never warns; anything but whole days ("14d") is exit 2.
TEST(CertificateExpiry, TheThresholdIsTheChecksElseTheConfigsAndZeroTurnsItOff) {
  TempDir dir;
  const TestPki pki = make_test_pki(dir);
  TlsServer soon(pki.soon_cert, pki.server_key);
  auto run_with = [&](const std::string& top, const std::string& on_check) {
    const std::string config = dir.write(
        "c.json", fmt::format(R"({{{}"phases":[{{"name":"deps","timeout":"3s","checks":[{{"name":"svc","type":"http",)"
                              R"("url":"https://localhost:{}/","ca_file":"{}"{}}}]}}]}})",
                              top, soon.port(), pki.ca_cert, on_check));
    return run_clean(cmd({"-c", config, "--once"}));
  };
  const std::string warning = "the server's certificate CN=localhost (issued by CN=preflight test ca) expires on ";
  auto by_default = run_with("", "");
  EXPECT_EQ(by_default.exit_code, 0) << by_default.out << by_default.err;
  EXPECT_NE(by_default.out.find(warning), std::string::npos) << by_default.out;
  auto off = run_with(R"("certificate_expiry_warning":"0d",)", "");
  EXPECT_EQ(off.exit_code, 0) << off.out << off.err;
  EXPECT_EQ(off.out.find(warning), std::string::npos) << off.out;
  auto check_wins = run_with(R"("certificate_expiry_warning":"0d",)", R"(,"certificate_expiry_warning":"30d")");
  EXPECT_NE(check_wins.out.find(warning), std::string::npos) << check_wins.out;
  auto under_a_day = run_with("", R"(,"certificate_expiry_warning":"2d")");
  EXPECT_EQ(under_a_day.out.find(warning), std::string::npos) << "3 days left is not under 2: " << under_a_day.out;
  for (const std::string bad_value : {"14", "\"14\"", "\"14h\"", "\"-1d\"", "\"3651d\"", "\"d\"", "\"1.5d\""}) {
    auto bad = run_with(fmt::format(R"("certificate_expiry_warning":{},)", bad_value), "");
    EXPECT_EQ(bad.exit_code, 2) << bad_value << ": " << bad.out << bad.err;
    EXPECT_NE(bad.err.find("/certificate_expiry_warning: expected whole days from \"0d\" (never warn) to \"3650d\""),
              std::string::npos)
        << bad.err;
  }
}

TEST(PostgresTlsDiagnosis, SslRequiredOfAServerWithoutTlsSaysSo) {
  PostgresServer pg;
  if (!pg.unavailable_reason().empty()) GTEST_SKIP() << pg.unavailable_reason();
  // The remedy is written in the URL's variable, which the hint names
  // (issue 28, class 5).
  auto vars = vars_from({{"DATABASE_URL",
                          fmt::format("postgresql://postgres:{}@127.0.0.1:{}/postgres?sslmode=require", PostgresServer::kPassword, pg.port()),
                          ".env:2"}});
  auto r = run_one(R"({"name":"d","type":"postgres","url":"${DATABASE_URL}"})", "3s", true, vars);
  ASSERT_TRUE(r.report.error) << describe(r.report);
  EXPECT_EQ(r.report.error->code, "SSL_NOT_SUPPORTED") << describe(r.report);
  EXPECT_NE(r.report.error->hint.find("the server has no TLS"), std::string::npos) << r.report.error->hint;
  EXPECT_NE(r.report.error->hint.find("in the URL (from DATABASE_URL, .env:2)"), std::string::npos) << r.report.error->hint;
}

}  // namespace
}  // namespace preflight::testing
