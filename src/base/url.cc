#include "base/url.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <vector>

#include <fmt/format.h>

#include "base/secret_positions.h"
#include "base/text.h"

namespace preflight {
namespace {

Unexpected<std::string> error(std::string message) { return Unexpected<std::string>{std::move(message)}; }

bool valid_scheme(std::string_view s) {
  if (s.empty() || !std::isalpha(static_cast<unsigned char>(s[0]))) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '-' || c == '.';
  });
}

bool valid_host_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.' || c == '_';
}

}  // namespace

std::string host_in_url(std::string_view host) {
  return host.find(':') != std::string_view::npos ? fmt::format("[{}]", host) : std::string(host);
}

std::optional<std::string> percent_decode(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '%') {
      out += s[i];
      continue;
    }
    if (i + 2 >= s.size() || !std::isxdigit(static_cast<unsigned char>(s[i + 1])) ||
        !std::isxdigit(static_cast<unsigned char>(s[i + 2]))) {
      return std::nullopt;
    }
    int v = 0;
    std::from_chars(s.data() + i + 1, s.data() + i + 3, v, 16);
    out += static_cast<char>(v);
    i += 2;
  }
  return out;
}

std::string Url::authority(uint16_t default_port) const {
  uint16_t p = port.value_or(default_port);
  return fmt::format("{}:{}", host_in_url(host), p);
}

Result<Url, std::string> parse_url(std::string_view text) {
  Url url;
  auto sep = text.find("://");
  if (sep == std::string_view::npos) return error("is not a URL (expected scheme://host...)");
  std::string_view scheme = text.substr(0, sep);
  if (!valid_scheme(scheme)) return error("the scheme has a character a URL scheme cannot contain (letters, digits, + - . only)");
  url.scheme.resize(scheme.size());
  std::transform(scheme.begin(), scheme.end(), url.scheme.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });

  std::string_view rest = text.substr(sep + 3);
  size_t auth_end = rest.find_first_of("/?#");
  std::string_view authority = rest.substr(0, auth_end);
  std::string_view tail = auth_end == std::string_view::npos ? std::string_view{} : rest.substr(auth_end);

  if (auto at = authority.rfind('@'); at != std::string_view::npos) {
    std::string_view userinfo = authority.substr(0, at);
    authority = authority.substr(at + 1);
    auto colon = userinfo.find(':');
    auto user = percent_decode(userinfo.substr(0, colon));
    if (!user) return error("the user name has an invalid %-escape");
    url.username = *user;
    if (colon != std::string_view::npos) {
      auto pass = percent_decode(userinfo.substr(colon + 1));
      if (!pass) return error("the password has an invalid %-escape");
      url.password = *pass;
    }
  }

  std::string_view port_text;
  if (authority.starts_with('[')) {
    auto close = authority.find(']');
    if (close == std::string_view::npos) return error("an IPv6 address is missing its closing ']'");
    url.host = std::string(authority.substr(1, close - 1));
    std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after[0] != ':') return error("unexpected text after the IPv6 address");
      port_text = after.substr(1);
      if (port_text.empty()) return error("the port is empty");
    }
    bool ok = !url.host.empty() && std::all_of(url.host.begin(), url.host.end(), [](char c) {
      return std::isxdigit(static_cast<unsigned char>(c)) || c == ':' || c == '.';
    });
    if (!ok) return error("the text in [...] is not an IPv6 address");
  } else {
    auto colon = authority.rfind(':');
    url.host = std::string(authority.substr(0, colon));
    if (colon != std::string_view::npos) {
      port_text = authority.substr(colon + 1);
      if (port_text.empty()) return error("the port is empty");
    }
    if (url.host.empty()) return error("the host is empty");
    if (!std::all_of(url.host.begin(), url.host.end(), valid_host_char)) {
      return error("the host has a character a host name cannot contain");
    }
  }
  if (!port_text.empty()) {
    unsigned value = 0;
    auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), value);
    if (ec != std::errc() || end != port_text.data() + port_text.size()) {
      return error("the port is not a number");
    }
    if (value == 0 || value > 65535) return error(fmt::format("port {} is out of range (1-65535)", value));
    url.port = static_cast<uint16_t>(value);
  }

  if (auto hash = tail.find('#'); hash != std::string_view::npos) {
    url.fragment = std::string(tail.substr(hash + 1));
    tail = tail.substr(0, hash);
  }
  auto q = tail.find('?');
  url.path = std::string(tail.substr(0, q));
  if (q != std::string_view::npos) url.query = std::string(tail.substr(q + 1));
  return url;
}

