#include "base/secret_positions.h"

#include <algorithm>
#include <array>

#include <nlohmann/json.hpp>

#include "base/text.h"
#include "base/url.h"

namespace preflight {
namespace {

// Authorization schemes: the word before the credential, not a secret.
// IANA's HTTP Authentication Scheme Registry, and the words APIs use.
constexpr std::array<std::string_view, 19> kSchemes = {
    "bearer", "basic",         "token",        "digest",      "bot",    "negotiate", "apikey",
    "oauth",  "dpop",          "gnap",         "hoba",        "mutual", "ntlm",      "privatetoken",
    "vapid",  "scram-sha-256", "scram-sha-1",  "concealed",   "aws4-hmac-sha256"};

void add(std::string_view value, std::vector<std::string>& out) {
  if (!value.empty()) out.emplace_back(value);
}

void add_url_credentials(std::string_view text, std::vector<std::string>& out) {
  if (text.find("://") == std::string_view::npos || text.find('@') == std::string_view::npos) return;
  auto url = parse_url(text);
  if (!url.ok()) return;
  // A user name alone is a token (https://TOKEN@host); beside a password
  // it is a name.
  if (url->password) add(*url->password, out);
  else add(url->username, out);
}

void add_json_secrets(const nlohmann::json& doc, std::vector<std::string>& out, int depth = 0) {
  if (depth > 32) return;
  if (doc.is_object()) {
    for (const auto& [key, value] : doc.items()) {
      if (value.is_string() && parameter_looks_secret(key)) add(value.get_ref<const std::string&>(), out);
      add_json_secrets(value, out, depth + 1);
    }
  } else if (doc.is_array()) {
    for (const auto& value : doc) add_json_secrets(value, out, depth + 1);
  }
}

}  // namespace

bool is_auth_scheme(std::string_view word) {
  return std::find(kSchemes.begin(), kSchemes.end(), to_lower(word)) != kSchemes.end();
}

void add_header_secrets(std::string_view value, std::vector<std::string>& out) {
  add(value, out);
  size_t i = 0;
  bool first = true;
  while (i < value.size()) {
    size_t end = value.find_first_of(" \t,", i);
    if (end == std::string_view::npos) end = value.size();
    std::string_view word = value.substr(i, end - i);
    i = end + 1;
    if (word.empty()) continue;
    bool scheme = first && is_auth_scheme(word);
    first = false;
    if (scheme) continue;
    add(word, out);
    // "key=VALUE" holds VALUE; a key's own '=' padding ("c2VjcmV0==") is
    // not a value, and "=" alone would mask every '=' of the output.
    if (size_t eq = word.find('='); eq != std::string_view::npos) {
      if (size_t at = word.find_first_not_of('=', eq); at != std::string_view::npos) add(word.substr(at), out);
    }
  }
}

void add_parameter_secrets(std::string_view query, std::vector<std::string>& out) {
  while (!query.empty()) {
    std::string_view pair = query.substr(0, query.find('&'));
    query.remove_prefix(std::min(query.size(), pair.size() + 1));
    auto eq = pair.find('=');
    if (eq == std::string_view::npos || eq + 1 == pair.size()) continue;
    std::string_view raw = pair.substr(eq + 1);
    std::string value = percent_decode(raw).value_or(std::string(raw));
    if (parameter_looks_secret(percent_decode(pair.substr(0, eq)).value_or(std::string(pair.substr(0, eq))))) {
      add(raw, out);
      add(value, out);
    }
    add_url_credentials(value, out);
  }
}

void add_proxy_secrets(std::string_view proxy, std::vector<std::string>& out) {
  if (proxy.find('@') == std::string_view::npos) return;  // no credentials
  add(proxy, out);
  std::string with_scheme = proxy.find("://") == std::string_view::npos ? "http://" + std::string(proxy) : std::string(proxy);
  add_url_credentials(with_scheme, out);
  // What is before the last '@' after the scheme, as written, in case the
  // URL does not parse (an unencoded '/' in the password).
  std::string_view rest = std::string_view(with_scheme).substr(with_scheme.find("://") + 3);
  std::string_view userinfo = rest.substr(0, rest.rfind('@'));
  add(userinfo, out);
  if (auto colon = userinfo.find(':'); colon != std::string_view::npos) add(userinfo.substr(colon + 1), out);
}

void add_body_secrets(std::string_view body, std::vector<std::string>& out) {
  add(body, out);
  auto doc = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (!doc.is_discarded()) {
    add_json_secrets(doc, out);
    return;
  }
  add_parameter_secrets(body, out);
}

bool name_looks_secret(std::string_view name) {
  std::string upper(name);
  std::transform(upper.begin(), upper.end(), upper.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  // Words that mark a secret wherever they stand (DB_PASSWORD, GITHUB_TOKEN).
  for (std::string_view word : {"PASSWORD", "PASSWD", "PASSPHRASE", "SECRET", "TOKEN", "CREDENTIAL", "PRIVATE", "APIKEY",
                                "BEARER", "JWT", "CONNECTION_STRING"}) {
    if (upper.find(word) != std::string::npos) return true;
  }
  // The shell's working directories (POSIX sh sets both): every path under
  // the current directory would be masked in every message.
  if (upper == "PWD" || upper == "OLDPWD") return false;
  // The words between '_', '-' and '.', looked at without copying them: this
  // runs for every variable of the environment at every start.
  std::string_view last;
  for (std::string_view rest = upper;;) {
    const size_t end = rest.find_first_of("_-.");
    const std::string_view word = rest.substr(0, end);
    // PAT: a personal access token (GITHUB_PAT); DSN: a connection string
    // with its password (SENTRY_DSN, DATABASE_DSN); SIG: a signature.
    if (word == "PASS" || word == "PWD" || word == "PAT" || word == "DSN" || word == "SIG") return true;
    if (end == std::string_view::npos) {
      last = word;
      break;
    }
    rest.remove_prefix(end + 1);
  }
  // KEY and AUTH only as the last word: API_KEY and REDIS_AUTH are secrets,
  // REDIS_KEY_PREFIX and AUTH_SERVICE_URL are not.
  return last == "KEY" || last == "AUTH";
}

void add_argument_secrets(const std::vector<std::string>& argv, std::vector<std::string>& out) {
  bool next_is_secret = false;
  for (const std::string& word : argv) {
    if (next_is_secret) add(word, out);
    next_is_secret = false;
    add_url_credentials(word, out);
    if (size_t query = word.find('?'); query != std::string::npos && word.find("://") != std::string::npos) {
      add_parameter_secrets(std::string_view(word).substr(query + 1), out);
    }
    std::string_view name = word;
    while (name.starts_with('-')) name.remove_prefix(1);
    const size_t eq = name.find('=');
    const std::string_view key = name.substr(0, eq);
    if (key.empty() || !(parameter_looks_secret(key) || name_looks_secret(key))) continue;
    if (eq == std::string_view::npos) {
      next_is_secret = word.starts_with('-');  // "--password VALUE"
    } else {
      add(name.substr(eq + 1), out);
    }
  }
}

}  // namespace preflight
