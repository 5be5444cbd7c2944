// Every string of a report, scrubbed as plain text before any renderer
// escapes it for JSON or XML: a secret holding '"', '\\', '<' or a newline
// would otherwise reach the output in its escaped form, which no longer
// matches the secret.
//
// The walk is over the whole tree, not a list of fields: each struct is
// taken apart with a structured binding naming all of its members, so a
// member added later does not compile until it is named here, and every
// string member, whatever it holds (a server's error code, a part's
// source), is visited by its type.
#include <type_traits>
#include <utility>

#include "base/redact.h"
#include "report/render.h"

namespace preflight {
namespace {

using StringVisitor = std::function<void(std::string&)>;

template <typename... Members>
void walk_members(const StringVisitor& visit, Members&... members);

void walk(std::string& s, const StringVisitor& visit) { visit(s); }

// Numbers, flags, statuses, kinds and durations carry no text.
template <typename T>
  requires(std::is_arithmetic_v<T> || std::is_enum_v<T> || std::is_same_v<T, Millis>)
void walk(T&, const StringVisitor&) {}

template <typename T>
void walk(std::optional<T>& o, const StringVisitor& visit);
template <typename T>
void walk(std::vector<T>& v, const StringVisitor& visit);
template <typename A, typename B>
void walk(std::pair<A, B>& p, const StringVisitor& visit);

void walk(SocketFacts& s, const StringVisitor& visit) {
  auto& [socket, exists, nearest_directory, entries] = s;
  walk_members(visit, socket, exists, nearest_directory, entries);
}

void walk(PeerCertificate& c, const StringVisitor& visit) {
  auto& [subject, issuer, not_before, not_after, days_left, names, self_signed] = c;
  walk_members(visit, subject, issuer, not_before, not_after, days_left, names, self_signed);
}

void walk(CertificateFacts& c, const StringVisitor& visit) {
  auto& [sent, trusted_anchor] = c;
  walk_members(visit, sent, trusted_anchor);
}

void walk(Failure& f, const StringVisitor& visit) {
  auto& [kind, message, hint, stage, code, accepted_instead, socket_facts, cause, certificate, failing_components] = f;
  walk_members(visit, kind, message, hint, stage, code, accepted_instead, socket_facts, cause, certificate,
               failing_components);
}

void walk(Finding& f, const StringVisitor& visit) {
  auto& [variable, source, kind, message, hint, check] = f;
  walk_members(visit, variable, source, kind, message, hint, check);
}

void walk(CheckReport& c, const StringVisitor& visit) {
  auto& [name, type, required, target, status, elapsed_ms, attempts, error, warnings, understood, sources] = c;
  walk_members(visit, name, type, required, target, status, elapsed_ms, attempts, error, warnings, understood, sources);
}

void walk(PhaseReport& p, const StringVisitor& visit) {
  auto& [name, status, elapsed_ms, timeout, checks] = p;
  walk_members(visit, name, status, elapsed_ms, timeout, checks);
}

void walk(RunReport& run, const StringVisitor& visit) {
  auto& [name, status, exit_code, elapsed_ms, failed_checks, findings, warnings, phases, failed_phase, warn_mode] = run;
  walk_members(visit, name, status, exit_code, elapsed_ms, failed_checks, findings, warnings, phases, failed_phase,
               warn_mode);
}

template <typename T>
void walk(std::optional<T>& o, const StringVisitor& visit) {
  if (o) walk(*o, visit);
}

template <typename T>
void walk(std::vector<T>& v, const StringVisitor& visit) {
  for (auto& item : v) walk(item, visit);
}

template <typename A, typename B>
void walk(std::pair<A, B>& p, const StringVisitor& visit) {
  walk(p.first, visit);
  walk(p.second, visit);
}

template <typename... Members>
void walk_members(const StringVisitor& visit, Members&... members) {
  (walk(members, visit), ...);
}

}  // namespace

void for_each_string(RunReport& report, const std::function<void(std::string&)>& visit) { walk(report, visit); }

void scrub_report(RunReport& report, const Redactor& r) {
  if (r.empty()) return;
  for_each_string(report, [&](std::string& s) { s = r.scrub(s); });
}

}  // namespace preflight
