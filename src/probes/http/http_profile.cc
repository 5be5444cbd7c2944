// A *_SERVICE_URL is a base URL: /health is joined to its path, and any
// HTTP answer below 500 means the service is up (a health route that does
// not exist answers 404, which is still an answer).
#include <fmt/format.h>

#include "base/url.h"
#include "base/text.h"
#include "probes/profile_offer.h"

namespace preflight {
namespace {

// A URL on Cloud Run's own domain (*.run.app).
bool runs_on_cloud_run(const std::string& url) {
  auto parsed = parse_url(trim(url));
  return parsed.ok() && (parsed->host.ends_with(".run.app") || parsed->host == "run.app");
}

}  // namespace

void offer_http_checks(const ProfileVariables& vars, std::vector<ProfileOffer>& out) {
  for (std::string_view name : service_url_variables(vars)) {
    nlohmann::json fields = {{"url", fmt::format("${{{}}}", name)}, {"health_path", "/health"}, {"expect", {{"status", {"200-499"}}}}};
    // On Cloud Run, another Cloud Run service is private unless made public:
    // it is called with an identity token, as service-to-service calls are.
    if (vars.has("K_SERVICE") && runs_on_cloud_run(vars.value(name))) fields["auth"] = "google-id-token";
    out.push_back({ProfilePhase::services, std::string(name), profile_rank::kAnyUrl, service_check_name(name),
                   std::move(fields), std::string(name)});
  }
}

}  // namespace preflight
