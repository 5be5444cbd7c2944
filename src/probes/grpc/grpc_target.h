// A gRPC check's target, in gRPC's own naming syntax (grpc/doc/naming.md)
// as well as preflight's grpc:// and grpcs:// URLs:
//   host:port, dns:host:port, dns:///host:port, dns://AUTHORITY/host:port
//   unix:path, unix:///absolute/path
//   ipv4:10.0.0.1:50051,10.0.0.2   ipv6:[::1]:50051,[::2]
// A target's default port is 443, as in gRPC. It does not say whether the
// channel uses TLS (the client's credentials do): TlsUse::client_default,
// decided by uses_tls() unless the check's "tls" field says.
#pragma once

#include <string_view>

#include "base/result.h"
#include "base/target.h"

namespace preflight {

Result<Target> read_grpc(std::string_view text);

// TLS for a grpcs:// URL or "tls": true; for a target that does not say,
// on port 443 only (where a gRPC server without TLS would be odd).
bool uses_tls(const Target& target);

}  // namespace preflight
