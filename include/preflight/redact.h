// The last line of defence: every byte preflight writes passes through a
// Redactor that replaces secret values (and their URL-encoded and base64
// forms) with "***".
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace preflight {

class Redactor {
 public:
  Redactor() = default;
  // Secrets shorter than kMinLength are ignored: scrubbing "ab" from every
  // line would make output unreadable, and such values are not secrets.
  explicit Redactor(const std::vector<std::string>& secrets);
  static constexpr size_t kMinLength = 3;

  std::string scrub(std::string_view text) const;
  bool empty() const { return needles_.empty(); }

 private:
  std::vector<std::string> needles_;  // longest first
};

// The run's secrets, for every output: the report, the logs, and excerpts
// of what servers sent (which must scrub before they cut, or a secret split
// by the cut would survive in part). Set once, before any probe or engine
// thread starts; read-only afterwards.
void set_process_secrets(const std::vector<std::string>& secrets);
const Redactor& process_redactor();

std::string percent_encode(std::string_view text);
std::string base64_encode(std::string_view data);

}  // namespace preflight
