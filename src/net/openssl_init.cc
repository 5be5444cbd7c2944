#include "openssl_init.h"

#include <openssl/crypto.h>

#include <mutex>

namespace preflight::net {

void openssl_init_once() {
  static std::once_flag once;
  // The first initialisation decides about the exit handler: this must run
  // before libcurl's or libpq's own (Connector/C's, when it
  // starts first, keeps the handler: it only costs time at exit).
  std::call_once(once, [] { OPENSSL_init_crypto(OPENSSL_INIT_NO_ATEXIT | OPENSSL_INIT_LOAD_CONFIG, nullptr); });
}

}  // namespace preflight::net
