// The one libcrypto function preflight calls itself (SHA-1, for the
// WebSocket accept key), forwarding to libcrypto.so.3 opened on first use.
#include <openssl/sha.h>

#include "lazy/lazy_library.h"

extern "C" unsigned char* SHA1(const unsigned char* data, size_t length, unsigned char* digest) {
  PREFLIGHT_LAZY_REAL("libcrypto.so.3", "libssl3", SHA1);
  return real(data, length, digest);
}
