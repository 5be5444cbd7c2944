// Test certificates, made with the openssl command at test time.
#pragma once

#include <string>

#include "process.h"

namespace preflight::testing {

struct TestPki {
  std::string ca_cert;        // the CA that signed server_cert
  std::string server_cert;    // CN=localhost, SAN localhost and 127.0.0.1
  std::string server_key;
  std::string other_ca_cert;  // an unrelated CA: makes server_cert untrusted
  std::string expired_cert;     // signed by ca_cert, same key, valid only on 2020-01-01
  std::string wrong_host_cert;  // signed by ca_cert, same key, only for db.other.internal
  std::string client_cert;      // signed by ca_cert, CN=postgres (a client certificate)
  std::string client_key;       // mode 0600, as libpq insists
  std::string intermediate_cert;       // CN=preflight test intermediate: a CA that ca_cert signed
  std::string intermediate_leaf_cert;  // server_key's, for localhost and 127.0.0.1, signed by the intermediate
  std::string other_ca_key;            // other_ca_cert's key: a self-signed server certificate with it
  std::string soon_cert;               // as server_cert, but valid for three days only
};

// Creates the files in `dir`. Throws if openssl fails.
TestPki make_test_pki(const TempDir& dir);

}  // namespace preflight::testing
