// A database login that answers statements with every row: for checks that
// read what the database itself records (the migrations a tool applied),
// over the same login, TLS, deadlines and failure causes as the database's
// own check.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "base/deadline.h"
#include "base/failure.h"
#include "base/result.h"

namespace preflight {

using SqlRow = std::vector<std::optional<std::string>>;  // nullopt: NULL

struct SqlAnswer {
  std::vector<SqlRow> rows;
  // The server refused the statement: its message, scrubbed, and in `code`
  // the server's own error code (SQLSTATE "42P01", MySQL's "1146").
  std::optional<Failure> refused;
};

class SqlSession {
 public:
  virtual ~SqlSession() = default;
  // Logs in once and runs each statement in turn. A failure is the login's
  // (or a stall, or the deadline); a statement the server refuses is in
  // its answer.
  virtual Result<std::vector<SqlAnswer>> ask(const std::vector<std::string>& statements, Deadline deadline,
                                             const CancelToken& cancel) const = 0;
};

}  // namespace preflight
