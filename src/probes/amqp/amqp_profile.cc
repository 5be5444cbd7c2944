// A message broker's URL, as Celery, kombu and the AMQP clients name it.
#include <fmt/format.h>

#include "probes/profile_offer.h"

namespace preflight {

void offer_amqp_checks(const ProfileVariables& vars, std::vector<ProfileOffer>& out) {
  // The broker is AMQP's unless another protocol's scheme claims it
  // (Celery's broker may be Redis).
  if (auto broker = broker_variable(vars); !broker.empty()) {
    out.push_back({ProfilePhase::services, "broker", profile_rank::kAnyUrl, "amqp",
                   {{"url", fmt::format("${{{}}}", broker)}}, std::string(broker)});
  }
}

}  // namespace preflight
