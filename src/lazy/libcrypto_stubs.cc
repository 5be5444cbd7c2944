// The libcrypto functions preflight calls itself (SHA-1 for the WebSocket
// accept key; initialisation, see the PostgreSQL probe; errors and
// certificate checks for TLS started mid-stream), forwarding to
// libcrypto.so.3 opened on first use.
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/sha.h>
#include <openssl/x509_vfy.h>

#include "lazy/lazy_library.h"

#define REAL(function) PREFLIGHT_LAZY_REAL("libcrypto.so.3", "libssl3", function)

extern "C" {

unsigned char* SHA1(const unsigned char* data, size_t length, unsigned char* digest) {
  REAL(SHA1);
  return real(data, length, digest);
}

int OPENSSL_init_crypto(uint64_t options, const OPENSSL_INIT_SETTINGS* settings) {
  REAL(OPENSSL_init_crypto);
  return real(options, settings);
}

unsigned long ERR_get_error(void) {
  REAL(ERR_get_error);
  return real();
}

void ERR_error_string_n(unsigned long error, char* buf, size_t length) {
  REAL(ERR_error_string_n);
  real(error, buf, length);
}

const char* X509_verify_cert_error_string(long n) {
  REAL(X509_verify_cert_error_string);
  return real(n);
}

int X509_VERIFY_PARAM_set1_ip_asc(X509_VERIFY_PARAM* param, const char* ip) {
  REAL(X509_VERIFY_PARAM_set1_ip_asc);
  return real(param, ip);
}

}  // extern "C"
