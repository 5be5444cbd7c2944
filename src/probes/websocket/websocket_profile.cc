// WEBSOCKET_URL: the endpoint a chat or live-update client connects to.
#include "probes/profile_offer.h"

namespace preflight {

void offer_websocket_checks(const ProfileVariables& vars, std::vector<ProfileOffer>& out) {
  if (vars.has("WEBSOCKET_URL")) {
    out.push_back({ProfilePhase::websocket, "websocket", profile_rank::kOwnScheme, "websocket",
                   {{"url", "${WEBSOCKET_URL}"}}, "WEBSOCKET_URL"});
  }
}

}  // namespace preflight
