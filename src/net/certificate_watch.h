// Watches OpenSSL verify the server's chain, changing nothing: a verify
// callback that returns OpenSSL's own verdict and records the chain as the
// server sent it and the trusted CA it reached. The handshake runs on the
// attempt's thread (libcurl's multi interface and TlsSession both drive it
// there), so the watch in force is the thread's.
#pragma once

#include <optional>

#include <curl/curl.h>
#include <openssl/ssl.h>

#include "base/certificate_facts.h"
#include "base/failure.h"

namespace preflight::net {

class CertificateWatch {
 public:
  CertificateWatch();  // in force on this thread until destroyed
  ~CertificateWatch();
  CertificateWatch(const CertificateWatch&) = delete;
  CertificateWatch& operator=(const CertificateWatch&) = delete;

  // Installs the callback on the TLS context libcurl makes for `easy`.
  void attach(CURL* easy);
  // The same for a context of our own (TlsSession).
  static void attach(SSL_CTX* ctx);

  // The chain of a handshake a library verified inside itself (libpq),
  // shown to the watches in force once it has passed.
  static void observe(const SSL* ssl);

  // The facts seen so far; null before the server's certificate arrived.
  const std::optional<CertificateFacts>& facts() const { return facts_; }
  // `failure` with the facts, when it is a TLS failure and there are any.
  Failure with_facts(Failure failure) const;

 private:
  static int on_verify(int ok, X509_STORE_CTX* store);
  void record(int ok, X509_STORE_CTX* store);
  void record_sent(const STACK_OF(X509)* sent);
  static CURLcode on_context(CURL* easy, void* ssl_ctx, void* user);

  std::optional<CertificateFacts> facts_;
  CertificateWatch* outer_;  // the watch in force before this one, restored after it
  const X509_STORE_CTX* chain_store_ = nullptr;  // the verification the facts are of
};

}  // namespace preflight::net
