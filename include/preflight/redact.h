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

// The run's secrets, for code that shortens what a server sent (excerpts in
// failure messages): it must scrub before it cuts, or a secret split by the
// cut would survive the final scrub in part. Set once, before any probe
// runs; read-only afterwards.
void set_process_secrets(const std::vector<std::string>& secrets);
const Redactor& process_redactor();

std::string percent_encode(std::string_view text);
std::string base64_encode(std::string_view data);

}  // namespace preflight
