// The probe interface: one attempt at one protocol. The engine owns retries,
// backoff, deadlines and concurrency. A new protocol is one file in
// src/probes/ plus one line in src/probes/registry.cc.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "base/deadline.h"
#include "base/result.h"
#include "base/target.h"
#include "base/url.h"

namespace preflight {

class Redactor;
class ProfileVariables;
struct ProfileOffer;

class Probe {
 public:
  virtual ~Probe() = default;
  // Makes one attempt. Must return by `deadline` (plus a few milliseconds)
  // and promptly once `cancel` fires, with FailureKind::timeout or
  // FailureKind::interrupted respectively. Thread safety: attempt() is
  // called from one thread at a time per probe.
  virtual Status attempt(Deadline deadline, const CancelToken& cancel) const = 0;
  // The same attempt, also adding to `warnings` what a successful one
  // noticed that the next scale-out will trip on (a server near its
  // connection limit). Probes with nothing to say keep this default.
  virtual Status attempt_noting(Deadline deadline, const CancelToken& cancel, std::vector<std::string>& warnings) const {
    static_cast<void>(warnings);
    return attempt(deadline, cancel);
  }
};

enum class FieldType { string, boolean, integer, object, array };

struct FieldSpec {
  std::string_view name;
  FieldType type;
  bool secret = false;  // its value is never shown, and scrubbed from outputs
};

// What a probe is built from: the check's connection string as its reader
// understood it, the check's other fields, and the run's redactor, with
// which a probe scrubs what a peer sent before it cuts or escapes it for a
// message. The redactor is the plan's: it holds every secret of the run
// once the plan is complete, before any attempt.
struct ProbeInput {
  const Target& target;
  const nlohmann::json& fields;  // the check object, interpolated
  std::shared_ptr<const Redactor> redactor;  // never null
  // For a type that receives_variables: the environment its program runs
  // with ("NAME=value"), this process's with the run's variables over it.
  std::vector<std::string> environment = {};
  const Url& url() const { return target.url; }
};

// What a protocol's hint may know of the check besides the failure, built
// by diagnosis from the plan. The sentences name variables and sources,
// never a value that may be secret.
struct HintContext {
  const Target* target = nullptr;  // null when the connection string could not be read
  const nlohmann::json* fields = nullptr;  // the check's fields, interpolated; never null
  // Where a part of the target came from ("host", "port", "user",
  // "database"...): "from REDIS_PORT (.env:4)", "the client's default",
  // "written in the check's url"; "" when the target has no such part.
  std::function<std::string(std::string_view part)> origin;
  // " (from NAME, source)" for the variable that supplied `value` to the
  // check; "" when none did.
  std::function<std::string(std::string_view value)> named_source;
  // The variable that holds the check's password or token, and its source
  // (".env:3", "/run/secrets/db"); "" when none does.
  std::string secret_variable, secret_source;
  // "; it overrides a different value in SOURCE: is that one the current
  // one?" when that variable shadowed another definition; "" otherwise.
  std::string secret_shadowing;
  // " Its value ends with a carriage return, ..." when white space that no
  // output shows is at an end of it (and sent with it); "" otherwise.
  std::string secret_white_space;
  // " (from NAME, source)" for the variable the check's url came from; ""
  // when the url was written in the config.
  std::string url_source;
  // "raise the phase timeout (where it was set)".
  std::string raise_timeout;
};

// A URL scheme a type accepts.
struct SchemeSpec {
  std::string_view name;
  uint16_t default_port = 0;  // 0: the URL must give one
  bool tls = false;
};

// Everything preflight knows about one protocol lives in its ProbeType.
struct ProbeType {
  std::string_view name;
  std::vector<SchemeSpec> schemes;  // the first is the one docs and hints show
  std::vector<FieldSpec> fields;    // besides name, type, url, required
  // Validates the input up front (no I/O) and builds the probe; the failure
  // is an invalid_config message.
  Result<std::unique_ptr<Probe>> (*make)(const ProbeInput& input);
  // Optional: checks the structure of the fields as written (before
  // interpolation); returns "<relative JSON path>: <problem>" for exit 2.
  std::optional<std::string> (*check_shape)(const nlohmann::json& fields) = nullptr;
  // Optional: reads the connection string into a Target (the one parse of
  // it). Default: a URL of one of `schemes` (read_url_target).
  Result<Target> (*read)(std::string_view text) = nullptr;
  // Optional: the check's fields of this protocol that override parts of
  // what the reader understood (PostgreSQL's sslmode, sslrootcert).
  void (*apply_fields)(Target& target, const nlohmann::json& fields) = nullptr;
  // The field that gives a CA certificate, for hints about untrusted
  // certificates; empty when the type has none.
  std::string_view ca_field;
  // Optional: what the network path sees when the target is not
  // encrypted, and the setting that encrypts it; nullopt when encrypted.
  std::optional<std::string> (*cleartext_advice)(const Target& target) = nullptr;
  // Where a managed service's CA comes from, for the same hints: "Cloud SQL:
  // the instance's server CA"; empty when there is no such service.
  std::string_view managed_ca = {};
  // Optional: what lint says about a target that only this protocol knows
  // is wrong ("sslmode=require through the Cloud SQL Auth Proxy fails").
  // `cloud_run`: the run is on Cloud Run, where a loopback port is a sidecar.
  std::vector<std::string> (*lint_notes)(const Target& target, bool cloud_run) = nullptr;
  // Optional: what to do about a failure whose cause this protocol's probe
  // named (Failure::cause); "" leaves it to the generic diagnosis, which
  // knows what no protocol owns (refused, timeouts by stage, name
  // resolution, certificates).
  std::string (*hint)(const Failure& failure, const HintContext& context) = nullptr;
  // True when the probe's connections follow the proxy variables
  // (HTTP_PROXY, HTTPS_PROXY, NO_PROXY), so that any failure may be the
  // proxy's.
  bool follows_proxy_variables = false;
  // The variables this protocol's clients read for a CA bundle, in their
  // order, before OpenSSL's SSL_CERT_FILE (config/environment_trust.h).
  std::vector<std::string_view> ca_variables = {};
  // Set when the protocol's most used client reads none of SSL_CERT_FILE,
  // SSL_CERT_DIR and NODE_EXTRA_CA_CERTS, which its other clients read:
  // what lint says when one of them gave a check its CA.
  std::string_view environment_ca_caveat = {};
  // Optional: secrets the protocol's client library reads by itself, from
  // files preflight never parses otherwise (libpq's password file), so that
  // the redactor knows them before a server can quote them back.
  std::vector<std::string> (*library_secrets)(const Target& target) = nullptr;
  // Optional: the checks the built-in profile makes of the variables this
  // protocol's applications are configured with (probes/profile_offer.h).
  void (*offer)(const ProfileVariables& vars, std::vector<ProfileOffer>& out) = nullptr;
  // A type without schemes connects to nothing (command, file): its check
  // has no url, and this says what it runs or reads, for the report's
  // target column (its secrets are masked after).
  std::string (*shown)(const nlohmann::json& fields) = nullptr;
  // True when the probe runs a program that gets the run's variables (env
  // files, secrets directories, --set) in its environment: every secret
  // among them is then masked in every output.
  bool receives_variables = false;
  // What services call this dependency in their health answers ("db",
  // "redis", "rabbit"): a failing component of that name is this type's
  // server down, for the phase-order note (report/dependency_order.h).
  std::vector<std::string_view> health_names = {};
  // Optional: what lint reads offline of the check besides its connection
  // string, for its "understood as" line ("the release ships 7 alembic
  // migrations, head 3f2a1b9c4d5e").
  std::string (*offline_reading)(const nlohmann::json& fields) = nullptr;
};

// A URL with one of `type`'s schemes, read into a Target with the scheme's
// default port.
Result<Target> read_url_target(const ProbeType& type, std::string_view text);
// The type's reader applied to `text`, then the check's own fields that
// override parts of it (user, username, password, dbname, unix_socket,
// health_path, ca_file, insecure_skip_verify, then the type's own
// apply_fields), so that the target is the
// whole truth about where and how the probe connects.
Result<Target> read_target(const ProbeType& type, std::string_view text, const nlohmann::json& fields);

const ProbeType* find_probe_type(std::string_view name);
std::span<const ProbeType> probe_types();

}  // namespace preflight
