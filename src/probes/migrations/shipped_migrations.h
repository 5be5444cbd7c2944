// The migrations a release ships, read from its files the way each tool
// finds and names them, as the ids the tool records in the database once it
// has applied one.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace preflight {

enum class MigrationTool { alembic, django, rails, golang_migrate, knex, sequelize };

std::optional<MigrationTool> migration_tool(std::string_view name);  // "golang-migrate" ...
std::string_view tool_name(MigrationTool tool);

struct ShippedMigrations {
  std::string directory;  // where they were read, for messages
  // Each id as the tool records it, in the order the tool applies them:
  //   alembic         the revision ("3f2a1b9c4d5e")
  //   django          "app/name" ("orders/0004_add_total")
  //   rails           the version as a number ("20240101120000")
  //   golang-migrate  the version ("20240101120000", "1")
  //   knex, sequelize the file's name with its extension ("20240101_add.js")
  std::vector<std::string> ids;
  // alembic: each revision's down_revisions (several for a merge); the
  // heads are the revisions that none revises.
  std::map<std::string, std::vector<std::string>> parents;
  std::vector<std::string> heads;
  // django: a squashed migration's id -> the ids it replaces.
  std::map<std::string, std::vector<std::string>> replaces;
};

// A version number as Rails and golang-migrate record it: its digits
// without leading zeros ("0042" -> "42"). Versions so written compare by
// length, then as text: no width limit, unlike an integer.
std::string normalized_version(std::string_view digits);
bool version_less(const std::string& a, const std::string& b);

// The error is a sentence naming the path and what is wrong there.
Result<ShippedMigrations, std::string> read_shipped_migrations(MigrationTool tool, const std::string& path);

}  // namespace preflight
