#include "report/certificate_facts_text.h"

#include <algorithm>
#include <ctime>

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace preflight {
namespace {

// A certificate not yet valid: its not_before is after today (UTC).
bool not_yet_valid(const PeerCertificate& c) {
  std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  char today[16] = {};
  std::strftime(today, sizeof today, "%Y-%m-%d", &utc);
  return !c.not_before.empty() && c.not_before > today;
}

}  // namespace

std::string validity_fact(const CertificateFacts& facts) {
  for (size_t i = 0; i < facts.sent.size(); ++i) {
    const PeerCertificate& c = facts.sent[i];
    const std::string which = i == 0 ? fmt::format("the server's certificate ({})", c.subject)
                                     : fmt::format("the CA certificate {} in the chain it sent", c.subject);
    if (c.days_left < 0) return fmt::format("{} expired on {}, {} day(s) ago", which, c.not_after, -c.days_left);
    if (not_yet_valid(c)) return fmt::format("{} is valid only from {}", which, c.not_before);
  }
  return {};
}

std::string names_fact(const CertificateFacts& facts) {
  if (facts.sent.empty()) return {};
  const PeerCertificate& leaf = facts.sent.front();
  if (leaf.names.empty()) return fmt::format("it names no host (subjectAltName is empty; subject {})", leaf.subject);
  return fmt::format("it is for {}", fmt::join(leaf.names, ", "));
}

std::string chain_fact(const CertificateFacts& facts, const std::vector<std::string>& given, const std::string& given_as) {
  if (facts.sent.empty() || !facts.trusted_anchor.empty()) return {};
  const PeerCertificate& top = facts.sent.back();
  // What the CA file holds instead of `wanted`, when a file was given.
  auto instead = [&](const std::string& wanted) {
    if (given_as.empty() || given.empty()) return std::string();
    return fmt::format("; the CA file {} holds {}, not {} (has the server's CA rotated?)", given_as, fmt::join(given, "; "),
                       wanted);
  };
  if (facts.sent.size() == 1 && top.self_signed) {
    return fmt::format("the server's certificate ({}) is self-signed: trusting it means passing that certificate itself "
                       "as the CA{}",
                       top.subject, instead(top.subject));
  }
  if (top.self_signed) {
    return fmt::format("the chain the server sent ends at its root CA {}, which is not trusted here{}", top.subject,
                       instead(top.subject));
  }
  return fmt::format("the chain the server sent ({} certificate{}) stops at {}, issued by {}, which is not trusted "
                     "here and was not sent: trust {} or, if it is an intermediate CA, have the server send it too "
                     "(serve the full chain){}",
                     facts.sent.size(), facts.sent.size() == 1 ? "" : "s", top.subject, top.issuer, top.issuer,
                     instead(top.issuer));
}

}  // namespace preflight
