// The CA certificates a TLS client trusts, handed to a library as one file.
// A check's CA (its own field, or a variable such as SSL_CERT_FILE) replaces
// the system bundle; NODE_EXTRA_CA_CERTS and SSL_CERT_DIR add to it. libcurl,
// libpq, Connector/C and OpenSSL each take one file, so an addition is
// served as the union, written once into an anonymous in-memory file.
#pragma once

#include <string>
#include <vector>

#include "base/result.h"

namespace preflight::net {

// `file` (empty: the system bundle) with the certificates of each of
// `added` (a PEM file, or a directory of them as `openssl rehash` leaves
// it). Returns `file` itself when nothing is added; else a path to the
// union (/proc/self/fd/N), built once per set of paths and kept for the
// process. Built when a probe connects, not when the plan is made: lint
// runs where the image's CA files may not exist. Failure kind tls, cause
// ca_file_unreadable, naming the path that cannot be read.
Result<std::string> library_ca_file(const std::string& file, const std::vector<std::string>& added);

}  // namespace preflight::net
