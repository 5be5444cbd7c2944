#include "base/credential_positions.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <vector>

#include "base/secret_positions.h"
#include "base/text.h"
#include "base/url.h"

namespace preflight {
namespace {

using Spans = std::vector<std::pair<size_t, size_t>>;

bool alnum(unsigned char c) { return std::isalnum(c) != 0; }
bool key_byte(unsigned char c) { return alnum(c) || c == '_' || c == '-' || c == '.' || c == '%' || c == '[' || c == ']'; }
// Where a value written bare ends: the separators of queries, forms and
// headers, and the quotes, brackets and escapes of the text around it.
bool bare_end(unsigned char c) {
  return c <= ' ' || c == '&' || c == ';' || c == ',' || c == '"' || c == '\'' || c == '<' || c == '>' || c == '(' ||
         c == ')' || c == '[' || c == ']' || c == '{' || c == '}' || c == '#' || c == '\\' || c == '`';
}
bool token_run_byte(unsigned char c) { return alnum(c) || c == '_' || c == '-' || c == '.'; }

// Header names whose value is a credential though their name says no
// secret word (name_looks_secret covers X-Vault-Token, X-Api-Key...).
bool credential_header(std::string_view name) {
  const std::string lower = to_lower(name);
  for (std::string_view h : {"authorization", "proxy-authorization", "cookie", "set-cookie", "x-goog-iap-jwt-assertion"}) {
    if (lower == h) return true;
  }
  return lower.find('-') != std::string::npos && name_looks_secret(name);
}

bool credential_name(std::string_view name) {
  if (name.empty()) return false;
  if (credential_header(name)) return true;
  if (name.find('%') != std::string_view::npos) {
    if (auto decoded = percent_decode(name)) return parameter_looks_secret(*decoded);
  }
  return parameter_looks_secret(name);
}

void add(Spans& spans, size_t begin, size_t end) {
  if (end > begin) spans.emplace_back(begin, end);
}

// The end of a quoted value whose opening quote ends at `at`: the closing
// quote, unescaped; with `escaped` (\" inside a JSON string), the next \".
size_t quoted_end(std::string_view text, size_t at, char quote, bool escaped) {
  for (size_t i = at; i < text.size(); ++i) {
    if (text[i] == '\\') {
      if (escaped && i + 1 < text.size() && text[i + 1] == quote) return i;
      ++i;
      continue;
    }
    if (text[i] == quote) return i;
  }
  return text.size();  // cut: the rest is the value
}

size_t bare_value_end(std::string_view text, size_t at) {
  while (at < text.size() && !bare_end(static_cast<unsigned char>(text[at]))) ++at;
  return at;
}

// scheme://user:PASSWORD@ and https://TOKEN@host.
void url_userinfo(std::string_view text, Spans& spans) {
  for (size_t sep = text.find("://"); sep != std::string_view::npos; sep = text.find("://", sep + 3)) {
    size_t s = sep;
    while (s > 0 && (alnum(text[s - 1]) || text[s - 1] == '+' || text[s - 1] == '.' || text[s - 1] == '-')) --s;
    if (s == sep || !std::isalpha(static_cast<unsigned char>(text[s]))) continue;
    const size_t begin = sep + 3;
    size_t end = begin;
    while (end < text.size() && !bare_end(static_cast<unsigned char>(text[end])) && text[end] != '/' && text[end] != '?') ++end;
    const size_t at = text.substr(begin, end - begin).rfind('@');
    if (at == std::string_view::npos) continue;
    const std::string_view userinfo = text.substr(begin, at);
    if (auto colon = userinfo.find(':'); colon != std::string_view::npos) {
      add(spans, begin + colon + 1, begin + at);
      continue;
    }
    const std::string scheme = to_lower(text.substr(s, sep - s));
    if (scheme == "http" || scheme == "https" || scheme == "ws" || scheme == "wss") add(spans, begin, begin + at);
  }
}

// NAME=VALUE, NAME="VALUE".
void name_equals_value(std::string_view text, Spans& spans) {
  for (size_t eq = text.find('='); eq != std::string_view::npos; eq = text.find('=', eq + 1)) {
    size_t k = eq;
    while (k > 0 && key_byte(static_cast<unsigned char>(text[k - 1]))) --k;
    if (!credential_name(text.substr(k, eq - k))) continue;
    size_t v = eq + 1;
    if (v < text.size() && (text[v] == '"' || text[v] == '\'')) {
      add(spans, v + 1, quoted_end(text, v + 1, text[v], false));
    } else if (text.substr(v).starts_with("\\\"")) {
      add(spans, v + 2, quoted_end(text, v + 2, '"', true));
    } else {
      add(spans, v, bare_value_end(text, v));
    }
  }
}

// "NAME": "VALUE", 'NAME': 'VALUE', \"NAME\": \"VALUE\".
void quoted_name_value(std::string_view text, Spans& spans) {
  for (size_t colon = text.find(':'); colon != std::string_view::npos; colon = text.find(':', colon + 1)) {
    size_t j = colon;
    while (j > 0 && (text[j - 1] == ' ' || text[j - 1] == '\t')) --j;
    if (j == 0 || (text[j - 1] != '"' && text[j - 1] != '\'')) continue;
    const char quote = text[j - 1];
    const bool escaped = j >= 2 && text[j - 2] == '\\';
    const size_t name_end = escaped ? j - 2 : j - 1;
    const size_t open = text.substr(0, name_end).rfind(quote);
    if (open == std::string_view::npos || name_end - open > 64) continue;
    if (!credential_name(text.substr(open + 1, name_end - open - 1))) continue;
    size_t v = colon + 1;
    while (v < text.size() && (text[v] == ' ' || text[v] == '\t')) ++v;
    if (escaped && text.substr(v).starts_with("\\\"")) add(spans, v + 2, quoted_end(text, v + 2, '"', true));
    else if (!escaped && v < text.size() && text[v] == quote) add(spans, v + 1, quoted_end(text, v + 1, quote, false));
  }
}

// Authorization: Bearer VALUE; Cookie: a=VALUE; b=VALUE; Set-Cookie:
// sid=VALUE; Path=/ — a header written as a line of the text.
void header_lines(std::string_view text, Spans& spans) {
  for (size_t colon = text.find(':'); colon != std::string_view::npos; colon = text.find(':', colon + 1)) {
    size_t k = colon;
    while (k > 0 && (alnum(text[k - 1]) || text[k - 1] == '-' || text[k - 1] == '_')) --k;
    const bool quoted_line = k > 0 && text[k - 1] == '"';
    if (k > 0 && !quoted_line && text[k - 1] != '\n' && text[k - 1] != '\r' && text[k - 1] != ' ' && text[k - 1] != '\t') {
      continue;
    }
    const std::string_view name = text.substr(k, colon - k);
    if (!credential_header(name)) continue;
    size_t v = colon + 1;
    while (v < text.size() && (text[v] == ' ' || text[v] == '\t')) ++v;
    size_t end = v;
    // The line's end; in a quoted line its closing quote, and in a JSON
    // string the first escape (name_equals_value reads \"VALUE\").
    while (end < text.size() && text[end] != '\r' && text[end] != '\n' && text[end] != '\\' && !(quoted_line && text[end] == '"')) {
      ++end;
    }
    const std::string lower = to_lower(name);
    if (lower == "cookie" || lower == "set-cookie") {
      // Each pair's value (Set-Cookie: the first pair; the rest are its
      // attributes).
      for (size_t p = v; p < end;) {
        size_t pair_end = text.substr(0, end).find(';', p);
        if (pair_end == std::string_view::npos) pair_end = end;
        if (size_t eq = text.substr(0, pair_end).find('=', p); eq != std::string_view::npos) add(spans, eq + 1, pair_end);
        if (lower == "set-cookie") break;
        p = pair_end + 1;
        while (p < end && text[p] == ' ') ++p;
      }
      continue;
    }
    size_t word_end = v;
    while (word_end < end && text[word_end] != ' ') ++word_end;
    if (word_end < end && is_auth_scheme(text.substr(v, word_end - v))) v = word_end + 1;
    add(spans, v, end);
  }
}

// Prefixes that token issuers put on their tokens so that scanners find
// them (as gitleaks and GitHub's secret scanning do). A run of one with 8
// characters or more after it is masked, cut or whole.
constexpr std::array<std::string_view, 19> kTokenPrefixes = {
    "ya29.", "ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_", "glpat-", "xoxb-", "xoxp-",
    "xoxa-", "xoxe-", "xoxr-", "sk_live_", "rk_live_", "npm_", "hvs.", "AIza", "glsa_"};
constexpr size_t kShortestAfterPrefix = 8;

bool aws_access_key(std::string_view run) {
  if (run.size() != 20 || !(run.starts_with("AKIA") || run.starts_with("ASIA"))) return false;
  return std::all_of(run.begin(), run.end(), [](unsigned char c) { return std::isupper(c) || std::isdigit(c); });
}

// A JWT, or its start: base64url of a JSON object ("{\"" is "eyJ").
bool jwt(std::string_view run) { return run.starts_with("eyJ") && run.size() >= 20; }

// A run as random as a key: long, mixed upper and lower case and digits,
// changing class often, with the entropy of random characters. Words,
// identifiers, hex digests and UUIDs are not.
bool random_looking(std::string_view run) {
  constexpr size_t kShortestKey = 32;
  if (run.size() < kShortestKey) return false;
  int upper = 0, lower = 0, digit = 0, switches = 0, previous = -1;
  std::array<int, 256> counts{};
  for (unsigned char c : run) {
    ++counts[c];
    int cls = std::isupper(c) ? 0 : std::islower(c) ? 1 : std::isdigit(c) ? 2 : 3;
    upper += cls == 0;
    lower += cls == 1;
    digit += cls == 2;
    switches += previous >= 0 && cls != previous;
    previous = cls;
  }
  if (upper < 3 || lower < 3 || digit < 3 || switches < static_cast<int>(run.size() / 4)) return false;
  double entropy = 0;
  for (int n : counts) {
    if (n == 0) continue;
    const double p = static_cast<double>(n) / static_cast<double>(run.size());
    entropy -= p * std::log2(p);
  }
  return entropy >= 4.2;
}

void token_shapes(std::string_view text, Spans& spans) {
  size_t i = 0;
  while (i < text.size()) {
    if (!token_run_byte(static_cast<unsigned char>(text[i]))) {
      ++i;
      continue;
    }
    size_t end = i;
    while (end < text.size() && (token_run_byte(static_cast<unsigned char>(text[end])) || text[end] == '+' ||
                                 text[end] == '/' || text[end] == '=')) {
      ++end;
    }
    while (end > i + 1 && text[end - 1] == '.') --end;  // a sentence's full stop, a cut's "..."
    const std::string_view run = text.substr(i, end - i);
    bool mask = jwt(run) || aws_access_key(run);
    for (std::string_view prefix : kTokenPrefixes) {
      mask = mask || (run.starts_with(prefix) && run.size() >= prefix.size() + kShortestAfterPrefix);
    }
    // A URL or a path is many words: each is judged on its own.
    if (!mask) {
      for (size_t w = 0; w < run.size();) {
        size_t w_end = run.find_first_of("/.=", w);
        if (w_end == std::string_view::npos) w_end = run.size();
        std::string_view word = run.substr(w, w_end - w);
        if (random_looking(word)) add(spans, i + w, i + w + word.size());
        w = w_end + 1;
      }
    } else {
      add(spans, i, end);
    }
    i = std::max(end, i + 1);
  }
}

}  // namespace

std::string mask_credential_positions(std::string_view text) {
  Spans spans;
  url_userinfo(text, spans);
  name_equals_value(text, spans);
  quoted_name_value(text, spans);
  header_lines(text, spans);
  token_shapes(text, spans);
  return mask_spans(text, std::move(spans));
}

}  // namespace preflight
