// OpenSSL's certificate verification result as the failure code reports
// show (CERT_HAS_EXPIRED, HOSTNAME_MISMATCH...), for both TLS paths.
#pragma once

#include <string>
#include <string_view>

#include "base/failure.h"

namespace preflight::net {

// `verify` is X509_V_* (SSL_get_verify_result). `name_check_failed`: the
// caller checked the host name itself after OpenSSL accepted the chain
// (libcurl does), which leaves `verify` at 0 or 1.
std::string verify_result_code(long verify, bool name_check_failed);

// OpenSSL's words when the peer answered the ClientHello with bytes that
// are not TLS (a plain Redis, HTTP or PostgreSQL server on the port): no
// certificate was ever seen, whatever the verify result says.
bool is_plain_text_reply(std::string_view error_text);

// The cause a code of verify_result_code names: a name mismatch, dates,
// or (any other verification failure) a certificate no trusted CA signed.
Cause certificate_cause(std::string_view code);

// True when OpenSSL's (or libcurl's) error text is the server's alert that
// it wants a client certificate (alert 116, TLS 1.3's certificate_required).
bool is_certificate_required_alert(std::string_view error_text);

}  // namespace preflight::net
