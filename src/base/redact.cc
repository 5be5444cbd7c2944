#include "base/redact.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <mutex>

#include <fmt/format.h>

#include "base/canonical_text.h"
#include "base/credential_positions.h"
#include "base/secret_needles.h"
#include "base/text.h"
#include "base/well_known_passwords.h"

namespace preflight {
namespace {

// Letters, digits, '_' and the bytes of multi-byte UTF-8: what a mask
// extends over, so that a secret inside a word takes the word with it.
bool token_byte(unsigned char c) { return std::isalnum(c) || c == '_' || c >= 0x80; }

// Escapes and wrapping make a secret's text longer than its canonical
// bytes: JSON's "\u0001" is 6 bytes for one, a wrap adds a line break.
constexpr size_t kLongestExpansion = 8;

// How far past a cut peer text is read so that a credential reaching into
// the shown part is judged whole (a JWT with its claims is 1-2 KiB).
constexpr size_t kPeerCredentialReach = 4096;

// The longest start of an escape that is not yet one: "\U" and 7 digits.
constexpr size_t kLongestPartialEscape = 9;

// What may stand between a cut and the end of the text: the closing
// quotes and brackets of the message that quoted it, and the replacement
// bytes of a UTF-8 character cut in two.
bool closer(char c) {
  return c == '"' || c == '\'' || c == '`' || c == ')' || c == ']' || c == '}' || c == '>' || c == kReplacementByte;
}

// Whether the canonical text after `at` says that what stands before it
// was cut: "...", "…", the end (after closers), or an escape cut short.
// `named` is set when only the end says it.
bool cut_after(std::string_view view, size_t at, bool& named) {
  std::string_view rest = view.substr(at);
  named = false;
  if (rest.starts_with("...") || rest.starts_with("\xE2\x80\xA6")) return true;
  while (!rest.empty() && closer(rest.front())) rest.remove_prefix(1);
  named = rest.empty();
  if (rest.empty()) return true;
  // "\u00", "%2", "&#x2" left at the end by a cut through the escape.
  return rest.size() <= kLongestPartialEscape && (rest.front() == '\\' || rest.front() == '%' || rest.front() == '&');
}

class Matcher {
 public:
  explicit Matcher(std::string_view text) : text_(text) {}

  // Every place in the view where `needle` stands, found by searching.
  void find(const CanonicalText& view, const Redactor::Needle& needle) {
    const std::string_view bytes = view.bytes;
    const std::string_view head = std::string_view(needle.bytes).substr(0, Redactor::kShortestCutPrefix);
    for (size_t pos = bytes.find(head); pos != std::string_view::npos; pos = bytes.find(head, pos + 1)) {
      try_at(view, needle, pos);
    }
  }

  // Every place in the text itself where `needle` stands, byte for byte.
  void find_as_written(const Redactor::Needle& needle) {
    for (size_t pos = text_.find(needle.bytes); pos != std::string_view::npos; pos = text_.find(needle.bytes, pos + 1)) {
      const size_t end = pos + needle.bytes.size();
      if (!needle.whole_token_only || (at_token_edge(pos) && at_token_edge(end))) add(pos, end);
    }
  }

  // Masks what `needle` matches at view position `pos`: all of it, or (for
  // a needle matched anywhere) a prefix of kShortestCutPrefix or more that
  // a cut ended.
  void try_at(const CanonicalText& view, const Redactor::Needle& needle, size_t pos) {
    const std::string_view bytes = view.bytes;
    size_t n = 0;
    while (n < needle.bytes.size() && pos + n < bytes.size() && bytes[pos + n] == needle.bytes[n]) ++n;
    const bool whole = n == needle.bytes.size();
    if (needle.whole_token_only) {
      size_t begin = view.begin[pos], end = whole ? view.end[pos + n - 1] : 0;
      if (whole && at_token_edge(begin) && at_token_edge(end)) add(begin, end);
      return;
    }
    if (n < Redactor::kShortestCutPrefix) return;
    size_t end = view.end[pos + n - 1];
    // A secret that ends in part of an escape ("...\u000", "...%4") makes
    // a whole escape with the text after it: the rest stands as written.
    if (!whole && pos + n < bytes.size() && written_at(view.begin[pos + n], std::string_view(needle.bytes).substr(n))) {
      end = view.begin[pos + n] + (needle.bytes.size() - n);
      add(view.begin[pos], end);
      return;
    }
    bool named = false;
    if (!whole && !(cut_after(bytes, pos + n, named) && !(named && n == needle.leading_word))) return;
    add(view.begin[pos], whole && needle.ends_in_space ? skip_whitespace(text_, end) : end);
  }

