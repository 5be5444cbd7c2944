// OpenSSL's certificate verification result as the failure code reports
// show (CERT_HAS_EXPIRED, HOSTNAME_MISMATCH...), for both TLS paths.
#pragma once

#include <string>

namespace preflight::net {

// `verify` is X509_V_* (SSL_get_verify_result). `name_check_failed`: the
// caller checked the host name itself after OpenSSL accepted the chain
// (libcurl does), which leaves `verify` at 0 or 1.
std::string verify_result_code(long verify, bool name_check_failed);

}  // namespace preflight::net
