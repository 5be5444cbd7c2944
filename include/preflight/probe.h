// The probe interface: one attempt at one protocol. The engine owns retries,
// backoff, deadlines and concurrency. A new protocol is one file in
// src/probes/ plus one line in src/probes/registry.cc.
#pragma once

#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "preflight/deadline.h"
#include "preflight/result.h"
#include "preflight/url.h"

namespace preflight {

class Probe {
 public:
  virtual ~Probe() = default;
  // Makes one attempt. Must return by `deadline` (plus a few milliseconds)
  // and promptly once `cancel` fires, with FailureKind::timeout or
  // FailureKind::interrupted respectively. Thread safety: attempt() is
  // called from one thread at a time per probe.
  virtual Status attempt(Deadline deadline, const CancelToken& cancel) const = 0;
};

enum class FieldType { string, boolean, integer, object };

struct FieldSpec {
  std::string_view name;
  FieldType type;
  bool secret = false;  // its value is never shown, and scrubbed from outputs
};

// What a probe is built from: the resolved (interpolated) check.
struct ProbeInput {
  Url url;
  const nlohmann::json& fields;  // the check object, interpolated
};

struct ProbeType {
  std::string_view name;
  std::vector<std::string_view> schemes;
  std::vector<FieldSpec> fields;  // besides name, type, url, required
  // Validates the input up front (no I/O) and builds the probe; the failure
  // is an invalid_config message.
  Result<std::unique_ptr<Probe>> (*make)(const ProbeInput& input);
  // Optional: checks the structure of the fields as written (before
  // interpolation); returns "<relative JSON path>: <problem>" for exit 2.
  std::optional<std::string> (*check_shape)(const nlohmann::json& fields) = nullptr;
};

const ProbeType* find_probe_type(std::string_view name);
std::span<const ProbeType> probe_types();

}  // namespace preflight
