// How long the certificates of a PEM file (a check's CA file) stay valid,
// read offline: a CA that expires soon breaks every TLS check at once.
#pragma once

#include <string>
#include <vector>

namespace preflight::net {

struct CertificateDates {
  std::string subject;  // "CN=...", as certificate_name writes it
  long days_left = 0;   // to notAfter; negative once expired
};

// Every certificate in the file, in order; empty when it cannot be read
// (the TLS handshake says why, with the check's other failures).
std::vector<CertificateDates> read_certificate_dates(const std::string& path);

}  // namespace preflight::net
