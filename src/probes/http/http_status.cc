#include "probes/http/http_status.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace preflight {
namespace {

// A 404 is a wrong path, which no retry fixes: name the path, and the
// variable or field each of its pieces came from.
std::string no_such_path_hint(const HintContext& c) {
  // The target's path has "health_path" joined already: split it again.
  const std::string health_path = c.fields->value("health_path", "");
  std::string path = c.target ? c.target->url.path : "";
  if (!health_path.empty() && path.ends_with(health_path)) path.resize(path.size() - health_path.size());
  if (path.empty()) path = "/";
  std::string pieces = path == "/" ? std::string("the URL has no path")
                                   : fmt::format("the URL's path is {}{}", path, c.named_source(path));
  if (!health_path.empty()) pieces += fmt::format(", and \"health_path\" {} is joined to it", health_path);
  return fmt::format("the service answers but has no such path (404): {}; fix the path, or the service's route", pieces);
}

// The route answers only after a login, so every retry meets the same
// sign-in page: say where the path came from and how services exempt one.
std::string login_wall_hint(const HintContext& c) {
  const std::string path = c.target ? c.target->url.path : std::string();
  return fmt::format("{} is behind a login: the service sends callers without a session to its sign-in page, and no "
                     "retry gets past it. Exempt the health route from authentication (Django: login_not_required or "
                     "a view without login_required; Spring Security: permitAll(); oauth2-proxy: --skip-auth-route; "
                     "IAP and Easy Auth: a path excluded from the policy), or set \"health_path\" to a public one{}",
                     path.empty() ? std::string("the URL") : path, c.url_source);
}

}  // namespace

Cause http_status_cause(long status) {
  switch (status) {
    case 401: return Cause::unauthenticated;
    case 403: return Cause::forbidden;
    case 404: return Cause::no_such_path;
    case 405: return Cause::wrong_method;
    case 429: return Cause::rate_limited;
    case 503: return Cause::not_ready;
    default: return Cause::none;
  }
}

std::string http_status_hint(const Failure& f, const HintContext& c) {
  const std::string token = c.secret_variable.empty() ? std::string() : fmt::format(" (the token from {}, {})", c.secret_variable, c.secret_source);
  switch (f.cause) {
    case Cause::unauthenticated:
      return fmt::format("the request carried no credentials the server accepts (401): check the Authorization header{}; "
                         "a private Cloud Run service wants an identity token for its URL",
                         token);
    case Cause::forbidden:
      return fmt::format("the server knows the caller but does not allow it (403){}: check the caller's permissions "
                         "(Cloud Run: roles/run.invoker; internal ingress needs traffic from the VPC), and for a "
                         "WebSocket, the Origin it accepts",
                         token);
    case Cause::no_such_path: return no_such_path_hint(c);
    case Cause::wrong_method:
      return fmt::format("the service answers but not to {} (405): set \"method\" on the check to one the endpoint takes",
                         c.fields->value("method", "GET"));
    case Cause::not_ready:
      return "the service runs but says it is not ready (503): its own dependencies are probably still starting; "
             "retrying is right — if it stays 503, read that service's logs";
    case Cause::login_wall: return login_wall_hint(c);
    case Cause::rate_limited:
      return "the service is rate-limiting this client (429): back off, or exempt health checks from the limit";
    default: return {};
  }
}

}  // namespace preflight
