#include "check_runner.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "engine/certificate_expiry.h"
#include "net/certificate_watch.h"
#include "probes/dns/dns_lookup.h"

namespace preflight {
namespace {

CheckStatus failed_status(const PlannedCheck& check) {
  return check.required ? CheckStatus::failed : CheckStatus::warned;
}

// The one host a check looks up, when it has exactly one.
std::string looked_up_host(const PlannedCheck& check) {
  if (!check.target || check.target->endpoints.size() != 1 || check.target->endpoints.front().is_socket()) return {};
  return check.target->endpoints.front().host;
}

}  // namespace

CheckReport run_check(const PlannedCheck& check, Clock::time_point phase_start, Deadline deadline,
                      const CheckRunSettings& settings, const CancelToken& cancel) {
  CheckReport report;
  report.name = check.name;
  report.type = check.type;
  report.required = check.required;
  report.target = check.shown;
  if (check.blocked) {
    report.status = failed_status(check);
    report.error = check.blocked;
    report.elapsed_ms = ms_since(phase_start);
    return report;
  }
  std::mt19937 rng(settings.seed);
  const BackoffPolicy backoff = with_retry_settings(settings.backoff, check.retry);
  Failure last;
  std::optional<Failure> previous;  // the attempt before `last`
  bool deadline_cut = false;
  const std::string host = looked_up_host(check);
  std::optional<std::optional<dns::LookupAnswer>> lookup_answer;  // asked yet, and what it said
  for (;;) {
    if (settings.slots && !settings.slots->acquire(deadline, cancel)) {
      if (cancel.cancelled()) {
        last = {FailureKind::interrupted, "interrupted by a signal while waiting for a connection slot", {}};
      } else if (report.attempts == 0) {
        last = {FailureKind::timeout,
                fmt::format("never started: all {} connection slots stayed busy until the deadline", settings.slots->capacity()),
                "too many checks at once for the open-file limit (ulimit -n); raise it, or split the phase"};
      }
      break;
    }
    ++report.attempts;
    std::vector<std::string> warnings;
    net::CertificateWatch certificates;  // any TLS handshake of the attempt
    Status st = check.probe->attempt_noting(deadline, cancel, warnings);
    if (settings.slots) settings.slots->release();
    if (st.ok()) {
      if (certificates.facts()) {
        for (auto& w : certificate_expiry_warnings(*certificates.facts(), check.certificate_warning_days)) warnings.push_back(std::move(w));
      }
      report.status = CheckStatus::passed;
      report.warnings = std::move(warnings);
      report.elapsed_ms = ms_since(phase_start);
      spdlog::debug("{}: passed after {} attempt(s)", check.name, report.attempts);
      return report;
    }
    if (report.attempts > 1) previous = last;
    last = st.error();
    // "Cannot resolve" says what the name servers answer (NXDOMAIN,
    // SERVFAIL, no address record): asked once per check, within the
    // attempt's deadline, and repeated on the later failures.
    if (last.kind == FailureKind::dns && last.code.empty() && !host.empty()) {
      if (!lookup_answer) lookup_answer = dns::answer_for_failed_lookup(host, deadline, cancel);
      if (*lookup_answer) {
        last.message += (*lookup_answer)->note;
        last.code = (*lookup_answer)->code;
      }
    }
    spdlog::debug("{}: attempt {} failed ({}): {}", check.name, report.attempts, last.kind, last.message);
    if (settings.on_attempt_failed) settings.on_attempt_failed(report.attempts, last);
    if (last.kind == FailureKind::interrupted || settings.once || !is_retryable(last.kind)) break;
    if (backoff.max_attempts > 0 && report.attempts >= backoff.max_attempts) break;
    if (deadline.expired()) {
      deadline_cut = last.kind == FailureKind::timeout;
      break;
    }
    Deadline wake = Deadline::after(backoff_delay(backoff, report.attempts, rng)).earlier(deadline);
    if (!cancel.sleep_until(wake)) {
      last = {FailureKind::interrupted, "interrupted by a signal while waiting to retry", {}};
      break;
    }
    if (deadline.expired()) break;
  }
  report.elapsed_ms = ms_since(phase_start);
  report.status = failed_status(check);
  // An attempt that merely ran into the deadline says less than the one
  // before it: after several "READONLY" answers, "connect timed out" would
  // hide the cause (seen in the fault matrix under ASan).
  if (deadline_cut && previous && previous->kind != FailureKind::timeout) {
    last = *previous;
    last.message = fmt::format("{} (the next attempt was still running at the deadline)", previous->message);
  }
  if (report.attempts > 1 || deadline_cut) {
    // The retry arithmetic, so nobody has to guess why it took this long.
    last.message = fmt::format("{} — gave up after {} attempt{} in {:.2f} s (phase timeout {}; {})", last.message,
                               report.attempts, report.attempts == 1 ? "" : "s", report.elapsed_ms / 1000.0,
                               format_seconds(settings.phase_timeout), describe(backoff));
  }
  report.error = std::move(last);
  return report;
}

}  // namespace preflight
