#include "base/secret_needles.h"

#include <algorithm>
#include <cctype>

#include "base/canonical_text.h"

namespace preflight {
namespace {

std::string hex(std::string_view s) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : s) {
    out += kDigits[c >> 4];
    out += kDigits[c & 15];
  }
  return out;
}

std::string_view trimmed(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

bool has_word_byte(std::string_view s) {
  return std::any_of(s.begin(), s.end(), [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || (c & 0x80); });
}

// The canonical length of the secret's first word when it is letters
// alone: "redis" of "redis-8f3a", "OAuth" of "OAuth tok". (Measured on the
// secret, since the canonical bytes have no spaces between words.)
size_t leading_word(std::string_view secret) {
  size_t n = 0;
  while (n < secret.size() && std::isalpha(static_cast<unsigned char>(secret[n]))) ++n;
  auto word_byte = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || (c & 0x80); };
  if (n == 0 || (n < secret.size() && word_byte(secret[n]))) return 0;
  return n;  // ASCII letters: as many canonical bytes
}

// How many bytes at the start and at the end of `secret` are invalid
// alone but can read as part of a character with a byte beside them in a
// text: continuation bytes that begin it, and a lead byte with too few
// continuation bytes that ends it.
std::pair<size_t, size_t> open_ends(std::string_view s) {
  auto at = [&](size_t i) { return static_cast<unsigned char>(s[i]); };
  size_t head = 0;
  while (head < s.size() && head < 3 && (at(head) & 0xC0) == 0x80) ++head;
  size_t tail = 0;
  for (size_t k = 1; k <= std::min<size_t>(3, s.size()); ++k) {
    const unsigned char c = at(s.size() - k);
    if ((c & 0xC0) == 0x80) continue;  // a continuation byte: its lead is further back
    const size_t needs = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
    if (c >= 0xC2 && c <= 0xF4 && k < needs) tail = k;
    break;
  }
  return {head, tail};
}

}  // namespace

std::string base64_within(std::string_view s, size_t offset) {
  std::string encoded = base64_encode(std::string(offset, '\0') + std::string(s));
  size_t total = offset + s.size();
  size_t end = total / 3 * 4 + (total % 3 == 0 ? 0 : total % 3 == 1 ? 1 : 2);
  size_t begin = offset == 0 ? 0 : offset == 1 ? 2 : 3;
  return end > begin ? encoded.substr(begin, end - begin) : std::string();
}

std::vector<Redactor::Needle> secret_needles(std::string_view secret) {
  std::vector<Redactor::Needle> out;
  if (!has_word_byte(secret)) return out;
  const size_t first_word = leading_word(secret);
  const bool ends_in_space = trimmed(secret).size() < secret.size() && std::isspace(static_cast<unsigned char>(secret.back()));
  const auto open = open_ends(secret);
  auto plain = [&](std::string_view text) {
    for (auto& written : canonical_forms(text)) {
      // An invalid byte at an end that can join a byte beside it in a text
      // (open_ends) is left out: the mask takes the bytes around a match.
      // A secret of such bytes alone keeps them, as a whole token (found
      // by fuzz_redactor: two continuation bytes and spaces, echoed as
      // "\ufffd\ufffd" and percent-encoded, had no needle but as written).
      std::string bytes = written;
      for (size_t k = 0; k < open.second && !bytes.empty() && bytes.back() == kReplacementByte; ++k) bytes.pop_back();
      for (size_t k = 0; k < open.first && !bytes.empty() && bytes.front() == kReplacementByte; ++k) bytes.erase(0, 1);
      if (bytes.empty()) bytes = std::move(written);
      bool whole_token_only = bytes.size() < Redactor::kMinSubstringLength;
      if (!bytes.empty()) out.push_back({std::move(bytes), first_word, whole_token_only, ends_in_space, false});
    }
  };
  plain(secret);
  // Bytes >= 0x80 read differently beside others: an invalid byte at the
  // end of a secret can make a character with the byte after it, "Ã" can
  // make mojibake with it. As written, the secret still matches itself.
  if (std::any_of(secret.begin(), secret.end(), [](char c) { return c & 0x80; })) {
    out.push_back({std::string(secret), 0, secret.size() < Redactor::kMinSubstringLength, false, true});
  }
  if (secret.find(' ') != std::string_view::npos) {
    std::string form(trimmed(secret));  // an echo is trimmed before it is encoded
    std::replace(form.begin(), form.end(), ' ', '+');
    plain(form);
  }
  auto encoded = [&](const std::string& text) {
    std::string bytes = std::move(canonical_forms(text).front());
    if (bytes.size() >= Redactor::kMinSubstringLength) out.push_back({std::move(bytes), 0, false, false, false});
  };
  for (std::string_view s : {secret, trimmed(secret)}) {
    for (size_t offset = 0; offset < 3; ++offset) {
      std::string b64 = base64_within(s, offset);
      encoded(b64);
      std::replace(b64.begin(), b64.end(), '+', '-');
      std::replace(b64.begin(), b64.end(), '/', '_');
      encoded(b64);
    }
  }
  encoded(hex(secret));
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.bytes < b.bytes; });
  out.erase(std::unique(out.begin(), out.end(),
                        [](const auto& a, const auto& b) { return a.bytes == b.bytes && a.as_written == b.as_written; }),
            out.end());
  return out;
}

}  // namespace preflight
