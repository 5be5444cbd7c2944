// The built-in profile's migrations check: offered beside the database
// check of DATABASE_URL when the working directory holds a migration
// tool's files, found where the tool itself looks for them. It is never a
// silent guess: the check is named "migrations" in every report, and lint
// says which files it read.
#include <filesystem>
#include <fstream>
#include <optional>
#include <regex>
#include <string>

#include "probes/migrations/database_string.h"
#include "probes/migrations/shipped_migrations.h"
#include "probes/profile_offer.h"

namespace preflight {
namespace {

namespace fs = std::filesystem;

bool exists(const fs::path& p) {
  std::error_code ec;
  return fs::exists(p, ec);
}

// alembic.ini's script_location ("%(here)s/alembic" or "migrations").
std::optional<std::string> alembic_location() {
  std::ifstream ini("alembic.ini");
  static const std::regex line(R"(^\s*script_location\s*=\s*(\S+))");
  for (std::string text; std::getline(ini, text);) {
    std::smatch m;
    if (!std::regex_search(text, m, line)) continue;
    std::string location = m[1];
    if (location.starts_with("%(here)s/")) location = location.substr(9);
    return location;
  }
  return std::nullopt;
}

// The first tool whose files are here, and where its migrations are.
std::optional<std::pair<MigrationTool, std::string>> tool_in_working_directory() {
  if (exists("alembic.ini")) {
    if (auto location = alembic_location(); location && exists(*location)) return std::pair{MigrationTool::alembic, *location};
  }
  if (exists("manage.py") && read_shipped_migrations(MigrationTool::django, ".").ok()) return std::pair{MigrationTool::django, "."};
  if (exists("db/migrate")) return std::pair{MigrationTool::rails, "."};
  // knex's and sequelize-cli's default directory.
  if (exists("migrations")) {
    for (const char* knexfile : {"knexfile.js", "knexfile.cjs", "knexfile.mjs", "knexfile.ts"}) {
      if (exists(knexfile)) return std::pair{MigrationTool::knex, "migrations"};
    }
    if (exists(".sequelizerc")) return std::pair{MigrationTool::sequelize, "migrations"};
  }
  return std::nullopt;
}

}  // namespace

void offer_migrations_checks(const ProfileVariables& vars, std::vector<ProfileOffer>& out) {
  // A database the check can log in to, read by the check's own reader.
  if (!vars.has("DATABASE_URL") || !read_database(vars.value("DATABASE_URL")).ok()) return;
  auto found = tool_in_working_directory();
  if (!found) return;
  out.push_back({ProfilePhase::database, "migrations", profile_rank::kAnyUrl, "migrations",
                 {{"url", "${DATABASE_URL}"}, {"tool", tool_name(found->first)}, {"path", found->second}}, "DATABASE_URL"});
}

}  // namespace preflight
