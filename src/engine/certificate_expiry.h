// A passed check's server certificates that run out soon, from the chain
// its handshake saw (net/certificate_watch.h): on that day every client's
// TLS fails at once, so it is said while there is time to renew.
#pragma once

#include <string>
#include <vector>

#include "base/certificate_facts.h"

namespace preflight {

// One sentence per certificate sent with fewer than `within_days` left.
std::vector<std::string> certificate_expiry_warnings(const CertificateFacts& facts, long within_days);

}  // namespace preflight
