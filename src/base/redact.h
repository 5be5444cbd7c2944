// The last line of defence: every byte preflight writes passes through a
// Redactor, on plain text, before it is cut or escaped for JSON or XML.
// It masks every registered secret, in the forms a secret takes on its way
// to an output (URL-encoded, base64, JSON- and HTML-escaped, trimmed), with
// the whole token around it, so that the mask reveals nothing of it.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace preflight {

class Redactor {
 public:
  Redactor() = default;
  explicit Redactor(const std::vector<std::string>& secrets);
  // Secrets (and forms) shorter than this are masked only where they stand
  // as a whole token: "q7" in "pw=q7;", never the "q7" inside "aq7b".
  static constexpr size_t kMinSubstringLength = 3;
  // A prefix of a secret this long or longer is masked where a text cut
  // the secret short and said so: followed by "..." or "…".
  static constexpr size_t kShortestCutPrefix = 5;

  std::string scrub(std::string_view text) const;
  // The start of `text`, scrubbed first and then cut to at most `max_bytes`
  // (with "..." when cut): a secret is masked whole, never shown in part.
  std::string prefix(std::string_view text, size_t max_bytes) const;
  // Raw bytes a peer sent, for a message: prefix(bytes, shown) with every
  // byte that is not printable ASCII written \xNN. Scrubbed before the cut
  // and before the escapes, so that a secret echoed by a server is masked
  // whole, in whatever form it was sent.
  std::string excerpt(std::string_view bytes, size_t shown = 40) const;
  bool empty() const { return anywhere_.empty() && whole_.empty() && cut_able_.empty(); }
  // The longest form a secret takes: a text cut after this many bytes past
  // what is shown holds every secret that reaches the shown part whole.
  size_t longest() const { return longest_; }

 private:
  std::vector<std::string> anywhere_;  // matched anywhere, longest first
  std::vector<std::string> whole_;     // matched only as a whole token
  std::vector<std::string> cut_able_;  // secrets longer than kShortestCutPrefix
  size_t longest_ = 0;
};

// The forms in which `secret` can reach an output: itself, trimmed, lower-
// and upper-cased, percent-encoded (both hex cases, and '+' for a space),
// JSON- and HTML/XML-escaped, with invalid UTF-8 replaced by U+FFFD, and
// base64 (standard and URL-safe) at every alignment inside longer base64
// text.
std::vector<std::string> secret_forms(std::string_view secret);

std::string percent_encode(std::string_view text);
std::string base64_encode(std::string_view data);

}  // namespace preflight
