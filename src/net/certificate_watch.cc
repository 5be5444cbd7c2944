#include "net/certificate_watch.h"

#include <arpa/inet.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <ctime>
#include <string>

#include <fmt/format.h>

#include "net/certificate_dates.h"

namespace preflight::net {
namespace {

thread_local CertificateWatch* current_watch = nullptr;

std::string day_of(const ASN1_TIME* time) {
  std::tm tm{};
  if (!time || ASN1_TIME_to_tm(time, &tm) != 1) return {};
  char buf[16] = {};
  std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
  return buf;
}

std::vector<std::string> names_of(X509* cert) {
  std::vector<std::string> out;
  auto* names = static_cast<GENERAL_NAMES*>(X509_get_ext_d2i(cert, NID_subject_alt_name, nullptr, nullptr));
  if (!names) return out;
  // A certificate lists a few names; the bound keeps a hostile one short.
  const int count = std::min(sk_GENERAL_NAME_num(names), 64);
  for (int i = 0; i < count; ++i) {
    const GENERAL_NAME* name = sk_GENERAL_NAME_value(names, i);
    if (name->type == GEN_DNS) {
      // The server wrote these bytes: printable ASCII only, as OpenSSL's
      // one-line names are, and no longer than a DNS name.
      const ASN1_STRING* dns = name->d.dNSName;
      const auto* bytes = ASN1_STRING_get0_data(dns);
      std::string text = "DNS:";
      for (int b = 0; b < std::min(ASN1_STRING_length(dns), 253); ++b) {
        if (bytes[b] >= 0x20 && bytes[b] < 0x7f) text += static_cast<char>(bytes[b]);
        else text += fmt::format("\\x{:02x}", bytes[b]);
      }
      out.push_back(std::move(text));
    } else if (name->type == GEN_IPADD) {
      const ASN1_STRING* ip = name->d.iPAddress;
      char text[INET6_ADDRSTRLEN] = {};
      const int length = ASN1_STRING_length(ip);
      if ((length == 4 || length == 16) &&
          inet_ntop(length == 4 ? AF_INET : AF_INET6, ASN1_STRING_get0_data(ip), text, sizeof text)) {
        out.push_back(fmt::format("IP:{}", text));
      }
    }
  }
  GENERAL_NAMES_free(names);
  return out;
}

PeerCertificate describe(X509* cert) {
  PeerCertificate c;
  c.subject = certificate_name(X509_get_subject_name(cert));
  c.issuer = certificate_name(X509_get_issuer_name(cert));
  c.not_before = day_of(X509_get0_notBefore(cert));
  c.not_after = day_of(X509_get0_notAfter(cert));
  c.days_left = days_left(cert).value_or(0);
  c.names = names_of(cert);
  c.self_signed = X509_check_issued(cert, cert) == X509_V_OK;
  return c;
}

}  // namespace

CertificateWatch::CertificateWatch() : outer_(current_watch) { current_watch = this; }

CertificateWatch::~CertificateWatch() { current_watch = outer_; }

int CertificateWatch::on_verify(int ok, X509_STORE_CTX* store) {
  // Every watch in force sees it: a transport's own, and the engine's
  // around the whole attempt. Each keeps the first chain it saw.
  for (CertificateWatch* watch = current_watch; watch; watch = watch->outer_) watch->record(ok, store);
  return ok;
}

void CertificateWatch::record_sent(const STACK_OF(X509)* sent) {
  facts_.emplace();
  // The chain as sent (the leaf first); a bound against a hostile one.
  const int count = sent ? std::min(sk_X509_num(sent), 16) : 0;
  for (int i = 0; i < count; ++i) facts_->sent.push_back(describe(sk_X509_value(sent, i)));
}

void CertificateWatch::record(int ok, X509_STORE_CTX* store) {
  if (!facts_) {
    record_sent(X509_STORE_CTX_get0_untrusted(store));
    chain_store_ = store;
  }
  if (store != chain_store_) return;  // a later handshake of the same attempt
  // Called from the top of the built chain down: the top, accepted, is a
  // CA of the trusted store.
  const STACK_OF(X509)* chain = X509_STORE_CTX_get0_chain(store);
  const int depth = X509_STORE_CTX_get_error_depth(store);
  if (ok && chain && depth == sk_X509_num(chain) - 1) {
    facts_->trusted_anchor = certificate_name(X509_get_subject_name(sk_X509_value(chain, depth)));
  }
}

void CertificateWatch::observe(const SSL* ssl) {
  const STACK_OF(X509)* sent = SSL_get_peer_cert_chain(ssl);
  if (!sent) return;
  for (CertificateWatch* watch = current_watch; watch; watch = watch->outer_) {
    if (!watch->facts_) watch->record_sent(sent);
  }
}

CURLcode CertificateWatch::on_context(CURL*, void* ssl_ctx, void*) {
  attach(static_cast<SSL_CTX*>(ssl_ctx));
  return CURLE_OK;
}

void CertificateWatch::attach(CURL* easy) {
  curl_easy_setopt(easy, CURLOPT_SSL_CTX_FUNCTION, &CertificateWatch::on_context);
}

void CertificateWatch::attach(SSL_CTX* ctx) { SSL_CTX_set_verify(ctx, SSL_CTX_get_verify_mode(ctx), &CertificateWatch::on_verify); }

Failure CertificateWatch::with_facts(Failure failure) const {
  if (failure.kind == FailureKind::tls && facts_ && !facts_->sent.empty()) failure.certificate = facts_;
  return failure;
}

}  // namespace preflight::net
