// The postgres check's login, answering statements with their rows, for
// checks that read a PostgreSQL database's own tables.
#pragma once

#include <memory>

#include "probes/probe.h"
#include "probes/sql_session.h"

namespace preflight {

// From the same input as the postgres check (its reader's Target, the
// check's sslmode and sslrootcert); no I/O until ask().
Result<std::unique_ptr<SqlSession>> make_postgres_session(const ProbeInput& input);

// The postgres check's hint, for a type whose login is the postgres check's.
std::string postgres_hint(const Failure& failure, const HintContext& context);

}  // namespace preflight
