// Asking name servers directly, under a deadline: for the dns check, and
// to say what a failed host lookup really was, which getaddrinfo folds
// into one "cannot resolve" (NXDOMAIN, no A or AAAA record, SERVFAIL...).
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "preflight/deadline.h"
#include "preflight/failure.h"
#include "preflight/result.h"
#include "probes/dns_message.h"

namespace preflight::dns {

struct NameServer {
  std::string address;  // an IP address
  uint16_t port = 53;
  std::string display() const;  // "address:port", IPv6 bracketed
};

// The name servers of /etc/resolv.conf, as glibc reads them: at most three,
// the local one when none is listed.
std::vector<NameServer> system_name_servers();

struct Reply {
  Answer answer;
  std::string peer;  // the server that answered
};

// Sends the query to each server in turn, again every `retransmit`, until
// one answers or the deadline passes. Answers to other queries (another ID)
// are ignored. Failure kinds: timeout (stage "resolve"; `sent` says how
// many queries went out), connection_refused (the only server is not
// listening), protocol (a malformed answer), invalid_config (not a DNS
// name), interrupted.
Result<Reply> ask(std::string_view name, RecordType type, const std::vector<NameServer>& servers, Deadline deadline,
                  const CancelToken& cancel, int& sent, std::chrono::milliseconds retransmit = std::chrono::seconds(1));

// `f`, a failed lookup of `host` (kind dns, no code yet), with what the
// system's name servers answer about it in its message and code:
// NXDOMAIN, NODATA, SERVFAIL or REFUSED. Asked only for names that
// getaddrinfo sends as they are (with a dot, or no search domains), and
// given at most `budget` of the deadline; `f` unchanged otherwise.
Failure with_name_server_answer(Failure f, const std::string& host, Deadline deadline, const CancelToken& cancel,
                                std::chrono::milliseconds budget = std::chrono::milliseconds(300));

}  // namespace preflight::dns
