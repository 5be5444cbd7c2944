// The migrations a release ships against what its database has applied:
// the release's files read as its tool reads them, the tool's own table
// read over the postgres or the mysql check's login, whichever the
// connection string is for. Behind, dirty or locked fails (and
// is retried: a migration job may be running); ahead of the release (a
// rollback) is a warning unless "ahead": "fail".
#include <algorithm>
#include <string_view>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "base/text.h"
#include "probes/migrations/database_string.h"
#include "probes/migrations/migration_state.h"
#include "probes/migrations/shipped_migrations.h"
#include "probes/mysql/mysql_reader.h"
#include "probes/mysql/mysql_session.h"
#include "probes/postgres/libpq_files.h"
#include "probes/postgres/postgres_reader.h"
#include "probes/postgres/postgres_session.h"
#include "probes/probe_types.h"

namespace preflight {
namespace {

bool is_identifier(std::string_view word) {
  auto letter = [](char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_'; };
  auto digit = [](char c) { return c >= '0' && c <= '9'; };
  return !word.empty() && letter(word.front()) &&
         std::all_of(word.begin(), word.end(), [&](char c) { return letter(c) || digit(c); });
}

// A table name is put into SQL: only an identifier, with its schema. (Not a
// std::regex at namespace scope: compiling it cost every run of preflight,
// --version included, a million instructions at start-up.)
bool is_table_name(std::string_view name) {
  const size_t dot = name.find('.');
  if (dot == std::string_view::npos) return is_identifier(name);
  return is_identifier(name.substr(0, dot)) && is_identifier(name.substr(dot + 1));
}

// A table that does not exist: PostgreSQL's SQLSTATE, MySQL's error number
// (ER_NO_SUCH_TABLE).
constexpr std::string_view kUndefinedTable = "42P01";
constexpr std::string_view kNoSuchTable = "1146";

// A MySQL or MariaDB connection string (a URL of theirs, or a Go DSN);
// anything else is read as PostgreSQL's.
bool is_mysql_string(std::string_view text) {
  std::string lower = to_lower(text.substr(0, std::min<size_t>(text.size(), 32)));
  std::string_view s = lower;
  if (s.starts_with("jdbc:")) s.remove_prefix(5);
  if (text.find("://") == std::string_view::npos) {
    return text.find("@tcp(") != std::string_view::npos || text.find("@unix(") != std::string_view::npos;
  }
  return s.starts_with("mysql") || s.starts_with("mariadb");
}

bool is_mysql(const Target& target) { return target.scheme == "mysql"; }

// How many names a message lists before "and N more".
constexpr size_t kNamesShown = 5;

std::string_view default_table(MigrationTool tool) {
  switch (tool) {
    case MigrationTool::alembic: return "alembic_version";
    case MigrationTool::django: return "django_migrations";
    case MigrationTool::rails:
    case MigrationTool::golang_migrate: return "schema_migrations";
    case MigrationTool::knex: return "knex_migrations";
    case MigrationTool::sequelize: return "SequelizeMeta";
  }
  return "";
}

// What the application's deploy runs to apply them.
std::string apply_command(MigrationTool tool, std::string_view directory) {
  switch (tool) {
    case MigrationTool::alembic: return "alembic upgrade head";
    case MigrationTool::django: return "python manage.py migrate";
    case MigrationTool::rails: return "bin/rails db:migrate";
    case MigrationTool::golang_migrate: return fmt::format("migrate -path {} -database \"$DATABASE_URL\" up", directory);
    case MigrationTool::knex: return "npx knex migrate:latest";
    case MigrationTool::sequelize: return "npx sequelize-cli db:migrate";
  }
  return "";
}

// "a"."b" (`a`.`b` in MySQL): quoted, so that SequelizeMeta keeps its
// capitals.
std::string quoted_table(std::string_view table, bool mysql) {
  const char quote = mysql ? '`' : '"';
  std::string out;
  for (std::string_view part : split(table, '.')) out += fmt::format("{}{}{}{}", out.empty() ? "" : ".", quote, part, quote);
  return out;
}

std::string listed(const std::vector<std::string>& names) { return join_at_most(names, kNamesShown); }

std::string migrations_word(size_t n) { return n == 1 ? "migration" : "migrations"; }

struct MigrationsSpec {
  MigrationTool tool = MigrationTool::alembic;
  std::string path;
  std::string table;
  bool ahead_fails = false;
  bool mysql = false;
};

class MigrationsProbe final : public Probe {
 public:
  MigrationsProbe(MigrationsSpec spec, std::unique_ptr<SqlSession> session)
      : spec_(std::move(spec)), session_(std::move(session)) {}

  Status attempt(Deadline deadline, const CancelToken& cancel) const override {
    std::vector<std::string> unused;
    return attempt_noting(deadline, cancel, unused);
  }

  Status attempt_noting(Deadline deadline, const CancelToken& cancel, std::vector<std::string>& warnings) const override {
    if (!shipped_) {
      auto read = read_shipped_migrations(spec_.tool, spec_.path);
      if (!read.ok()) {
        return Unexpected<Failure>{at_stage({FailureKind::invalid_config, fmt::format("the release's migrations: {}", read.error())},
                                            Stage::unknown, "no_files")};
      }
      shipped_ = std::move(read).value();
    }
    const ShippedMigrations& shipped = *shipped_;
    auto applied = read_applied(deadline, cancel);
    if (!applied.ok()) return Unexpected<Failure>{applied.error()};
    const std::string_view tool = tool_name(spec_.tool);
    if (!applied->table_exists) {
      return unhealthy(fmt::format("no {} migration has been applied to this database: it has no table {} (the release "
                                   "ships {} {})",
                                   tool, spec_.table, shipped.ids.size(), migrations_word(shipped.ids.size())),
                       "not_migrated");
    }
    if (applied->locked) {
      return unhealthy(fmt::format("knex's migration lock is held ({}_lock.is_locked is 1): a migration is running, or "
                                   "one stopped while holding it",
                                   spec_.table),
                       "locked");
    }
    const MigrationState state = compare_migrations(spec_.tool, shipped, *applied);
    if (state.dirty) {
      return unhealthy(fmt::format("golang-migrate's migration {} failed halfway: {} marks the database dirty at it",
                                   *state.dirty, spec_.table),
                       "dirty");
    }
    if (!state.heads.empty() && (!state.missing.empty() || !state.unknown.empty())) {
      return Unexpected<Failure>{at_stage(
          {FailureKind::invalid_config,
           fmt::format("the release's alembic migrations have {} heads ({}): `alembic upgrade head` stops at "
                       "\"Multiple head revisions\"",
                       state.heads.size(), listed(state.heads))},
          Stage::query, "heads")};
    }
    if (!state.missing.empty()) {
      return unhealthy(fmt::format("the database is behind the release: {} of its {} {} {} not applied: {}",
                                   state.missing.size(), shipped.ids.size(), migrations_word(shipped.ids.size()),
                                   state.missing.size() == 1 ? "is" : "are", listed(state.missing)),
                       "behind");
    }
    if (!state.unknown.empty()) {
      std::string what = fmt::format("the database has {} {} {} that this release does not ship: {} (a newer release "
                                     "migrated it: is this a rollback?)",
                                     state.unknown.size(), tool, migrations_word(state.unknown.size()), listed(state.unknown));
      if (spec_.ahead_fails) return Unexpected<Failure>{at_stage({FailureKind::invalid_config, what}, Stage::query, "ahead")};
      warnings.push_back(std::move(what));
    }
    return {};
  }

 private:
  static Unexpected<Failure> unhealthy(std::string message, std::string code) {
    return Unexpected<Failure>{at_stage({FailureKind::unhealthy, std::move(message)}, Stage::query, std::move(code))};
  }

  std::vector<std::string> statements() const {
    const std::string table = quoted_table(spec_.table, spec_.mysql);
    switch (spec_.tool) {
      case MigrationTool::alembic: return {fmt::format("SELECT version_num FROM {}", table)};
      case MigrationTool::django:
        return {spec_.mysql ? fmt::format("SELECT CONCAT(app, '/', name) FROM {}", table)
                            : fmt::format("SELECT app || '/' || name FROM {}", table)};
      case MigrationTool::rails: return {fmt::format("SELECT version FROM {}", table)};
      // dirty is boolean in PostgreSQL, tinyint(1) in MySQL: 1 or 0 in both.
      case MigrationTool::golang_migrate:
        return {fmt::format("SELECT version, CASE WHEN dirty THEN 1 ELSE 0 END FROM {}", table)};
      case MigrationTool::knex:
        return {fmt::format("SELECT name FROM {}", table),
                fmt::format("SELECT is_locked FROM {}", quoted_table(spec_.table + "_lock", spec_.mysql))};
      case MigrationTool::sequelize: return {fmt::format("SELECT name FROM {}", table)};
    }
    return {};
  }

  Result<AppliedMigrations> read_applied(Deadline deadline, const CancelToken& cancel) const {
    auto answers = session_->ask(statements(), deadline, cancel);
    if (!answers.ok()) return Unexpected<Failure>{answers.error()};
    AppliedMigrations applied;
    for (size_t i = 0; i < answers->size(); ++i) {
      const SqlAnswer& answer = (*answers)[i];
      if (answer.refused) {
        // knex makes its lock table with its migrations table: without it,
        // the first answer says what there is to say.
        if (answer.refused->code == (spec_.mysql ? kNoSuchTable : kUndefinedTable)) {
          if (i == 0) applied.table_exists = false;
          continue;
        }
        return Unexpected<Failure>{*answer.refused};
      }
      for (const SqlRow& row : answer.rows) {
        if (row.empty() || !row[0]) continue;
        if (i == 1) {  // knex's lock
          applied.locked = applied.locked || *row[0] == "1";
          continue;
        }
        std::string id = spec_.tool == MigrationTool::rails ? normalized_version(*row[0]) : *row[0];
        if (spec_.tool == MigrationTool::golang_migrate && row.size() > 1 && row[1]) applied.dirty = *row[1] == "1";
        applied.ids.push_back(std::move(id));
      }
    }
    return applied;
  }

  MigrationsSpec spec_;
  std::unique_ptr<SqlSession> session_;
  // The release's files, read at the first attempt (a plan and lint do no
  // I/O) and kept: retries wait for the database, and the image's files do
  // not change under them. attempt() runs on one thread at a time.
  mutable std::optional<ShippedMigrations> shipped_;
};

std::optional<std::string> check_migrations_shape(const nlohmann::json& fields) {
  auto tool = fields.find("tool");
  if (tool == fields.end() || !tool->is_string() || !migration_tool(tool->get<std::string>())) {
    return "tool: expected one of alembic, django, rails, golang-migrate, knex, sequelize";
  }
  auto path = fields.find("path");
  if (path == fields.end() || !path->is_string() || path->get_ref<const std::string&>().empty()) {
    return "path: expected the migrations directory (the project root for django and rails), a non-empty string";
  }
  if (auto table = fields.find("table"); table != fields.end()) {
    if (!table->is_string() || !is_table_name(table->get<std::string>())) {
      return "table: expected a table name, optionally with its schema (\"public.alembic_version\")";
    }
  }
  if (auto ahead = fields.find("ahead"); ahead != fields.end() && *ahead != "warn" && *ahead != "fail") {
    return "ahead: expected \"warn\" (the default) or \"fail\"";
  }
  return std::nullopt;
}

Result<std::unique_ptr<Probe>> make_migrations_probe(const ProbeInput& in) {
  // Checked again once interpolated: a ${...} may have made a field empty.
  if (auto problem = check_migrations_shape(in.fields)) return fail(FailureKind::invalid_config, *problem);
  MigrationsSpec spec;
  spec.tool = *migration_tool(string_field(in.fields, "tool"));
  spec.path = string_field(in.fields, "path");
  spec.table = string_field(in.fields, "table");
  if (spec.table.empty()) spec.table = default_table(spec.tool);
  spec.ahead_fails = string_field(in.fields, "ahead") == "fail";
  spec.mysql = is_mysql(in.target);
  auto session = spec.mysql ? make_mysql_session(in) : make_postgres_session(in);
  if (!session.ok()) return Unexpected<Failure>{session.error()};
  return std::unique_ptr<Probe>(std::make_unique<MigrationsProbe>(std::move(spec), std::move(session).value()));
}

// For lint: what the release ships and the head it expects, read where
// lint runs (CI's checkout, or the image).
std::string release_reading(const nlohmann::json& fields) {
  const auto tool = migration_tool(string_field(fields, "tool"));
  if (!tool) return "";
  auto shipped = read_shipped_migrations(*tool, string_field(fields, "path"));
  if (!shipped.ok()) return fmt::format("the release's migrations cannot be read here: {}", shipped.error());
  std::vector<std::string> heads = shipped->heads;
  if (heads.empty()) heads.push_back(shipped->ids.back());
  if (*tool == MigrationTool::django) heads.clear();  // one per app: the count says enough
  return fmt::format("the release ships {} {} {} in {}{}", shipped->ids.size(), tool_name(*tool),
                     migrations_word(shipped->ids.size()), shipped->directory,
                     heads.empty() ? "" : fmt::format(", head{} {}", heads.size() > 1 ? "s" : "", listed(heads)));
}

std::string migrations_hint(const Failure& f, const HintContext& c) {
  const auto tool = migration_tool(c.fields->value("tool", ""));
  if (!tool) return "";
  const std::string path = c.fields->value("path", "");
  const std::string apply = apply_command(*tool, path);
  if (f.code == "behind" || f.code == "not_migrated") {
    std::string hint = fmt::format(
        "apply them before this release takes traffic: `{}` (on Cloud Run, a job that runs it from the same image "
        "before the revision is deployed). Retrying helps only while such a job runs",
        apply);
    if (f.code == "not_migrated") {
      hint += fmt::format("; if they have been applied, the url points at another database: its name is {}",
                          c.origin("database").empty() ? "the user's (libpq's default)" : c.origin("database"));
    }
    return hint;
  }
  if (f.code == "dirty") {
    return fmt::format("golang-migrate will not go on from a dirty version: repair what the migration did, then "
                       "`migrate -path {} -database \"$DATABASE_URL\" force VERSION` with the last version that "
                       "succeeded, and `up` again",
                       path);
  }
  if (f.code == "locked") return "if no migration is running, release the lock: `npx knex migrate:unlock`";
  if (f.code == "heads") return "merge them into one and ship the merge: `alembic merge heads -m merge`";
  if (f.code == "ahead") {
    return "deploy the release these migrations belong to, or take them back with that release's tool; \"ahead\": "
           "\"warn\" lets a rollback start";
  }
  if (f.code == "no_files") {
    return fmt::format("the path{} is read from where preflight runs: is it where the image holds the release's "
                       "migrations?",
                       c.named_source(path));
  }
  return c.target != nullptr && is_mysql(*c.target) ? mysql_hint(f, c) : postgres_hint(f, c);
}

}  // namespace

// golang-migrate writes its MySQL database as mysql:// before a Go DSN
// (database/mysql: "mysql://user:password@tcp(host:port)/dbname"): the
// DSN after the scheme is what go-sql-driver reads.
Result<Target> read_database(std::string_view text) {
  if (!is_mysql_string(text)) return read_postgres(text);
  constexpr std::string_view kGolangMigrateScheme = "mysql://";
  std::string_view rest = text.substr(std::min(text.size(), kGolangMigrateScheme.size()));
  const bool go_dsn = rest.find("@tcp(") != std::string_view::npos || rest.find("@unix(") != std::string_view::npos;
  return read_mysql(to_lower(text.substr(0, kGolangMigrateScheme.size())) == kGolangMigrateScheme && go_dsn ? rest : text);
}

// migrations_profile.cc
void offer_migrations_checks(const ProfileVariables& vars, std::vector<ProfileOffer>& out);

extern const ProbeType kMigrationsProbeType{
    .name = "migrations",
    .schemes = {{"postgresql", 5432}, {"postgres", 5432}, {"mysql", 3306}, {"mariadb", 3306}, {"mysql2", 3306}},
    .fields = {{"tool", FieldType::string},
               {"path", FieldType::string},
               {"table", FieldType::string},
               {"ahead", FieldType::string},
               {"user", FieldType::string},
               {"password", FieldType::string, true},
               {"dbname", FieldType::string},
               {"sslmode", FieldType::string},
               {"sslrootcert", FieldType::string},
               {"ca_file", FieldType::string}},
    .make = make_migrations_probe,
    .check_shape = check_migrations_shape,
    .read = read_database,
    .apply_fields = [](Target& target, const nlohmann::json& fields) {
      if (!is_mysql(target)) apply_postgres_fields(target, fields);
    },
    .ca_field = "sslrootcert",
    .hint = migrations_hint,
    .ca_variables = {"PGSSLROOTCERT"},
    .library_secrets = [](const Target& target) {
      return is_mysql(target) ? std::vector<std::string>{} : libpq_file_passwords(target);
    },
    .offer = offer_migrations_checks,
    .offline_reading = release_reading,
};

}  // namespace preflight
