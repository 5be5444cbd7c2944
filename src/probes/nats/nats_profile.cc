// NATS_URL as nats.go and nats.py read it (a server or a list).
#include "probes/profile_offer.h"

namespace preflight {

void offer_nats_checks(const ProfileVariables& vars, std::vector<ProfileOffer>& out) {
  if (vars.has("NATS_URL")) {
    out.push_back({ProfilePhase::services, "nats", profile_rank::kOwnScheme, "nats", {{"url", "${NATS_URL}"}}, "NATS_URL"});
  }
}

}  // namespace preflight
