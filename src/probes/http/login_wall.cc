#include "probes/http/login_wall.h"

#include <algorithm>
#include <array>
#include <string>

#include "base/text.h"
#include "base/url.h"

namespace preflight {
namespace {

constexpr std::array<std::string_view, 17> kSignInSegments = {
    "login", "log-in", "log_in", "signin", "sign-in", "sign_in", "logon", "auth", ".auth", "oauth", "oauth2",
    "authorize", "sso", "saml", "saml2", "openid-connect", "_gcp_iap"};

constexpr std::array<std::string_view, 4> kSignInHostPrefixes = {"login.", "auth.", "sso.", "signin."};
constexpr std::array<std::string_view, 4> kSignInHostSuffixes = {"accounts.google.com", ".okta.com", ".auth0.com",
                                                                 "login.microsoftonline.com"};

// Parameters through which a login page sends the user back afterwards.
constexpr std::array<std::string_view, 12> kReturnParameters = {
    "next", "rd", "return_to", "returnto", "returnurl", "return_url", "redirect", "redirect_uri",
    "redirect_url", "continue", "came_from", "from"};

bool has_sign_in_segment(std::string_view path) {
  for (std::string_view segment : split(path, '/')) {
    if (std::find(kSignInSegments.begin(), kSignInSegments.end(), segment) != kSignInSegments.end()) return true;
  }
  return false;
}

bool is_sign_in_host(std::string_view host) {
  return std::any_of(kSignInHostPrefixes.begin(), kSignInHostPrefixes.end(), [&](auto p) { return host.starts_with(p); }) ||
         std::any_of(kSignInHostSuffixes.begin(), kSignInHostSuffixes.end(), [&](auto s) { return host.ends_with(s); });
}

bool carries_path_back(std::string_view query, std::string_view requested_path) {
  if (requested_path.empty() || requested_path == "/") return false;
  for (std::string_view pair : split(query, '&')) {
    const size_t eq = pair.find('=');
    if (eq == std::string_view::npos) continue;
    const std::string key = to_lower(pair.substr(0, eq));
    if (std::find(kReturnParameters.begin(), kReturnParameters.end(), key) == kReturnParameters.end()) continue;
    const auto value = percent_decode(pair.substr(eq + 1));
    if (value && value->find(requested_path) != std::string::npos) return true;
  }
  return false;
}

}  // namespace

bool redirects_to_sign_in(std::string_view location, std::string_view requested_path) {
  const std::string lower = to_lower(trim(location));
  std::string host, path, query;
  if (lower.find("://") != std::string::npos) {
    auto url = parse_url(lower);
    if (!url.ok()) return false;
    host = url->host, path = url->path, query = url->query;
  } else {
    const size_t q = lower.find('?');
    path = lower.substr(0, q);
    if (q != std::string::npos) query = lower.substr(q + 1, lower.find('#', q) - q - 1);
  }
  return has_sign_in_segment(path) || is_sign_in_host(host) || carries_path_back(query, to_lower(requested_path));
}

}  // namespace preflight
