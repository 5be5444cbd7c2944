#include "check_progress.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "engine/certificate_expiry.h"
#include "net/certificate_watch.h"

namespace preflight {
namespace {

CheckStatus failed_status(const PlannedCheck& check) {
  return check.required ? CheckStatus::failed : CheckStatus::warned;
}

// The one host a check looks up, when it has exactly one.
const std::string* looked_up_host(const PlannedCheck& check) {
  if (!check.target || check.target->endpoints.size() != 1 || check.target->endpoints.front().is_socket()) return nullptr;
  return &check.target->endpoints.front().host;
}

}  // namespace

CheckProgress::CheckProgress(const PlannedCheck& check, unsigned seed)
    : check_(&check), jitter_(jitter_random(seed)), done_(check.blocked.has_value()) {}

const Failure* CheckProgress::attempt(const PhaseRun& phase, const CancelToken& cancel) {
  ++attempts_;
  std::vector<std::string> warnings;
  net::CertificateWatch certificates;  // any TLS handshake of the attempt
  Status st = check_->probe->attempt_noting(phase.deadline, cancel, warnings);
  if (st.ok()) {
    if (certificates.facts()) {
      for (auto& w : certificate_expiry_warnings(*certificates.facts(), check_->certificate_warning_days)) warnings.push_back(std::move(w));
    }
    warnings_ = std::move(warnings);
    passed_ = true;
    spdlog::debug("{}: passed after {} attempt(s)", check_->name, attempts_);
    end(phase);
    return nullptr;
  }
  if (attempts_ > 1) previous_ = std::move(last_);
  last_ = st.error();
  // "Cannot resolve" says what the name servers answer (NXDOMAIN,
  // SERVFAIL, no address record): asked once per check, within the
  // attempt's deadline, and repeated on the later failures.
  const std::string* host = looked_up_host(*check_);
  if (last_.kind == FailureKind::dns && last_.code.empty() && host && !host->empty()) {
    if (!lookup_answer_) lookup_answer_ = dns::answer_for_failed_lookup(*host, phase.deadline, cancel);
    if (*lookup_answer_) {
      last_.message += (*lookup_answer_)->note;
      last_.code = (*lookup_answer_)->code;
    }
  }
  spdlog::debug("{}: attempt {} failed ({}): {}", check_->name, attempts_, last_.kind, last_.message);
  const BackoffPolicy backoff = with_retry_settings(phase.backoff, check_->retry);
  if (last_.kind == FailureKind::interrupted || phase.once || !is_retryable(last_.kind) ||
      (backoff.max_attempts > 0 && attempts_ >= backoff.max_attempts)) {
    end(phase);
  } else if (phase.deadline.expired()) {
    deadline_cut_ = last_.kind == FailureKind::timeout;
    end(phase);
  } else {
    next_attempt_at_ = std::min(Clock::now() + backoff_delay(backoff, attempts_, jitter_), phase.deadline.at());
  }
  return &last_;
}

void CheckProgress::stop_waiting(const PhaseRun& phase, const CancelToken& cancel, size_t threads) {
  if (cancel.cancelled()) {
    last_ = {FailureKind::interrupted,
             attempts_ == 0 ? "interrupted by a signal while waiting for a connection slot"
                            : "interrupted by a signal while waiting to retry",
             {}};
  } else if (attempts_ == 0) {
    last_ = {FailureKind::timeout,
             fmt::format("never started: all {} connection slots stayed busy until the deadline", threads),
             "too many checks at once for the open-file limit (ulimit -n); raise it, or split the phase"};
  }
  // Otherwise the deadline came while it waited to retry: its last failure stands.
  end(phase);
}

void CheckProgress::end(const PhaseRun& phase) {
  done_ = true;
  elapsed_ms_ = ms_since(phase.start);
}

CheckReport CheckProgress::report(const PhaseRun& phase) && {
  const PlannedCheck& check = *check_;
  CheckReport report{.name = check.name, .type = check.type, .required = check.required, .target = check.shown};
  report.attempts = attempts_;
  if (check.blocked) {
    report.status = failed_status(check);
    report.error = check.blocked;
    report.elapsed_ms = ms_since(phase.start);
    return report;
  }
  report.elapsed_ms = elapsed_ms_;
  if (passed_) {
    report.status = CheckStatus::passed;
    report.warnings = std::move(warnings_);
    return report;
  }
  report.status = failed_status(check);
  Failure last = std::move(last_);
  // An attempt that merely ran into the deadline says less than the one
  // before it: after several "READONLY" answers, "connect timed out" would
  // hide the cause (seen in the fault matrix under ASan).
  if (deadline_cut_ && previous_ && previous_->kind != FailureKind::timeout) {
    last = std::move(*previous_);
    last.message += " (the next attempt was still running at the deadline)";
  }
  if (attempts_ > 1 || deadline_cut_) {
    // The retry arithmetic, so nobody has to guess why it took this long.
    last.message = fmt::format("{} — gave up after {} attempt{} in {:.2f} s (phase timeout {}; {})", last.message,
                               attempts_, attempts_ == 1 ? "" : "s", elapsed_ms_ / 1000.0, format_seconds(phase.timeout),
                               describe(with_retry_settings(phase.backoff, check.retry)));
  }
  report.error = std::move(last);
  return report;
}

}  // namespace preflight