  std::string masked() { return mask_spans(text_, std::move(spans_)); }

 private:
  // Whether the text at `at` is `rest` (canonical: lower case) as written.
  bool written_at(size_t at, std::string_view rest) const {
    if (rest.size() > text_.size() - at || rest.size() > kLongestPartialEscape) return false;
    for (size_t k = 0; k < rest.size(); ++k) {
      auto c = static_cast<unsigned char>(text_[at + k]);
      if ((c >= 'A' && c <= 'Z' ? c + 32 : c) != static_cast<unsigned char>(rest[k])) return false;
    }
    return true;
  }
  bool at_token_edge(size_t pos) const {
    return pos == 0 || pos >= text_.size() || !token_byte(text_[pos - 1]) || !token_byte(text_[pos]);
  }
  // The original bytes [begin, end), widened to the token around them.
  void add(size_t begin, size_t end) {
    while (begin > 0 && token_byte(text_[begin - 1]) && token_byte(text_[begin])) --begin;
    while (end < text_.size() && token_byte(text_[end]) && token_byte(text_[end - 1])) ++end;
    spans_.emplace_back(begin, end);
  }

  std::string_view text_;
  std::vector<std::pair<size_t, size_t>> spans_;
};

size_t longest_of(const std::vector<Redactor::Needle>& needles) {
  size_t longest = 0;
  for (const auto& n : needles) longest = std::max(longest, n.bytes.size() * kLongestExpansion);
  return longest;
}

}  // namespace

// A set of needles, indexed so that a scrub is one pass over the view:
// the needles of each pair of first bytes, with a bit for each pair (a
// needle of one byte is searched for instead); and, for the texts that
// leave unscanned, a bit for each pair that starts a needle of 2 or 3
// bytes and for each hash of the first 4 bytes of a longer one.
struct Redactor::Index {
  std::vector<Needle> needles;
  std::vector<std::pair<uint16_t, uint32_t>> by_pair;  // sorted
  std::vector<uint32_t> single_bytes;
  std::vector<uint32_t> as_written;  // the prefilter passes them with their canonical forms
  std::array<uint64_t, 1024> pair_starts{}, short_starts{}, long_starts{};
  bool has_short = false;
  bool non_ascii_start = false;  // a needle's first 4 bytes hold one >= 0x80

  static uint16_t pair(unsigned char a, unsigned char b) { return static_cast<uint16_t>((a << 8) | b); }
  static uint16_t hash4(uint32_t four) { return static_cast<uint16_t>((four * 2654435761u) >> 16); }
  static void set(std::array<uint64_t, 1024>& bits, uint16_t k) { bits[k >> 6] |= uint64_t(1) << (k & 63); }
  static bool get(const std::array<uint64_t, 1024>& bits, uint16_t k) { return bits[k >> 6] >> (k & 63) & 1; }

