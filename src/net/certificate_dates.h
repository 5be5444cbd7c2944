// Reading certificates: their names in one form, the days left to them, and
// how long the certificates of a PEM file (a check's CA file) stay valid,
// read offline: a CA that expires soon breaks every TLS check at once.
#pragma once

#include <limits>
#include <optional>
#include <string>
#include <vector>

#include <openssl/x509.h>

namespace preflight::net {

struct CertificateDates {
  std::string subject;  // "CN=...", as certificate_name writes it
  long days_left = 0;   // to notAfter; negative once expired
};

// "/C=US/O=Example/CN=db", OpenSSL's one-line name, as "C=US, O=Example,
// CN=db": the one form every message and comparison uses.
std::string certificate_name(const X509_NAME* name);

// Whole days until the certificate's notAfter, negative once expired;
// nullopt when its date cannot be read.
std::optional<long> days_left(const X509* cert);

// The certificates in the file, in order; empty when it cannot be read
// (the TLS handshake says why, with the check's other failures). Reading
// stops after the first one with at least `enough_days` left: a question
// about the longest-lived certificate is answered by the first that lives
// long enough (reading the whole system bundle, 140 of them, made lint of
// one TLS check take 20-30 ms; now under 10).
std::vector<CertificateDates> read_certificate_dates(const std::string& path,
                                                     long enough_days = std::numeric_limits<long>::max());

}  // namespace preflight::net
