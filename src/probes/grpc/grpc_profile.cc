// A *_SERVICE_URL with a grpc:// or grpcs:// scheme: the standard health
// check, before HTTP's.
#include <fmt/format.h>

#include "probes/profile_offer.h"

namespace preflight {

void offer_grpc_checks(const ProfileVariables& vars, std::vector<ProfileOffer>& out) {
  for (std::string_view name : service_url_variables(vars)) {
    const std::string scheme = vars.scheme_of(name);
    if (scheme != "grpc" && scheme != "grpcs") continue;
    out.push_back({ProfilePhase::services, std::string(name), profile_rank::kOwnScheme, service_check_name(name),
                   {{"url", fmt::format("${{{}}}", name)}}, std::string(name)});
  }
}

}  // namespace preflight
