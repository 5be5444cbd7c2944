// Google identity tokens from the metadata server, for HTTP checks of
// private Cloud Run (and IAP-protected) services: what Google's client
// libraries do (fetch_id_token), including GCE_METADATA_HOST to point them
// at another server. A token is a secret: callers mask it in messages.
#pragma once

#include <map>
#include <mutex>
#include <optional>
#include <string>

#include "preflight/deadline.h"
#include "preflight/result.h"

namespace preflight {

class GoogleIdentity {
 public:
  // The token for `audience`, from the cache while it is fresh. Failure
  // kind auth, naming the metadata server and what it said.
  Result<std::string> token(const std::string& audience, Deadline deadline, const CancelToken& cancel) const;
  // The default service account's email, for "grant it roles/run.invoker";
  // nullopt when the metadata server does not say.
  std::optional<std::string> email(Deadline deadline, const CancelToken& cancel) const;
  // "metadata.google.internal", or GCE_METADATA_HOST.
  static std::string metadata_host();

 private:
  struct Cached {
    std::string token;
    Clock::time_point fetched;
  };
  mutable std::mutex mutex_;
  mutable std::map<std::string, Cached> cache_;  // by audience
};

// `text` with every appearance of `token`, and of its signature (a JWT's
// third part, the only part that is secret on its own), whole or cut short
// (12 characters or more of its start), replaced by ***.
std::string mask_token(std::string text, const std::string& token);

}  // namespace preflight