  explicit Index(std::vector<Needle> all) : needles(std::move(all)) {
    for (uint32_t k = 0; k < needles.size(); ++k) {
      const std::string& b = needles[k].bytes;
      if (needles[k].as_written) {
        as_written.push_back(k);
        continue;
      }
      for (size_t i = 0; i < std::min<size_t>(4, b.size()); ++i) non_ascii_start = non_ascii_start || (b[i] & 0x80);
      if (b.size() < 2) {
        single_bytes.push_back(k);
        continue;
      }
      by_pair.emplace_back(pair(static_cast<unsigned char>(b[0]), static_cast<unsigned char>(b[1])), k);
      set(pair_starts, by_pair.back().first);
      if (b.size() < 4) {
        has_short = true;
        set(short_starts, by_pair.back().first);
      } else {
        uint32_t four = 0;
        for (size_t i = 0; i < 4; ++i) four = (four << 8) | static_cast<unsigned char>(b[i]);
        set(long_starts, hash4(four));
      }
    }
    std::sort(by_pair.begin(), by_pair.end());
  }

  void find_all(const CanonicalText& view, Matcher& matcher) const {
    const std::string_view bytes = view.bytes;
    for (size_t i = 0; i + 1 < bytes.size(); ++i) {
      const uint16_t p = pair(static_cast<unsigned char>(bytes[i]), static_cast<unsigned char>(bytes[i + 1]));
      if (!get(pair_starts, p)) continue;
      auto it = std::lower_bound(by_pair.begin(), by_pair.end(), std::pair<uint16_t, uint32_t>(p, 0));
      for (; it != by_pair.end() && it->first == p; ++it) matcher.try_at(view, needles[it->second], i);
    }
    for (uint32_t k : single_bytes) matcher.find(view, needles[k]);
  }

  void find_as_written(Matcher& matcher) const {
    for (uint32_t k : as_written) matcher.find_as_written(needles[k]);
  }

  // Whether a needle can start anywhere in the view of `text`, a text in
  // which no escape is undone: its view is the text lower-cased without
  // whitespace, ASCII byte for ASCII byte, and other bytes stay >= 0x80
  // (where one is among the bytes compared, any needle with such a byte
  // among its first 4 may start).
  bool may_hold(std::string_view text) const {
    if (!single_bytes.empty()) return true;
    uint32_t window = 0;
    size_t k = 0, last_high = 0;
    for (unsigned char c : text) {
      if (c == ' ' || (c >= '\t' && c <= '\r')) continue;
      if (c >= 'A' && c <= 'Z') c = static_cast<unsigned char>(c + 32);
      window = (window << 8) | c;
      ++k;
      if (c >= 0x80) last_high = k;
      const bool high2 = last_high > 0 && k - last_high < 2, high4 = last_high > 0 && k - last_high < 4;
      if (has_short && k >= 2 && (high2 ? non_ascii_start : get(short_starts, static_cast<uint16_t>(window)))) return true;
      if (k >= 4 && (high4 ? non_ascii_start : get(long_starts, hash4(window)))) return true;
    }
    return false;
  }
};

// Secrets learnt after the redactor was shared: replaced whole under the
// lock, so that a scrub reads a snapshot without holding it.
struct Redactor::Learnt {
  mutable std::mutex mutex;
  std::shared_ptr<const Index> index;  // guarded by mutex

