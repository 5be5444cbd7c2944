// Which CAs a TLS check trusts when it names none of its own: the one rule
// for every protocol, read from the variables the applications' clients
// read. In order:
//   1. the check's own CA (ca_file, sslrootcert, ssl_ca...): nothing else;
//   2. the protocol's clients' own variable, first one set
//      (ProbeType::ca_variables: PGSSLROOTCERT for libpq; REQUESTS_CA_BUNDLE,
//      CURL_CA_BUNDLE for HTTP), else SSL_CERT_FILE (OpenSSL, Python's ssl,
//      Go, Ruby): replaces the system bundle;
//   3. SSL_CERT_DIR (OpenSSL, Go) and NODE_EXTRA_CA_CERTS (Node): added to
//      the bundle of 2, or to the system bundle.
// Only a check that verifies the certificate takes any of them: without
// verification a CA changes nothing, and libpq would start verifying
// sslmode=require against a root certificate it was given.
#pragma once

#include <array>
#include <string>
#include <string_view>
#include <vector>

#include "config/variables.h"
#include "probes/probe.h"

namespace preflight {

// The variables of 2 and 3 that no protocol owns.
inline constexpr std::array<std::string_view, 3> kGenericCaVariables = {"SSL_CERT_FILE", "SSL_CERT_DIR", "NODE_EXTRA_CA_CERTS"};

struct EnvironmentTrust {
  std::string bundle_variable;               // replaces the system bundle; empty: none
  std::vector<std::string> added_variables;  // in the order above
  bool empty() const { return bundle_variable.empty() && added_variables.empty(); }
};

// The variables that give `target` (of `type`) its CAs; empty when the
// target names its own, does not verify, or none is set.
EnvironmentTrust environment_trust(const ProbeType& type, const Target& target, const VariableSet& vars);

}  // namespace preflight
