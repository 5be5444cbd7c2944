// The libssl functions preflight calls itself (TLS started mid-stream,
// net/tls_session.cc), forwarding to libssl.so.3 opened on first use.
#include <openssl/ssl.h>

#include "lazy/lazy_library.h"

#define REAL(function) PREFLIGHT_LAZY_REAL("libssl.so.3", "libssl3", function)

extern "C" {

const SSL_METHOD* TLS_client_method(void) {
  REAL(TLS_client_method);
  return real();
}

SSL_CTX* SSL_CTX_new(const SSL_METHOD* method) {
  REAL(SSL_CTX_new);
  return real(method);
}

void SSL_CTX_free(SSL_CTX* ctx) {
  REAL(SSL_CTX_free);
  real(ctx);
}

void SSL_CTX_set_verify(SSL_CTX* ctx, int mode, SSL_verify_cb callback) {
  REAL(SSL_CTX_set_verify);
  real(ctx, mode, callback);
}

int SSL_CTX_set_default_verify_paths(SSL_CTX* ctx) {
  REAL(SSL_CTX_set_default_verify_paths);
  return real(ctx);
}

int SSL_CTX_load_verify_locations(SSL_CTX* ctx, const char* file, const char* path) {
  REAL(SSL_CTX_load_verify_locations);
  return real(ctx, file, path);
}

SSL* SSL_new(SSL_CTX* ctx) {
  REAL(SSL_new);
  return real(ctx);
}

void SSL_free(SSL* ssl) {
  REAL(SSL_free);
  real(ssl);
}

int SSL_set_fd(SSL* ssl, int fd) {
  REAL(SSL_set_fd);
  return real(ssl, fd);
}

long SSL_ctrl(SSL* ssl, int command, long larg, void* parg) {  // SSL_set_tlsext_host_name is a macro over it
  REAL(SSL_ctrl);
  return real(ssl, command, larg, parg);
}

int SSL_set1_host(SSL* ssl, const char* hostname) {
  REAL(SSL_set1_host);
  return real(ssl, hostname);
}

X509_VERIFY_PARAM* SSL_get0_param(SSL* ssl) {
  REAL(SSL_get0_param);
  return real(ssl);
}

int SSL_connect(SSL* ssl) {
  REAL(SSL_connect);
  return real(ssl);
}

int SSL_get_error(const SSL* ssl, int ret) {
  REAL(SSL_get_error);
  return real(ssl, ret);
}

long SSL_get_verify_result(const SSL* ssl) {
  REAL(SSL_get_verify_result);
  return real(ssl);
}

int SSL_read(SSL* ssl, void* buf, int num) {
  REAL(SSL_read);
  return real(ssl, buf, num);
}

int SSL_write(SSL* ssl, const void* buf, int num) {
  REAL(SSL_write);
  return real(ssl, buf, num);
}

int SSL_CTX_get_verify_mode(const SSL_CTX* ctx) {
  REAL(SSL_CTX_get_verify_mode);
  return real(ctx);
}

STACK_OF(X509)* SSL_get_peer_cert_chain(const SSL* ssl) {
  REAL(SSL_get_peer_cert_chain);
  return real(ssl);
}

}  // extern "C"

#undef REAL  // each stub file names its own library
