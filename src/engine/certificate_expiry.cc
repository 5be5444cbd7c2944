#include "engine/certificate_expiry.h"

#include <fmt/format.h>

namespace preflight {

std::vector<std::string> certificate_expiry_warnings(const CertificateFacts& facts, long within_days) {
  std::vector<std::string> out;
  for (size_t i = 0; i < facts.sent.size(); ++i) {
    const PeerCertificate& c = facts.sent[i];
    if (c.days_left >= within_days || c.days_left < 0) continue;  // expired ones fail verification
    const std::string which = i == 0 ? fmt::format("the server's certificate {} (issued by {})", c.subject, c.issuer)
                                     : fmt::format("the CA certificate {} in the chain the server sends", c.subject);
    out.push_back(fmt::format("{} expires on {}, in {} day(s): renew it before then; on that day every client's TLS "
                              "handshake with it fails",
                              which, c.not_after, c.days_left));
  }
  return out;
}

}  // namespace preflight
