// Reading a CA file's certificates offline, as the plan's CA expiry warning
// does before every run.
#include <gtest/gtest.h>

#include "certs.h"
#include "config/read_file.h"
#include "net/certificate_dates.h"

namespace preflight::testing {
namespace {

std::string contents(const std::string& path) { return read_file_capped(path).value(); }

// The warning asks whether any certificate lives 30 days more. Reading a
// whole system bundle (140 certificates) to answer it made lint of one TLS
// check take 20-30 ms, before any phase's clock started.
TEST(CertificateDates, ReadingStopsAtTheFirstCertificateThatLivesLongEnough) {
  TempDir dir;
  const TestPki pki = make_test_pki(dir);
  const std::string bundle =
      dir.write("bundle.pem", contents(pki.expired_cert) + contents(pki.ca_cert) + contents(pki.soon_cert));
  const auto all = net::read_certificate_dates(bundle);
  ASSERT_EQ(all.size(), 3u);
  EXPECT_LT(all[0].days_left, 0) << "the expired one";
  EXPECT_GT(all[1].days_left, 30) << "the CA";
  const auto enough = net::read_certificate_dates(bundle, 30);
  ASSERT_EQ(enough.size(), 2u) << "stops after the CA, the first with 30 days left";
  EXPECT_EQ(enough[1].subject, all[1].subject);
  EXPECT_EQ(net::read_certificate_dates(bundle, 100'000).size(), 3u) << "none lives that long: all are read";
}

}  // namespace
}  // namespace preflight::testing
