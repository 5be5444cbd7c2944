#include "secret_forms.h"

#include <algorithm>
#include <cctype>

#include <fmt/format.h>

#include "base/secret_needles.h"
#include "base/redact.h"

namespace preflight::testing {
namespace {

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

}  // namespace preflight::testing
