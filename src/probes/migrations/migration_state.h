// Where a database stands against the migrations a release ships: decided
// from what the tool itself recorded (its table) and the release's files.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "probes/migrations/shipped_migrations.h"

namespace preflight {

// What the tool's table holds.
struct AppliedMigrations {
  bool table_exists = true;
  std::vector<std::string> ids;  // as recorded (django: "app/name")
  bool dirty = false;            // golang-migrate: the recorded version failed halfway
  bool locked = false;           // knex: its lock row is held
};

struct MigrationState {
  std::vector<std::string> missing;  // shipped and not applied, in the order the tool applies them
  std::vector<std::string> unknown;  // applied and not shipped: the database is ahead of the release
  std::optional<std::string> dirty;  // golang-migrate: the version that failed
  std::vector<std::string> heads;    // alembic: the release's heads, when it has several
};

MigrationState compare_migrations(MigrationTool tool, const ShippedMigrations& shipped, const AppliedMigrations& applied);

}  // namespace preflight
