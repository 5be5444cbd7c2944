#include "base/failure.h"

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
    case FailureKind::resource: return "resource";
    case FailureKind::interrupted: return "interrupted";
  }
  return "unknown";
}

std::string_view to_string(Stage stage) {
  switch (stage) {
    case Stage::unknown: return "";
    case Stage::resolve: return "resolve";
    case Stage::connect: return "connect";
    case Stage::tls: return "tls";
    case Stage::send: return "send";
    case Stage::reply: return "reply";
    case Stage::login: return "login";
    case Stage::query: return "query";
  }
  return "";
}

std::string_view to_string(Cause cause) {
  switch (cause) {
    case Cause::none: return "";
    case Cause::password_required: return "password_required";
    case Cause::credentials_rejected: return "credentials_rejected";
    case Cause::unknown_user: return "unknown_user";
    case Cause::missing_permission: return "missing_permission";
    case Cause::tls_required: return "tls_required";
    case Cause::unknown_service: return "unknown_service";
    case Cause::cleartext_password_refused: return "cleartext_password_refused";
    case Cause::client_refused: return "client_refused";
    case Cause::connection_limit: return "connection_limit";
    case Cause::pooler_full: return "pooler_full";
    case Cause::standby: return "standby";
    case Cause::loading: return "loading";
    case Cause::starting_up: return "starting_up";
    case Cause::shutting_down: return "shutting_down";
    case Cause::not_ready: return "not_ready";
    case Cause::rate_limited: return "rate_limited";
    case Cause::no_such_database: return "no_such_database";
    case Cause::cluster_mode: return "cluster_mode";
    case Cause::no_such_path: return "no_such_path";
    case Cause::wrong_method: return "wrong_method";
    case Cause::login_wall: return "login_wall";
    case Cause::unauthenticated: return "unauthenticated";
    case Cause::forbidden: return "forbidden";
    case Cause::server_without_tls: return "server_without_tls";
    case Cause::certificate_expired: return "certificate_expired";
    case Cause::hostname_mismatch: return "hostname_mismatch";
    case Cause::untrusted_certificate: return "untrusted_certificate";
    case Cause::ca_file_unreadable: return "ca_file_unreadable";
    case Cause::client_certificate_required: return "client_certificate_required";
    case Cause::out_of_file_descriptors: return "out_of_file_descriptors";
    case Cause::out_of_memory: return "out_of_memory";
  }
  return "";
}

bool is_retryable(FailureKind kind) {
  switch (kind) {
    case FailureKind::dns:  // a name may appear once its service is created
    case FailureKind::connection_refused:
    case FailureKind::timeout:
    case FailureKind::unhealthy:
    case FailureKind::resource:  // others may close what they hold
      return true;
    default:
      return false;
  }
}

}  // namespace preflight
