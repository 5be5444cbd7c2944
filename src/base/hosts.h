// What a host name or address says about where it is: the one place that
// classifies hosts, for lint warnings and for diagnosis.
#pragma once

#include <string_view>

namespace preflight {

// IPv4 literals in 10/8, 172.16/12, 192.168/16 and 100.64/10, and IPv6
// unique-local (fc00::/7) literals.
bool is_private_address(std::string_view host);

// localhost (and *.localhost), 127.0.0.0/8, ::1, 0.0.0.0 and ::.
bool is_loopback_host(std::string_view host);

// Reached without crossing the public internet: loopback, private or
// link-local addresses, single-label names ("redis", a compose or cluster
// name) and the suffixes .internal, .local, .svc, .cluster.local, .lan,
// .home.arpa.
bool is_internal_host(std::string_view host);

}  // namespace preflight
