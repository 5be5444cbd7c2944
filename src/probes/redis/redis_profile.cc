// The variables Redis clients are configured with, and Celery's broker URL
// when it names Redis.
#include <fmt/format.h>

#include "base/text.h"
#include "probes/profile_offer.h"

namespace preflight {
namespace {

void offer_cache(const ProfileVariables& vars, std::vector<ProfileOffer>& out) {
  const bool redis_url = vars.has("REDIS_URL");
  if (!redis_url && !vars.has("REDIS_HOST")) return;
  nlohmann::json fields;
  bool tls = false;
  if (redis_url) {
    fields["url"] = "${REDIS_URL}";
    tls = vars.scheme_of("REDIS_URL") == "rediss";
  } else {
    tls = vars.truthy("REDIS_SSL");
    fields["url"] = fmt::format("{}://${{REDIS_HOST}}:${{REDIS_PORT:-6379}}/${{REDIS_DB:-0}}", tls ? "rediss" : "redis");
  }
  // A password beside a URL without credentials, as applications pass it
  // (redis.from_url(REDIS_URL, password=...)); Laravel writes "null" for none.
  bool url_has_credentials = redis_url && vars.value("REDIS_URL").find('@') != std::string::npos;
  if (const std::string* pw = vars.find("REDIS_PASSWORD"); pw && *pw != "null" && !url_has_credentials) {
    fields["password"] = "${REDIS_PASSWORD}";
  }
  if (vars.has("REDIS_USERNAME") && !url_has_credentials) fields["username"] = "${REDIS_USERNAME}";
  if (tls && vars.has("REDIS_SSL_CA_CERTS")) fields["ca_file"] = "${REDIS_SSL_CA_CERTS}";
  if (tls && to_lower(vars.value("REDIS_SSL_CERT_REQS")).ends_with("none")) fields["insecure_skip_verify"] = true;
  // The application writes: a replica (a failover's old primary, a read
  // endpoint) would fail it with READONLY.
  fields["role"] = "primary";
  out.push_back({ProfilePhase::cache, "redis", profile_rank::kOwnScheme, "redis", std::move(fields),
                 redis_url ? "REDIS_URL" : "REDIS_HOST"});
}

}  // namespace

void offer_redis_checks(const ProfileVariables& vars, std::vector<ProfileOffer>& out) {
  offer_cache(vars, out);
  if (auto broker = broker_variable(vars); !broker.empty()) {
    const std::string scheme = vars.scheme_of(broker);
    if (scheme == "redis" || scheme == "rediss") {
      out.push_back({ProfilePhase::services, "broker", profile_rank::kOwnScheme, "broker",
                     {{"url", fmt::format("${{{}}}", broker)}}, std::string(broker)});
    }
  }
}

}  // namespace preflight
