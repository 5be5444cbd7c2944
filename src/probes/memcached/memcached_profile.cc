// The variables memcached clients are configured with.
#include "probes/profile_offer.h"

namespace preflight {

void offer_memcached_checks(const ProfileVariables& vars, std::vector<ProfileOffer>& out) {
  auto offer = [&](nlohmann::json fields, std::string variable) {
    out.push_back({ProfilePhase::cache, "memcached", profile_rank::kOwnScheme, "memcached", std::move(fields),
                   std::move(variable)});
  };
  if (vars.has("MEMCACHED_URL")) offer({{"url", "${MEMCACHED_URL}"}}, "MEMCACHED_URL");
  else if (vars.has("MEMCACHED_HOST")) offer({{"url", "memcached://${MEMCACHED_HOST}:${MEMCACHED_PORT:-11211}"}}, "MEMCACHED_HOST");
}

}  // namespace preflight
