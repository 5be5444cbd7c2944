// The server's certificates as a TLS handshake saw them while OpenSSL
// verified them (net/certificate_watch.h): the facts behind "expired",
// "for another name" and "not trusted", so that a hint can say the date,
// the names and the issuer instead of only the error.
#pragma once

#include <string>
#include <vector>

namespace preflight {

struct PeerCertificate {
  std::string subject, issuer;        // "CN=db.internal, O=Example", as OpenSSL's one-line form
  std::string not_before, not_after;  // "2026-12-07" (UTC)
  long days_left = 0;                 // until not_after; negative once expired
  std::vector<std::string> names;     // subjectAltName: "DNS:db.internal", "IP:10.0.0.3"
  bool self_signed = false;
};

struct CertificateFacts {
  std::vector<PeerCertificate> sent;  // as the server sent them, its own first
  // The CA the chain was verified up to, from the trusted store; empty
  // when verification found none.
  std::string trusted_anchor;
};

}  // namespace preflight