  std::shared_ptr<const Index> snapshot() const {
    std::lock_guard lock(mutex);
    return index;
  }
};

Redactor::Redactor() : learnt_(std::make_unique<Learnt>()) {}

Redactor::Redactor(const std::vector<std::string>& secrets) : Redactor() {
  std::vector<Needle> needles;
  for (const auto& secret : secrets) {
    // Masking "redis" or "password" wherever it stands would tell it
    // ("***://", "FATAL: *** authentication failed"); shown, it tells
    // nothing. Where it stands as a credential it is masked by position.
    if (is_well_known_password(secret)) continue;
    for (auto& needle : secret_needles(secret)) needles.push_back(std::move(needle));
  }
  std::sort(needles.begin(), needles.end(), [](const auto& a, const auto& b) { return a.bytes < b.bytes; });
  needles.erase(std::unique(needles.begin(), needles.end(), [](const auto& a, const auto& b) { return a.bytes == b.bytes; }),
                needles.end());
  longest_ = longest_of(needles);
  if (!needles.empty()) configured_ = std::make_unique<const Index>(std::move(needles));
}

Redactor::Redactor(Redactor&&) noexcept = default;
Redactor& Redactor::operator=(Redactor&&) noexcept = default;
Redactor::~Redactor() = default;

void Redactor::learn(std::string_view secret) const {
  auto needles = secret_needles(secret);
  if (needles.empty()) return;
  std::lock_guard lock(learnt_->mutex);
  if (learnt_->index) needles.insert(needles.begin(), learnt_->index->needles.begin(), learnt_->index->needles.end());
  learnt_->index = std::make_shared<const Index>(std::move(needles));
}

bool Redactor::empty() const { return !configured_ && !(learnt_ && learnt_->snapshot()); }

size_t Redactor::longest() const {
  auto learnt = learnt_ ? learnt_->snapshot() : nullptr;
  return std::max(longest_, learnt ? longest_of(learnt->needles) : 0);
}

std::string Redactor::scrub(std::string_view text) const {
  const auto learnt = learnt_ ? learnt_->snapshot() : nullptr;
  if (!configured_ && !learnt) return std::string(text);
  // Matches are found in the canonical view and masked in the original
  // text, widened to the token around them, the merged spans at once.
  // Most texts hold no escape and no pair of bytes that starts a secret:
  // they leave before any view is built.
  if (!has_escapes(text) && !(configured_ && configured_->may_hold(text)) && !(learnt && learnt->may_hold(text))) {
    return std::string(text);
  }
  Matcher matcher(text);
  for (const CanonicalText& view : canonical_views(text)) {
    if (configured_) configured_->find_all(view, matcher);
    if (learnt) learnt->find_all(view, matcher);
  }
  if (configured_) configured_->find_as_written(matcher);
  if (learnt) learnt->find_as_written(matcher);
  return matcher.masked();
}

// Registered secrets first: a position's value may end early at a byte of a
// secret (a backslash or '&' in it), and what is left of the secret after a
// partial mask would no longer be found.
std::string Redactor::scrub_peer(std::string_view text) const { return mask_credential_positions(scrub(text)); }

std::string Redactor::prefix(std::string_view text, size_t max_bytes) const {
  // Enough past the cut that a secret reaching into the shown part is
  // whole, and a credential a peer made up (a JWT) is judged whole.
  size_t window = max_bytes + std::max(longest(), kPeerCredentialReach);
  std::string clean = scrub_peer(text.substr(0, window));
  if (clean.size() <= max_bytes && text.size() <= window) return clean;
  // Cut at a UTF-8 character boundary.
  size_t cut = std::min(max_bytes, clean.size());
  while (cut > 0 && (static_cast<unsigned char>(clean[cut]) & 0xC0) == 0x80) --cut;
  return clean.substr(0, cut) + "...";
}

std::string Redactor::excerpt(std::string_view bytes, size_t shown) const {
  std::string out;
  for (unsigned char c : prefix(bytes, shown)) {
    if (c == '\r') out += "\\r";
    else if (c == '\n') out += "\\n";
    else if (std::isprint(c) && c != '"' && c != '\\') out += static_cast<char>(c);
    else out += fmt::format("\\x{:02x}", c);
  }
  return out;
}

std::string percent_encode(std::string_view text) {
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') out += static_cast<char>(c);
    else out += fmt::format("%{:02X}", c);
  }
  return out;
}

std::string base64_encode(std::string_view data) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  size_t i = 0;
  for (; i + 2 < data.size(); i += 3) {
    uint32_t n = (uint32_t(uint8_t(data[i])) << 16) | (uint32_t(uint8_t(data[i + 1])) << 8) | uint8_t(data[i + 2]);
    for (int s = 18; s >= 0; s -= 6) out += kAlphabet[(n >> s) & 63];
  }
  if (i < data.size()) {
    uint32_t n = uint32_t(uint8_t(data[i])) << 16;
    if (i + 1 < data.size()) n |= uint32_t(uint8_t(data[i + 1])) << 8;
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += i + 1 < data.size() ? kAlphabet[(n >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

}  // namespace preflight
