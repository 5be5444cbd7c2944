#include "tls_codes.h"

#include <fmt/format.h>

namespace preflight::net {

std::string verify_result_code(long verify, bool name_check_failed) {
  if (name_check_failed && (verify == 0 || verify == 1)) return "HOSTNAME_MISMATCH";
  switch (verify) {
    case 0: return "";
    case 9: return "CERT_NOT_YET_VALID";
    case 10: return "CERT_HAS_EXPIRED";
    case 18: return "DEPTH_ZERO_SELF_SIGNED_CERT";
    case 19: return "SELF_SIGNED_CERT_IN_CHAIN";
    case 20: return "UNABLE_TO_GET_ISSUER_CERT_LOCALLY";
    case 21: return "UNABLE_TO_VERIFY_LEAF_SIGNATURE";
    case 62: return "HOSTNAME_MISMATCH";
    default: return fmt::format("X509_V_ERR_{}", verify);
  }
}

Cause certificate_cause(std::string_view code) {
  if (code.empty()) return Cause::none;
  if (code == "HOSTNAME_MISMATCH") return Cause::hostname_mismatch;
  if (code == "CERT_HAS_EXPIRED" || code == "CERT_NOT_YET_VALID") return Cause::certificate_expired;
  return Cause::untrusted_certificate;
}

bool is_plain_text_reply(std::string_view error_text) {
  return error_text.find("wrong version number") != std::string_view::npos ||
         error_text.find("packet length too long") != std::string_view::npos;
}

bool is_certificate_required_alert(std::string_view error_text) {
  return error_text.find("alert certificate required") != std::string_view::npos;
}

}  // namespace preflight::net
