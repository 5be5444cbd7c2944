#include "certificate_dates.h"

#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

namespace preflight::net {

std::string certificate_name(const X509_NAME* name) {
  char buf[512] = {};
  X509_NAME_oneline(name, buf, sizeof buf);
  std::string text = buf[0] == '/' ? buf + 1 : buf;
  for (size_t at = text.find('/'); at != std::string::npos; at = text.find('/', at + 2)) {
    if (text.find('=', at) != std::string::npos) text.replace(at, 1, ", ");
  }
  return text;
}

std::optional<long> days_left(const X509* cert) {
  int days = 0, seconds = 0;
  if (ASN1_TIME_diff(&days, &seconds, nullptr, X509_get0_notAfter(cert)) != 1) return std::nullopt;
  return days - (seconds < 0 ? 1 : 0);
}

std::vector<CertificateDates> read_certificate_dates(const std::string& path, long enough_days) {
  std::vector<CertificateDates> out;
  BIO* file = BIO_new_file(path.c_str(), "r");
  if (!file) return out;
  // A bundle holds many; a bound keeps a hostile file from taking long.
  for (int i = 0; i < 1000; ++i) {
    X509* cert = PEM_read_bio_X509(file, nullptr, nullptr, nullptr);
    if (!cert) break;
    const std::optional<long> days = days_left(cert);
    if (days) out.push_back({certificate_name(X509_get_subject_name(cert)), *days});
    X509_free(cert);
    if (days && *days >= enough_days) break;
  }
  BIO_free(file);
  return out;
}

}  // namespace preflight::net
