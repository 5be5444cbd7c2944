// The run's facts as structured log entries: on Cloud Run (and wherever
// --log-format json is asked for) the logs are the report, one Cloud
// Logging entry per fact, and stdout carries no text table.
#pragma once

#include <map>
#include <string>

#include "config/plan.h"
#include "engine/report.h"

namespace preflight {

// Logs, as JSON entries with their fields: each finding (ERROR, or WARNING
// for a check that is not required), each failed or warned check with
// everything the text report shows of it (phase, check, type, kind, stage,
// code, message, hint, the variables it used with their sources, attempts,
// elapsed, the masked target), each warning of a passed check, and the
// verdict: CRITICAL with the line alerts match and an Error Reporting event
// (serviceContext from K_SERVICE and K_REVISION in `env`) when the run
// failed; INFO with each phase's time when it is ready. The run's warnings
// were logged when they were found and are not repeated.
// REQUIRES: the report is scrubbed; the logs are structured.
void log_report_entries(const RunReport& report, const Plan& plan, const std::map<std::string, std::string>& env);

// The check entries of log_report_entries alone. With text logs the report
// already shows each failure (`shown_by_the_report`): they are debug lines
// then, but for warn mode's bypass of a required check, which is loud.
void log_check_entries(const RunReport& report, const Plan& plan, bool shown_by_the_report);

}  // namespace preflight
