// A health route behind a login: the server redirects to a sign-in page
// instead of answering. Decided from the redirect's target as frameworks
// and auth proxies write it, so that no retry is spent on it.
#pragma once

#include <string_view>

namespace preflight {

// True when `location` (a Location header, absolute or relative) is a
// sign-in page: a path segment that names one (Django's /accounts/login/,
// Devise's /users/sign_in, oauth2-proxy's /oauth2/start, Azure's
// /.auth/login, IAP's /_gcp_iap/), an identity provider's host
// (accounts.google.com, login.microsoftonline.com, *.okta.com, auth.*), or a
// parameter that carries the requested path back (?next=/health, rd=,
// ReturnUrl=...).
bool redirects_to_sign_in(std::string_view location, std::string_view requested_path);

}  // namespace preflight
