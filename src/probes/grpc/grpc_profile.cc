// A *_SERVICE_URL with a grpc:// or grpcs:// scheme, or written as a gRPC
// target (dns:///host:port, unix:path, ipv4:, ipv6:): the standard health
// check, before HTTP's.
#include <fmt/format.h>

#include "base/text.h"
#include "probes/profile_offer.h"

namespace preflight {

void offer_grpc_checks(const ProfileVariables& vars, std::vector<ProfileOffer>& out) {
  for (std::string_view name : service_url_variables(vars)) {
    const std::string scheme = vars.scheme_of(name);
    const std::string value = to_lower(vars.value(name));
    // No scheme at all (payments:50051) is a gRPC target too: HTTP
    // clients refuse a URL without one.
    const bool target = value.starts_with("dns:") || value.starts_with("unix:") || value.starts_with("ipv4:") ||
                        value.starts_with("ipv6:") || (!value.empty() && scheme.empty());
    if (scheme != "grpc" && scheme != "grpcs" && !target) continue;
    out.push_back({ProfilePhase::services, std::string(name), profile_rank::kOwnScheme, service_check_name(name),
                   {{"url", fmt::format("${{{}}}", name)}}, std::string(name)});
  }
}

}  // namespace preflight
