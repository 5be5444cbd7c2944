// Google identity tokens from the metadata server, for HTTP checks of
// private Cloud Run (and IAP-protected) services: what Google's client
// libraries do (fetch_id_token), including GCE_METADATA_HOST to point them
// at another server. A token is a secret: callers mask it in messages.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "base/deadline.h"
#include "base/redact.h"
#include "base/result.h"
#include "base/url.h"

namespace preflight {

class GoogleIdentity {
 public:
  // What the metadata server says is quoted scrubbed with `redactor`.
  explicit GoogleIdentity(std::shared_ptr<const Redactor> redactor) : redactor_(std::move(redactor)) {}
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
  std::shared_ptr<const Redactor> redactor_;
  mutable std::mutex mutex_;
  mutable std::map<std::string, Cached> cache_;  // by audience
};

// The audience a check asks a token for: "" without "auth"; with
// "auth": "google-id-token", its "audience" field or else the URL's origin
// (what Cloud Run expects). invalid_config for another auth, or an
// audience without auth.
Result<std::string> token_audience(const nlohmann::json& fields, const Url& url, bool tls);

// Sends a token with each attempt of `exchange` and masks it in what fails.
// A 401 or 403 (the failure's code) is auth, with the fix in the hint: the
// audience, or the invoker role for the account the metadata server names.
template <typename Exchange>
Status with_identity_token(const GoogleIdentity& identity, const std::string& audience, Deadline deadline,
                           const CancelToken& cancel, Exchange&& exchange);

Failure explain_token_refusal(Failure f, const GoogleIdentity& identity, const std::string& audience, Deadline deadline,
                              const CancelToken& cancel);

// What of a token is secret: itself, and its signature (a JWT's third
// part, the only part that is secret on its own).
std::vector<std::string> token_secrets(const std::string& token);

// `text` scrubbed of token_secrets(token) as a Redactor scrubs: in any
// form, whole or cut short, whatever its length.
std::string mask_token(const std::string& text, const std::string& token);

template <typename Exchange>
Status with_identity_token(const GoogleIdentity& identity, const std::string& audience, Deadline deadline,
                           const CancelToken& cancel, Exchange&& exchange) {
  auto token = identity.token(audience, deadline, cancel);
  if (!token.ok()) return Unexpected<Failure>{token.error()};
  Status st = exchange("Bearer " + *token);
  if (st.ok()) return st;
  Failure f = st.error();
  if (f.code == "401" || f.code == "403") f = explain_token_refusal(std::move(f), identity, audience, deadline, cancel);
  f.message = mask_token(f.message, *token);
  f.hint = mask_token(f.hint, *token);
  return Unexpected<Failure>{f};
}

}  // namespace preflight
