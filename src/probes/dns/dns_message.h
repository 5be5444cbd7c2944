// DNS messages as bytes, without a socket (RFC 1035): a recursive query for
// one name and type, and the answer read back with its response code and
// the records of that type, in presentation form.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace preflight::dns {

// The record types a check can ask for.
enum class RecordType : uint16_t { A = 1, NS = 2, CNAME = 5, MX = 15, TXT = 16, AAAA = 28, SRV = 33 };

std::optional<RecordType> record_type_from_name(std::string_view name);  // "A", "mx"...
std::string_view record_type_name(RecordType type);

// The name with its final dot, as DNS answers write it.
std::string fqdn(std::string_view name);

// RFC 1035 4.1.1 RCODE values that a resolver answers.
enum class Rcode : uint8_t { no_error = 0, format_error = 1, server_failure = 2, name_error = 3, not_implemented = 4, refused = 5 };
std::string rcode_name(int rcode);  // "NOERROR", "NXDOMAIN", "SERVFAIL"...

// A query with recursion desired. A name that is not a DNS name (a label
// over 63 bytes, a name over 253, an empty label) is invalid_config.
Result<std::string> build_query(uint16_t id, std::string_view name, RecordType type);

struct Answer {
  uint16_t id = 0;
  int rcode = 0;
  bool truncated = false;
  // The answer section's records of the type asked for, in presentation
  // form: "10.1.2.3", "2001:db8::1", "mail.example. 10" (exchange, then
  // preference), the TXT strings joined, "10 5 5060 sip.example." (priority,
  // weight, port, target), a CNAME's target with its final dot.
  std::vector<std::string> records;
  std::vector<std::string> aliases;  // CNAMEs followed on the way, in order
};

// Reads a response to `id`; a protocol failure for one that is not a
// response, not to this query, or malformed (every compression pointer
// must point backwards: no loops).
Result<Answer> read_answer(std::string_view message, uint16_t id, RecordType type);

}  // namespace preflight::dns
