#include "base/redact.h"

#include <algorithm>
#include <cctype>

#include <fmt/format.h>

namespace preflight {
namespace {

// Letters, digits, '_' and the bytes of multi-byte UTF-8: what a mask
// extends over, so that a secret inside a word takes the word with it.
bool token_byte(unsigned char c) { return std::isalnum(c) || c == '_' || c >= 0x80; }

std::string percent_encode_with(std::string_view text, bool lower_hex, bool plus_for_space) {
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') out += static_cast<char>(c);
    else if (c == ' ' && plus_for_space) out += '+';
    else if (lower_hex) out += fmt::format("%{:02x}", c);
    else out += fmt::format("%{:02X}", c);
  }
  return out;
}

std::string json_escape(std::string_view text, bool escape_slash) {
  std::string out;
  for (unsigned char c : text) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      case '/': out += escape_slash ? "\\/" : "/"; break;
      default:
        if (c < 0x20) out += fmt::format("\\u{:04x}", c);
        else out += static_cast<char>(c);
    }
  }
  return out;
}

// &amp; &lt; &gt; and the quote spellings of HTML servers and XML writers.
std::string markup_escape(std::string_view text, std::string_view apostrophe, std::string_view quote) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += quote; break;
      case '\'': out += apostrophe; break;
      default: out += c;
    }
  }
  return out;
}

// The base64 characters that depend only on `s` when it starts `offset`
// bytes into a longer base64-encoded text (as in "user:PASSWORD" or a
// token inside a JSON web token): the characters shared with the bytes
// before and after it are left out.
std::string base64_within(std::string_view s, size_t offset) {
  std::string encoded = base64_encode(std::string(offset, '\0') + std::string(s));
  size_t total = offset + s.size();
  size_t end = total / 3 * 4 + (total % 3 == 0 ? 0 : total % 3 == 1 ? 1 : 2);
  size_t begin = offset == 0 ? 0 : offset == 1 ? 2 : 3;
  return end > begin ? encoded.substr(begin, end - begin) : std::string();
}

// Invalid UTF-8 bytes replaced by U+FFFD, as a server that decodes the
// secret leniently echoes it (Python's errors="replace", nlohmann's
// error_handler_t::replace); with `escaped`, as "\ufffd".
std::string utf8_replaced(std::string_view s, bool escaped) {
  std::string out;
  for (size_t i = 0; i < s.size();) {
    auto c = static_cast<unsigned char>(s[i]);
    size_t n = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
    bool valid = n > 0 && i + n <= s.size();
    for (size_t k = 1; valid && k < n; ++k) valid = (static_cast<unsigned char>(s[i + k]) & 0xC0) == 0x80;
    if (valid) {
      out.append(s.substr(i, n));
      i += n;
    } else {
      out += escaped ? "\\ufffd" : "\xEF\xBF\xBD";
      ++i;
    }
  }
  return out;
}

std::string_view trimmed(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

}  // namespace

std::string percent_encode(std::string_view text) { return percent_encode_with(text, false, false); }

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

