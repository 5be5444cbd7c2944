// The libcrypto functions preflight calls itself (SHA-1 for the WebSocket
// accept key; initialisation, see the PostgreSQL probe; errors and
// certificate checks for TLS started mid-stream; the dates of a CA file; the
// default bundle, for CAs added to it; what a verified chain holds, for
// the certificate facts; its
// version for --version -v), forwarding to
// libcrypto.so.3 opened on first use.
#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/sha.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>

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

const char* X509_get_default_cert_file(void) {
  REAL(X509_get_default_cert_file);
  return real();
}

int X509_VERIFY_PARAM_set1_ip_asc(X509_VERIFY_PARAM* param, const char* ip) {
  REAL(X509_VERIFY_PARAM_set1_ip_asc);
  return real(param, ip);
}

BIO* BIO_new_file(const char* filename, const char* mode) {
  REAL(BIO_new_file);
  return real(filename, mode);
}

int BIO_free(BIO* bio) {
  REAL(BIO_free);
  return real(bio);
}

X509* PEM_read_bio_X509(BIO* bio, X509** x, pem_password_cb* callback, void* user) {
  REAL(PEM_read_bio_X509);
  return real(bio, x, callback, user);
}

void X509_free(X509* cert) {
  REAL(X509_free);
  real(cert);
}

const ASN1_TIME* X509_get0_notAfter(const X509* cert) {
  REAL(X509_get0_notAfter);
  return real(cert);
}

int ASN1_TIME_diff(int* days, int* seconds, const ASN1_TIME* from, const ASN1_TIME* to) {
  REAL(ASN1_TIME_diff);
  return real(days, seconds, from, to);
}

X509_NAME* X509_get_subject_name(const X509* cert) {
  REAL(X509_get_subject_name);
  return real(cert);
}

char* X509_NAME_oneline(const X509_NAME* name, char* buf, int size) {
  REAL(X509_NAME_oneline);
  return real(name, buf, size);
}

const char* OpenSSL_version(int type) {
  REAL(OpenSSL_version);
  return real(type);
}

const unsigned char* ASN1_STRING_get0_data(const ASN1_STRING* x) {
  REAL(ASN1_STRING_get0_data);
  return real(x);
}

int ASN1_STRING_length(const ASN1_STRING* x) {
  REAL(ASN1_STRING_length);
  return real(x);
}

int ASN1_TIME_to_tm(const ASN1_TIME* s, struct tm* tm) {
  REAL(ASN1_TIME_to_tm);
  return real(s, tm);
}

void GENERAL_NAMES_free(GENERAL_NAMES* names) {
  REAL(GENERAL_NAMES_free);
  real(names);
}

int OPENSSL_sk_num(const OPENSSL_STACK* stack) {
  REAL(OPENSSL_sk_num);
  return real(stack);
}

void* OPENSSL_sk_value(const OPENSSL_STACK* stack, int i) {
  REAL(OPENSSL_sk_value);
  return real(stack, i);
}

STACK_OF(X509)* X509_STORE_CTX_get0_chain(const X509_STORE_CTX* ctx) {
  REAL(X509_STORE_CTX_get0_chain);
  return real(ctx);
}

STACK_OF(X509)* X509_STORE_CTX_get0_untrusted(const X509_STORE_CTX* ctx) {
  REAL(X509_STORE_CTX_get0_untrusted);
  return real(ctx);
}

int X509_STORE_CTX_get_error_depth(const X509_STORE_CTX* ctx) {
  REAL(X509_STORE_CTX_get_error_depth);
  return real(ctx);
}

int X509_check_issued(X509* issuer, X509* subject) {
  REAL(X509_check_issued);
  return real(issuer, subject);
}

const ASN1_TIME* X509_get0_notBefore(const X509* cert) {
  REAL(X509_get0_notBefore);
  return real(cert);
}

void* X509_get_ext_d2i(const X509* cert, int nid, int* crit, int* idx) {
  REAL(X509_get_ext_d2i);
  return real(cert, nid, crit, idx);
}

X509_NAME* X509_get_issuer_name(const X509* cert) {
  REAL(X509_get_issuer_name);
  return real(cert);
}

}  // extern "C"

#undef REAL  // each stub file names its own library
