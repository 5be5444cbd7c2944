// OpenSSL's one-time initialisation, done the same way before any of its
// users here starts (libcurl, libpq, our own TLS):
// openssl.cnf is read, as the applications' own clients read it, and no
// cleanup is registered for exit. OpenSSL's atexit handler freed every table
// it had built, 0.5 M instructions (10 %) of a one-check run, memory that
// the process's exit gives back anyway; it could also run while a resolver
// thread libcurl had left behind still used OpenSSL.
#pragma once

namespace preflight::net {

void openssl_init_once();

}  // namespace preflight::net