std::vector<std::string> secret_forms(std::string_view secret) {
  std::vector<std::string> forms;
  std::string lower(secret), upper(secret);
  for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (auto& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  // As sent, trimmed by the server that echoes it, and in the case a
  // server folded it to (an SQL identifier, a lower-cased log line).
  std::string replaced = utf8_replaced(secret, false), replaced_escaped = utf8_replaced(secret, true);
  for (std::string_view s : {secret, trimmed(secret), std::string_view(lower), std::string_view(upper),
                             std::string_view(replaced), std::string_view(replaced_escaped)}) {
    if (s.empty()) continue;
    forms.emplace_back(s);
    forms.push_back(percent_encode_with(s, false, false));
    forms.push_back(percent_encode_with(s, true, false));
    forms.push_back(percent_encode_with(s, false, true));
    forms.push_back(json_escape(s, false));
    forms.push_back(json_escape(s, true));
    forms.push_back(markup_escape(s, "&#39;", "&quot;"));
    forms.push_back(markup_escape(s, "&#x27;", "&#34;"));
    forms.push_back(markup_escape(s, "&apos;", "&quot;"));
  }
  for (std::string_view s : {secret, trimmed(secret)}) {
    for (size_t offset = 0; offset < 3; ++offset) {
      std::string b64 = base64_within(s, offset);
      std::string url_safe = b64;
      std::replace(url_safe.begin(), url_safe.end(), '+', '-');
      std::replace(url_safe.begin(), url_safe.end(), '/', '_');
      forms.push_back(std::move(b64));
      forms.push_back(std::move(url_safe));
    }
  }
  std::sort(forms.begin(), forms.end());
  forms.erase(std::unique(forms.begin(), forms.end()), forms.end());
  std::erase(forms, std::string());
  return forms;
}

Redactor::Redactor(const std::vector<std::string>& secrets) {
  for (const auto& secret : secrets) {
    if (secret.size() > kShortestCutPrefix) cut_able_.push_back(secret);
    for (auto& form : secret_forms(secret)) {
      longest_ = std::max(longest_, form.size());
      (form.size() < kMinSubstringLength ? whole_ : anywhere_).push_back(std::move(form));
    }
  }
  for (auto* list : {&anywhere_, &whole_}) {
    std::sort(list->begin(), list->end(), [](const auto& a, const auto& b) { return a.size() > b.size(); });
    list->erase(std::unique(list->begin(), list->end()), list->end());
  }
}

std::string Redactor::scrub(std::string_view text) const {
  if (empty()) return std::string(text);
  // Every match is found in the original text, widened to the token
  // around it, then the merged spans are masked at once.
  std::vector<std::pair<size_t, size_t>> spans;
  auto at_token_edge = [&](size_t pos) {
    return pos == 0 || pos >= text.size() || !token_byte(text[pos - 1]) || !token_byte(text[pos]);
  };
  auto add = [&](size_t begin, size_t end) {
    while (begin > 0 && token_byte(text[begin - 1]) && token_byte(text[begin])) --begin;
    while (end < text.size() && token_byte(text[end]) && token_byte(text[end - 1])) ++end;
    spans.emplace_back(begin, end);
  };
  for (const auto& needle : anywhere_) {
    for (size_t pos = text.find(needle); pos != std::string_view::npos; pos = text.find(needle, pos + 1)) {
      add(pos, pos + needle.size());
    }
  }
  for (const auto& needle : whole_) {
    for (size_t pos = text.find(needle); pos != std::string_view::npos; pos = text.find(needle, pos + 1)) {
      if (at_token_edge(pos) && at_token_edge(pos + needle.size())) add(pos, pos + needle.size());
    }
  }
  // A server that cut the secret short ("invalid password Cx9-cana..."):
  // a prefix of it that ends at "..." or "…".
  for (const auto& secret : cut_able_) {
    std::string_view head = std::string_view(secret).substr(0, kShortestCutPrefix);
    for (size_t pos = text.find(head); pos != std::string_view::npos; pos = text.find(head, pos + 1)) {
      size_t n = head.size();
      while (n < secret.size() && pos + n < text.size() && text[pos + n] == secret[n]) ++n;
      std::string_view after = text.substr(pos + n);
      // Only a marked cut counts: a prefix that ends a text is as often a
      // name ("cache/redis" for a password "redis-8f3a...").
      bool cut = after.starts_with("...") || after.starts_with("\xE2\x80\xA6");
      if (n < secret.size() && cut) add(pos, pos + n);
    }
  }
  if (spans.empty()) return std::string(text);
  std::sort(spans.begin(), spans.end());
  std::string out;
  size_t copied = 0;
  for (size_t i = 0; i < spans.size();) {
    size_t begin = spans[i].first, end = spans[i].second;
    for (++i; i < spans.size() && spans[i].first <= end; ++i) end = std::max(end, spans[i].second);
    out.append(text.substr(copied, begin - copied));
    out += "***";
    copied = end;
  }
  out.append(text.substr(copied));
  return out;
}

std::string Redactor::prefix(std::string_view text, size_t max_bytes) const {
  // Enough past the cut that a secret reaching into the shown part is whole.
  size_t window = max_bytes + longest_;
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

}  // namespace preflight
