#include "preflight/failure.h"

namespace preflight {

std::string_view to_string(FailureKind kind) {
  switch (kind) {
    case FailureKind::placeholder: return "placeholder";
    case FailureKind::unset_variable: return "unset_variable";
    case FailureKind::invalid_config: return "invalid_config";
    case FailureKind::dns: return "dns";
    case FailureKind::connection_refused: return "connection_refused";
    case FailureKind::timeout: return "timeout";
    case FailureKind::tls: return "tls";
    case FailureKind::auth: return "auth";
    case FailureKind::protocol: return "protocol";
    case FailureKind::unhealthy: return "unhealthy";
    case FailureKind::interrupted: return "interrupted";
  }
  return "unknown";
}

bool is_retryable(FailureKind kind) {
  switch (kind) {
    case FailureKind::dns:  // a name may appear once its service is created
    case FailureKind::connection_refused:
    case FailureKind::timeout:
    case FailureKind::unhealthy:
      return true;
    default:
      return false;
  }
}

}  // namespace preflight
