#include "preflight/url.h"

#include <algorithm>
#include <cctype>
#include <charconv>

#include <vector>

#include <fmt/format.h>

#include "preflight/variables.h"

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
  return host_is_ipv6() ? fmt::format("[{}]:{}", host, p) : fmt::format("{}:{}", host, p);
}

Result<Url, std::string> parse_url(std::string_view text) {
  Url url;
  auto sep = text.find("://");
  if (sep == std::string_view::npos) return error("is not a URL (expected scheme://host...)");
  std::string_view scheme = text.substr(0, sep);
  if (!valid_scheme(scheme)) return error(fmt::format("\"{}\" is not a valid URL scheme", scheme));
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
    if (!ok) return error(fmt::format("\"{}\" is not an IPv6 address", url.host));
  } else {
    auto colon = authority.rfind(':');
    url.host = std::string(authority.substr(0, colon));
    if (colon != std::string_view::npos) {
      port_text = authority.substr(colon + 1);
      if (port_text.empty()) return error("the port is empty");
    }
    if (url.host.empty()) return error("the host is empty");
    if (!std::all_of(url.host.begin(), url.host.end(), valid_host_char)) {
      return error(fmt::format("\"{}\" is not a valid host name", url.host));
    }
  }
  if (!port_text.empty()) {
    unsigned value = 0;
    auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), value);
    if (ec != std::errc() || end != port_text.data() + port_text.size()) {
      return error(fmt::format("port \"{}\" is not a number", port_text));
    }
    if (value == 0 || value > 65535) return error(fmt::format("port {} is out of range (1-65535)", value));
    url.port = static_cast<uint16_t>(value);
  }

  tail = tail.substr(0, tail.find('#'));
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

std::string redact_url(std::string_view text) {
  std::string out(text);
  std::string password;
  auto sep = out.find("://");
  if (sep != std::string::npos) {
    size_t start = sep + 3;
    size_t auth_end = out.find_first_of("/?#", start);
    if (auth_end == std::string::npos) auth_end = out.size();
    auto at = out.rfind('@', auth_end);
    if (at != std::string::npos && at >= start) {
      auto colon = out.find(':', start);
      if (colon != std::string::npos && colon < at) {
        password = out.substr(colon + 1, at - colon - 1);
        out.replace(colon + 1, at - colon - 1, "***");
      }
    }
  }
  // Secret-looking query values: ?password=...&token=...
  auto q = out.find('?');
  while (q != std::string::npos && q < out.size()) {
    size_t key_start = q + 1;
    size_t eq = out.find('=', key_start);
    size_t amp = out.find('&', key_start);
    if (eq == std::string::npos || (amp != std::string::npos && amp < eq)) {
      q = amp;
      continue;
    }
    size_t value_end = amp == std::string::npos ? out.size() : amp;
    if (name_looks_secret(std::string_view(out).substr(key_start, eq - key_start))) {
      out.replace(eq + 1, value_end - eq - 1, "***");
      value_end = eq + 4;
    }
    q = value_end < out.size() ? value_end : std::string::npos;
  }
  // The same password written again later, as written or decoded (a URL
  // nested in the query; both found by fuzz_url), is masked too.
  std::vector<std::string> forms = {password};
  if (auto decoded = percent_decode(password); decoded && *decoded != password) forms.push_back(*decoded);
  for (const auto& form : forms) {
    if (form.size() < 3 || form == "***") continue;
    for (auto at = out.find(form); at != std::string::npos; at = out.find(form, at + 3)) out.replace(at, form.size(), "***");
  }
  return out;
}

}  // namespace preflight
