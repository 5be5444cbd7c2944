// The variables memcached clients are configured with: preflight's own
// MEMCACHED_URL; django-environ's CACHE_URL when it names memcached; the
// server lists of memjs (MEMCACHIER_SERVERS, then MEMCACHE_SERVERS, as it
// reads them), Dalli (MEMCACHE_SERVERS) and MEMCACHED_SERVERS; an image's
// MEMCACHED_HOST and MEMCACHED_PORT. The first that is set makes the check.
#include "probes/profile_offer.h"

namespace preflight {

void offer_memcached_checks(const ProfileVariables& vars, std::vector<ProfileOffer>& out) {
  auto offer = [&](std::string_view variable, int rank) {
    out.push_back({ProfilePhase::cache, "memcached", rank, "memcached", {{"url", "${" + std::string(variable) + "}"}},
                   std::string(variable)});
  };
  if (vars.has("MEMCACHED_URL")) return offer("MEMCACHED_URL", profile_rank::kOwnScheme);
  const std::string cache_scheme = vars.scheme_of("CACHE_URL");
  if (cache_scheme == "memcache" || cache_scheme == "pymemcache" || cache_scheme == "memcached") {
    return offer("CACHE_URL", profile_rank::kOwnScheme);
  }
  for (std::string_view list : {"MEMCACHED_SERVERS", "MEMCACHIER_SERVERS", "MEMCACHE_SERVERS"}) {
    if (vars.has(list)) return offer(list, profile_rank::kClientVariable);
  }
  if (vars.has("MEMCACHED_HOST")) {
    out.push_back({ProfilePhase::cache, "memcached", profile_rank::kHostVariable, "memcached",
                   {{"url", "memcached://${MEMCACHED_HOST}:${MEMCACHED_PORT:-11211}"}}, "MEMCACHED_HOST"});
  }
}

}  // namespace preflight
