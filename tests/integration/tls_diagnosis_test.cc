// Why a TLS handshake failed, as data (the certificate's verify result as
// the failure's code) and as a hint that fits it: a CA does not fix an
// expired certificate or one for another name. `openssl s_server` with
// certificates made at test time; a PostgreSQL without TLS.
#include <gtest/gtest.h>

#include <thread>

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
