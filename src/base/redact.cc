#include "base/redact.h"

#include <algorithm>
#include <cctype>
#include <mutex>

#include <fmt/format.h>

#include "base/canonical_text.h"
#include "base/secret_needles.h"

namespace preflight {
namespace {

// Letters, digits, '_' and the bytes of multi-byte UTF-8: what a mask
// extends over, so that a secret inside a word takes the word with it.
bool token_byte(unsigned char c) { return std::isalnum(c) || c == '_' || c >= 0x80; }

// Escapes and wrapping make a secret's text longer than its canonical
// bytes: JSON's "\u0001" is 6 bytes for one, a wrap adds a line break.
constexpr size_t kLongestExpansion = 8;

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
  return rest.size() <= 5 && (rest.front() == '\\' || rest.front() == '%' || rest.front() == '&');
}

class Matcher {
 public:
  explicit Matcher(std::string_view text) : text_(text) {}

  void find(const CanonicalText& view, const Redactor::Needle& needle) {
    const std::string_view bytes = view.bytes;
    if (needle.whole_token_only) {
      for (size_t pos = bytes.find(needle.bytes); pos != std::string_view::npos; pos = bytes.find(needle.bytes, pos + 1)) {
        size_t begin = view.begin[pos], end = view.end[pos + needle.bytes.size() - 1];
        if (at_token_edge(begin) && at_token_edge(end)) add(begin, end);
      }
      return;
    }
    // Every place its first bytes stand, as far as it goes on matching:
    // the whole of it, or a prefix that a cut ended.
    const std::string_view head = std::string_view(needle.bytes).substr(0, Redactor::kShortestCutPrefix);
    for (size_t pos = bytes.find(head); pos != std::string_view::npos; pos = bytes.find(head, pos + 1)) {
      size_t n = head.size();
      while (n < needle.bytes.size() && pos + n < bytes.size() && bytes[pos + n] == needle.bytes[n]) ++n;
      bool named = false;
      const bool whole = n == needle.bytes.size();
      if (!whole && !(cut_after(bytes, pos + n, named) && !(named && n == needle.leading_word))) continue;
      size_t end = view.end[pos + n - 1];
      add(view.begin[pos], whole && needle.ends_in_space ? skip_whitespace(text_, end) : end);
    }
  }

  std::string masked() {
    if (spans_.empty()) return std::string(text_);
    std::sort(spans_.begin(), spans_.end());
    std::string out;
    size_t copied = 0;
    for (size_t i = 0; i < spans_.size();) {
      size_t begin = spans_[i].first, end = spans_[i].second;
      for (++i; i < spans_.size() && spans_[i].first <= end; ++i) end = std::max(end, spans_[i].second);
      out.append(text_.substr(copied, begin - copied));
      out += "***";
      copied = end;
    }
    out.append(text_.substr(copied));
    return out;
  }

 private:
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

// Secrets learnt after the redactor was shared: replaced whole under the
// lock, so that a scrub reads a snapshot without holding it.
struct Redactor::Learnt {
  mutable std::mutex mutex;
  std::shared_ptr<const std::vector<Needle>> needles;  // guarded by mutex

  std::shared_ptr<const std::vector<Needle>> snapshot() const {
    std::lock_guard lock(mutex);
    return needles;
  }
};

Redactor::Redactor() : learnt_(std::make_unique<Learnt>()) {}

Redactor::Redactor(const std::vector<std::string>& secrets) : Redactor() {
  for (const auto& secret : secrets) {
    for (auto& needle : secret_needles(secret)) needles_.push_back(std::move(needle));
  }
  std::sort(needles_.begin(), needles_.end(), [](const auto& a, const auto& b) { return a.bytes < b.bytes; });
  needles_.erase(std::unique(needles_.begin(), needles_.end(), [](const auto& a, const auto& b) { return a.bytes == b.bytes; }),
                 needles_.end());
  longest_ = longest_of(needles_);
}

Redactor::Redactor(Redactor&&) noexcept = default;
Redactor& Redactor::operator=(Redactor&&) noexcept = default;
Redactor::~Redactor() = default;

void Redactor::learn(std::string_view secret) const {
  auto needles = secret_needles(secret);
  if (needles.empty()) return;
  std::lock_guard lock(learnt_->mutex);
  auto grown = learnt_->needles ? std::make_shared<std::vector<Needle>>(*learnt_->needles)
                                : std::make_shared<std::vector<Needle>>();
  grown->insert(grown->end(), needles.begin(), needles.end());
  learnt_->needles = std::move(grown);
}

bool Redactor::empty() const {
  auto learnt = learnt_ ? learnt_->snapshot() : nullptr;
  return needles_.empty() && (!learnt || learnt->empty());
}

size_t Redactor::longest() const {
  auto learnt = learnt_ ? learnt_->snapshot() : nullptr;
  return std::max(longest_, learnt ? longest_of(*learnt) : 0);
}

std::string Redactor::scrub(std::string_view text) const {
  auto learnt = learnt_ ? learnt_->snapshot() : nullptr;
  if (needles_.empty() && !learnt) return std::string(text);
  // Matches are found in the canonical view and masked in the original
  // text, widened to the token around them, the merged spans at once.
  // A text where escapes were undone is also read as it is: "C:\\new"
  // must not hide a secret "new..." by turning "\\n" into a line break.
  Matcher matcher(text);
  auto find_all = [&](const CanonicalText& view) {
    for (const auto& needle : needles_) matcher.find(view, needle);
    if (learnt) {
      for (const auto& needle : *learnt) matcher.find(view, needle);
    }
  };
  const CanonicalText decoded = canonical_view(text, true);
  find_all(decoded);
  if (decoded.decoded) find_all(canonical_view(text, false));
  return matcher.masked();
}

std::string Redactor::prefix(std::string_view text, size_t max_bytes) const {
  // Enough past the cut that a secret reaching into the shown part is whole.
  size_t window = max_bytes + longest();
  std::string clean = scrub(text.substr(0, window));
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
