// The libcrypto functions preflight calls itself (SHA-1 for the WebSocket
// accept key; initialisation, see the PostgreSQL probe), forwarding to
// libcrypto.so.3 opened on first use.
#include <openssl/crypto.h>
#include <openssl/sha.h>

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

}  // extern "C"