// "https://svc/api/v1/?k=v" + "/health" → "https://svc/api/v1/health?k=v":
// the URL is a base, whatever slash it ends with.
std::string join_url_path(const std::string& url, const std::string& health_path) {
  if (health_path.empty()) return url;
  auto after_scheme = url.find("://");
  size_t path_end = url.find_first_of("?#", after_scheme == std::string::npos ? 0 : after_scheme + 3);
  std::string base = url.substr(0, path_end);
  std::string rest = path_end == std::string::npos ? std::string() : url.substr(path_end);
  size_t authority_end = base.find('/', after_scheme == std::string::npos ? 0 : after_scheme + 3);
  while (authority_end != std::string::npos && base.size() > authority_end && base.ends_with('/')) base.pop_back();
  std::string_view joined = health_path;
  while (joined.starts_with('/')) joined.remove_prefix(1);
  return fmt::format("{}/{}{}", base, joined, rest);
}

bool parameter_looks_secret(std::string_view name) {
  std::string lower = to_lower(name);
  for (std::string_view exact : {"sig", "signature", "code", "key", "auth", "pass", "pwd", "otp", "jwt", "session", "passcode"}) {
    if (lower == exact) return true;
  }
  // oauth_signature, client_assertion, X-Goog-IAP-JWT-Assertion.
  const std::string_view last = std::string_view(lower).substr(lower.find_last_of("_-.") + 1);
  if (last == "signature" || last == "assertion") return true;
  // What describes a credential is not one: token_type, token_endpoint,
  // oauth_signature_method, password_hint.
  for (std::string_view about : {"type", "endpoint", "url", "uri", "method", "hint", "expires", "length", "name"}) {
    if (last == about && lower.size() > last.size()) return false;
  }
  for (std::string_view prefix : {"x-amz-", "x-goog-"}) {
    if (lower.starts_with(prefix)) {
      std::string_view rest = std::string_view(lower).substr(prefix.size());
      return rest == "signature" || rest == "credential" || rest == "security-token";
    }
  }
  return name_looks_secret(name);
}

std::string shown_url(const Url& url) {
  std::string out = url.scheme + "://";
  if (url.password) out += url.username + ":***@";
  else if (!url.username.empty()) out += "***@";  // https://TOKEN@host: a lone user name is a token
  out += host_in_url(url.host);
  if (url.port) out += fmt::format(":{}", *url.port);
  std::string tail = url.path;
  std::string_view query = url.query;
  char sep = '?';
  while (!query.empty()) {
    std::string_view pair = query.substr(0, query.find('&'));
    query.remove_prefix(std::min(query.size(), pair.size() + 1));
    auto eq = pair.find('=');
    std::string_view name = pair.substr(0, eq);
    tail += sep;
    sep = '&';
    if (eq == std::string_view::npos) {
      tail += name;
      continue;
    }
    std::string_view value = pair.substr(eq + 1);
    std::string decoded = percent_decode(value).value_or(std::string(value));
    // A credential's value, the password again, or a URL with credentials
    // nested in the query (in the value, or in a name without '&').
    auto nested_credentials = [](std::string_view text) {
      return text.find("://") != std::string_view::npos && text.find('@') != std::string_view::npos;
    };
    if (nested_credentials(name)) {
      tail += "***";
      continue;
    }
    bool secret = parameter_looks_secret(percent_decode(name).value_or(std::string(name))) ||
                  nested_credentials(decoded) || (url.password && (decoded == *url.password || value == *url.password));
    tail += fmt::format("{}={}", name, secret && !value.empty() ? "***" : value);
  }
  // The password written again anywhere after the host, across the
  // query's separators too (found by fuzz_url), is masked.
  if (url.password && url.password->size() >= 3) {
    for (size_t at = tail.find(*url.password); at != std::string::npos; at = tail.find(*url.password, at + 3)) {
      tail.replace(at, url.password->size(), "***");
    }
  }
  return out + tail;
}

}  // namespace preflight
