// Asking name servers directly, under a deadline: for the dns check, and
// to say what a failed host lookup really was, which getaddrinfo folds
// into one "cannot resolve" (NXDOMAIN, no A or AAAA record, SERVFAIL...).
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "base/deadline.h"
#include "base/failure.h"
#include "base/result.h"
#include "base/target.h"
#include "probes/dns/dns_message.h"

namespace preflight::dns {

// /etc/resolv.conf as glibc reads it: at most three name servers (the
// local one when none is listed), and whether search domains are set.
struct ResolvConf {
  std::vector<Endpoint> servers;
  bool search_domains = false;
};
ResolvConf read_resolv_conf();

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
Result<Reply> ask(std::string_view name, RecordType type, const std::vector<Endpoint>& servers, Deadline deadline,
                  const CancelToken& cancel, int& sent, std::chrono::milliseconds retransmit = std::chrono::seconds(1));

// What the system's name servers answer about `host`, whose lookup failed
// without saying why: a note for the failure's message and its code
// (NXDOMAIN, NODATA, SERVFAIL or REFUSED). Asked only for names that
// getaddrinfo sends as they are (with a dot, or no search domains), within
// `budget` of the deadline; nullopt when there is nothing to add.
struct LookupAnswer {
  std::string note;  // " (10.0.0.2:53 answers NXDOMAIN: ...)"
  std::string code;
};
std::optional<LookupAnswer> answer_for_failed_lookup(const std::string& host, Deadline deadline, const CancelToken& cancel,
                                                     std::chrono::milliseconds budget = std::chrono::milliseconds(300));

}  // namespace preflight::dns
