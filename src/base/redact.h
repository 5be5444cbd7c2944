// The last line of defence: every byte preflight writes passes through a
// Redactor, on plain text, before it is cut or escaped for JSON or XML.
// It masks every registered secret with the whole token around it, so that
// the mask reveals nothing of it, in whatever form it reaches an output:
// the text is read in a canonical view (base/canonical_text.h: escapes
// undone, whitespace, case and Latin-1 re-encoding folded) where the secret
// is looked for, with its base64 and hex encodings; a prefix of it is
// masked where the text was cut.
//
// Thread safety: const members may be called from any thread, learn()
// included.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace preflight {

class Redactor {
 public:
  Redactor();
  // Every secret is masked, but one made of punctuation and whitespace
  // alone: masking "=" or "--" hides nothing and garbles every message;
  // nor a well-known password ("redis", "guest"), whose mask would say
  // what it is (base/well_known_passwords.h; scrub_peer masks it where it
  // stands as a credential, and plan warnings say it is guessable).
  explicit Redactor(const std::vector<std::string>& secrets);
  Redactor(Redactor&&) noexcept;
  Redactor& operator=(Redactor&&) noexcept;
  ~Redactor();

  // A secret (or an encoding of it) shorter than this is masked only where
  // it stands as a whole token: "q7" in "pw=q7;", never the "q7" inside
  // "aq7b". A mask never stands for less than this inside a word.
  static constexpr size_t kMinSubstringLength = 5;
  // A prefix of a secret this long or longer is masked where the text was
  // cut: at its end (a closing quote or bracket may follow), at "..." or
  // "…", or before an escape or a UTF-8 character cut in two. Not when the
  // prefix is the secret's first word of letters alone, followed by
  // nothing: "redis" in "cache/redis", for a password "redis-8f3a".
  static constexpr size_t kShortestCutPrefix = 5;

  std::string scrub(std::string_view text) const;
  // Text a peer wrote (a server's error, a header it sent): scrubbed, and
  // credentials at their well-known positions, which no one registered,
  // masked (base/credential_positions.h).
  std::string scrub_peer(std::string_view text) const;
  // The start of peer text, scrubbed (scrub_peer) first and then cut to at most `max_bytes`
  // (with "..." when cut): a secret is masked whole, never shown in part.
  std::string prefix(std::string_view text, size_t max_bytes) const;
  // Raw bytes a peer sent, for a message: prefix(bytes, shown) with every
  // byte that is not printable ASCII written \xNN. Scrubbed before the cut
  // and before the escapes, so that a secret echoed by a server is masked
  // whole, in whatever form it was sent.
  std::string excerpt(std::string_view bytes, size_t shown = 40) const;
  // Registers a secret learnt while the checks run (an identity token):
  // every scrub from now on masks it. The one way a redactor changes once
  // probes and logs hold it.
  void learn(std::string_view secret) const;
  bool empty() const;
  // How many bytes of text the longest secret can take, escaped and
  // wrapped: a text cut this far past what is shown holds every secret
  // that reaches the shown part whole.
  size_t longest() const;

  // What a secret is looked for as, in the canonical view.
  struct Needle {
    std::string bytes;
    // Bytes of the secret's first word when it is letters alone ("redis"
    // of "redis-8f3a"), else 0: a text that ends there names, not cuts.
    size_t leading_word = 0;
    bool whole_token_only = false;  // shorter than kMinSubstringLength
    // The secret ends in whitespace, which the view drops: the mask takes
    // the whitespace after a match too, escaped or not.
    bool ends_in_space = false;
    // Looked for in the text itself, byte for byte, rather than in a view.
    bool as_written = false;
  };

 private:
  struct Index;
  struct Learnt;
  std::unique_ptr<const Index> configured_;  // null without secrets
  size_t longest_ = 0;
  std::unique_ptr<Learnt> learnt_;
};

// Every byte but letters, digits and "-_.~" as %XX (RFC 3986's unreserved).
std::string percent_encode(std::string_view text);
// Standard base64, with '=' padding.
std::string base64_encode(std::string_view data);

}  // namespace preflight
