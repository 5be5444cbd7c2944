// The mysql check's login, answering statements with their rows, for
// checks that read a MySQL or MariaDB database's own tables.
#pragma once

#include <memory>

#include "probes/probe.h"
#include "probes/sql_session.h"

namespace preflight {

// From the same input as the mysql check (its reader's Target); no I/O
// until ask().
Result<std::unique_ptr<SqlSession>> make_mysql_session(const ProbeInput& input);

// The mysql check's hint, for a type whose login is the mysql check's.
std::string mysql_hint(const Failure& failure, const HintContext& context);

}  // namespace preflight
