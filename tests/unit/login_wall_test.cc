// Where frameworks and auth proxies send a caller without a session, as
// their documentation and source write the Location header.
#include "probes/http/login_wall.h"

#include <gtest/gtest.h>

namespace preflight {
namespace {

struct Redirect {
  const char* who;
  const char* location;
};

TEST(LoginWall, EachFrameworksSignInRedirectIsNamed) {
  const Redirect sign_in[] = {
      {"Django login_required", "/accounts/login/?next=/health"},
      {"Rails Devise", "http://app.internal/users/sign_in"},
      {"Spring Security form login", "http://localhost:8080/login"},
      {"ASP.NET Core Identity", "/Account/Login?ReturnUrl=%2Fhealth"},
      {"oauth2-proxy", "/oauth2/start?rd=%2Fhealth"},
      {"Azure App Service Easy Auth", "/.auth/login/aad?post_login_redirect_uri=/health"},
      {"Identity-Aware Proxy", "https://accounts.google.com/o/oauth2/v2/auth?client_id=1.apps.googleusercontent.com"},
      {"Keycloak", "https://kc.example.com/realms/app/protocol/openid-connect/auth?client_id=api"},
      {"Okta", "https://dev-1.okta.com/oauth2/default/v1/authorize?client_id=x"},
      {"Microsoft Entra", "https://login.microsoftonline.com/common/oauth2/v2.0/authorize"},
      {"a custom page that sends the caller back", "/welcome?continue=https%3A%2F%2Fapi.example.com%2Fhealth"},
  };
  for (const Redirect& r : sign_in) EXPECT_TRUE(redirects_to_sign_in(r.location, "/health")) << r.who << ": " << r.location;
}

TEST(LoginWall, OtherRedirectsAreNotALogin) {
  const Redirect other[] = {
      {"a trailing slash", "/health/"},
      {"http to https", "https://api.example.com/health"},
      {"a moved route", "/v2/health"},
      {"a word that only starts like one", "/author/login-history-report"},
      {"a return parameter that names another path", "/welcome?next=/dashboard"},
  };
  for (const Redirect& r : other) EXPECT_FALSE(redirects_to_sign_in(r.location, "/health")) << r.who << ": " << r.location;
}

}  // namespace
}  // namespace preflight
