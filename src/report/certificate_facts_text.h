// Sentences from the certificates a failed handshake saw (Failure::
// certificate): the date a certificate expired, the names it is for, and
// where the chain the server sent stops, for the certificate hints.
#pragma once

#include <string>
#include <vector>

#include "base/certificate_facts.h"

namespace preflight {

// "the server's certificate (CN=db) expired on 2020-01-01, 2532 days ago";
// "" when no certificate sent is outside its dates.
std::string validity_fact(const CertificateFacts& facts);

// "it is for DNS:db.other.internal, IP:10.0.0.3"; "" when it lists none.
std::string names_fact(const CertificateFacts& facts);

// Where the chain the server sent stops, and what the CAs given hold:
// a self-signed certificate, an intermediate the server did not send, a
// CA that rotated. `given`: the subjects of the CA file the check was
// given, "" for the system bundle; `given_as`: that file and where it was
// named ("/etc/ca.pem (REDIS_CA from .env:3)").
std::string chain_fact(const CertificateFacts& facts, const std::vector<std::string>& given, const std::string& given_as);

}  // namespace preflight
