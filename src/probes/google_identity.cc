#include "probes/google_identity.h"

#include <cstdlib>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "base/redact.h"
#include "base/text.h"
#include "net/fetch.h"
#include "probes/redis/resp.h"

namespace preflight {
namespace {

constexpr const char* kDefaultMetadataHost = "metadata.google.internal";
constexpr const char* kServiceAccount = "/computeMetadata/v1/instance/service-accounts/default";
// Google's ID tokens live an hour; one fetched less than this ago is reused.
constexpr auto kTokenReuse = std::chrono::minutes(50);
constexpr size_t kMaxToken = 16 * 1024;

}  // namespace

std::string GoogleIdentity::metadata_host() {
  const char* host = std::getenv("GCE_METADATA_HOST");
  return host && *host ? host : kDefaultMetadataHost;
}

Result<std::string> GoogleIdentity::token(const std::string& audience, Deadline deadline, const CancelToken& cancel) const {
  {
    std::lock_guard lock(mutex_);
    if (auto it = cache_.find(audience); it != cache_.end() && Clock::now() - it->second.fetched < kTokenReuse) {
      return it->second.token;
    }
  }
  const std::string host = metadata_host();
  const std::string url = fmt::format("http://{}{}/identity?audience={}", host, kServiceAccount, percent_encode(audience));
  auto got = net::fetch(url, {"Metadata-Flavor: Google"}, kMaxToken, deadline, cancel);
  if (!got.ok()) {
    Failure f = got.error();
    if (f.kind == FailureKind::interrupted || f.kind == FailureKind::timeout) return Unexpected<Failure>{f};
    return Unexpected<Failure>{Failure{
        FailureKind::auth,
        fmt::format("no identity token: the metadata server {} is not reachable ({})", host, f.message),
        fmt::format("outside Google Cloud there is no metadata server: point GCE_METADATA_HOST at one (an emulator), or "
                    "send a token yourself in \"headers\" (Authorization: Bearer $(gcloud auth print-identity-token "
                    "--audiences={}))",
                    audience),
        Stage::login, "METADATA_UNREACHABLE"}};
  }
  if (got->status != 200) {
    return Unexpected<Failure>{Failure{FailureKind::auth,
                                       fmt::format("no identity token: the metadata server {} answered HTTP {}: \"{}\"", host,
                                                   got->status, redactor_->excerpt(trim(got->body), 200)),
                                       "the instance's service account may not mint ID tokens here; check the metadata "
                                       "server's answer",
                                       Stage::login, std::to_string(got->status)}};
  }
  std::string token = trim(got->body);
  // From now on every output masks it, not only this check's failure.
  for (const auto& secret : token_secrets(token)) redactor_->learn(secret);
  std::lock_guard lock(mutex_);
  cache_[audience] = {token, Clock::now()};
  return token;
}

std::optional<std::string> GoogleIdentity::email(Deadline deadline, const CancelToken& cancel) const {
  auto got = net::fetch(fmt::format("http://{}{}/email", metadata_host(), kServiceAccount), {"Metadata-Flavor: Google"}, 1024,
                        deadline, cancel);
  if (!got.ok() || got->status != 200) return std::nullopt;
  std::string email = trim(got->body);
  if (email.empty() || email.find('@') == std::string::npos) return std::nullopt;
  return email;
}

Result<std::string> token_audience(const nlohmann::json& fields, const Url& url, bool tls) {
  auto text = [&](const char* name) {
    auto it = fields.find(name);
    return it != fields.end() && it->is_string() ? it->get<std::string>() : std::string();
  };
  const std::string auth = text("auth"), audience = text("audience");
  if (auth.empty()) {
    if (!audience.empty()) return fail(FailureKind::invalid_config, "audience needs \"auth\": \"google-id-token\"");
    return std::string();
  }
  if (auth != "google-id-token") return fail(FailureKind::invalid_config, "auth: expected \"google-id-token\"");
  if (!audience.empty()) return audience;
  const uint16_t standard = tls ? 443 : 80;
  return fmt::format("{}://{}{}", tls ? "https" : "http", host_in_url(url.host),
                     url.port && *url.port != standard ? fmt::format(":{}", *url.port) : "");
}

// A private Cloud Run service (or IAP) refused the token: 401 when it does
// not accept it (the audience), 403 when its holder may not call the service.
Failure explain_token_refusal(Failure f, const GoogleIdentity& identity, const std::string& audience, Deadline deadline,
                              const CancelToken& cancel) {
  f.kind = FailureKind::auth;
  if (f.code == "401") {
    f.hint = fmt::format("the identity token was refused: its audience must be what the service expects, its URL (or a "
                         "custom audience set on it); this check asked for \"{}\": set \"audience\" if that is not it",
                         audience);
    return f;
  }
  auto email = identity.email(deadline.earlier(Deadline::after(std::chrono::milliseconds(500))), cancel);
  f.hint = fmt::format("the token was accepted but its holder may not call the service: grant {} roles/run.invoker on it "
                       "(gcloud run services add-iam-policy-binding SERVICE --member=serviceAccount:{} "
                       "--role=roles/run.invoker); if the service's ingress is internal, this instance's egress must "
                       "go through the VPC",
                       email ? *email : "this instance's service account", email ? *email : "EMAIL");
  return f;
}

std::vector<std::string> token_secrets(const std::string& token) {
  std::vector<std::string> secrets{token};
  if (auto dot = token.rfind('.'); dot != std::string::npos) secrets.push_back(token.substr(dot + 1));
  return secrets;
}

std::string mask_token(const std::string& text, const std::string& token) {
  return Redactor(token_secrets(token)).scrub(text);
}

}  // namespace preflight
