// The migrations check through the binary, against a real PostgreSQL and
// a real MariaDB whose schemas the real tools made: Alembic (Debian's python3-alembic) and
// Django (python3-django) create, apply, branch, merge and squash their
// migrations, ActiveRecord (Debian's ruby-activerecord, as `bin/rails
// db:migrate` runs it) applies Rails migrations, knex and Sequelize (from
// the npm registry, installed by scripts/install-deps.sh) make, apply and
// lock theirs; golang-migrate, which Debian does not package, is stood in
// for by its table as its source (database/postgres) creates it.
#include <gtest/gtest.h>

#include <filesystem>

#include <nlohmann/json.hpp>

#include "binary_harness.h"
#include "mariadb_server.h"
#include "node_tools.h"
#include "postgres_server.h"

namespace preflight::testing {
namespace {

// Runs a migration tool's shell script in the project directory; the tools
// find the server in `env` (and nothing else of the test's environment).
void run_tool(const TempDir& project, const std::string& script, std::map<std::string, std::string> env) {
  env.emplace("PATH", "/usr/bin:/bin");
  env.emplace("PYTHONDONTWRITEBYTECODE", "1");
  Process p({"/bin/sh", "-c", "cd " + project.path() + " && " + script}, env, /*clean_env=*/true);
  auto r = p.wait(std::chrono::seconds(60));
  ASSERT_EQ(r.exit_code, 0) << script << "\n" << r.out << r.err;
}

class Migrations : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { server_ = new PostgresServer(); }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }
  void SetUp() override {
    if (!server_->unavailable_reason().empty()) GTEST_SKIP() << server_->unavailable_reason();
  }

  // A database of its own for each test.
  std::string database(const std::string& name) {
    sh(fmt::format("psql -q -h 127.0.0.1 -p {} -U postgres -d postgres -c 'DROP DATABASE IF EXISTS {}' -c 'CREATE DATABASE {}'",
                   server_->port(), name, name));
    return name;
  }
  std::string url(const std::string& db) const {
    return fmt::format("postgres://postgres:{}@127.0.0.1:{}/{}", PostgresServer::kPassword, server_->port(), db);
  }
  void sh(const std::string& script, const std::string& db = "postgres") {
    run_tool(project, script,
             {{"PGPASSWORD", PostgresServer::kPassword}, {"PGPORT", std::to_string(server_->port())}, {"DB", db},
              {"DBUSER", "postgres"}, {"DATABASE_URL", url(db)}, {"NODE_PATH", node_tools_modules()}});
  }
  // One run of the check; `fields` adds to tool, path and url.
  ProcessResult check(const std::string& db, const std::string& tool, const std::string& path,
                      const std::string& fields = "") {
    auto config = one_check_config(checks, "schema", "migrations",
                                   fmt::format(R"("url":"{}","tool":"{}","path":"{}"{})", url(db), tool, path, fields), "10s");
    auto r = run_clean(cmd({"-c", config, "--once"}));
    EXPECT_EQ(r.out.find(PostgresServer::kPassword), std::string::npos) << r.out;
    EXPECT_EQ(r.err.find(PostgresServer::kPassword), std::string::npos) << r.err;
    return r;
  }

  static PostgresServer* server_;
  TempDir project, checks;
};
PostgresServer* Migrations::server_ = nullptr;

void expect_says(const ProcessResult& r, int exit_code, std::initializer_list<std::string> phrases) {
  EXPECT_EQ(r.exit_code, exit_code) << r.out << r.err;
  for (const std::string& phrase : phrases) EXPECT_NE((r.out + r.err).find(phrase), std::string::npos) << phrase << "\n" << r.out << r.err;
}

TEST_F(Migrations, AlembicBehindAtHeadBranchedMergedAndAhead) {
  const std::string db = database("alembic_app");
  const std::string alembic = "/usr/bin/python3 -m alembic";
  // SQLAlchemy 1.4 takes postgresql:// only.
  sh(alembic + " init migrations >/dev/null && sed -i 's|^sqlalchemy.url = .*|sqlalchemy.url = postgresql" +
     url(db).substr(std::string("postgres").size()) + "|' alembic.ini");
  const std::string versions = project.path() + "/migrations";

  expect_says(check(db, "alembic", versions), 3, {"holds no alembic migrations"});

  for (const char* id : {"r1", "r2", "r3"}) sh(fmt::format("{} revision -m step_{} --rev-id {} >/dev/null", alembic, id, id));
  // Lint reads the files offline and says what head the release expects.
  auto lint = run_clean(cmd({"lint", "-c", one_check_config(checks, "schema", "migrations",
                                                            fmt::format(R"("url":"{}","tool":"alembic","path":"{}")", url(db), versions),
                                                            "10s")}));
  expect_says(lint, 0, {"the release ships 3 alembic migrations in " + versions + "/versions, head r3"});
  // The built-in profile finds them where alembic.ini says, beside DATABASE_URL's check; not elsewhere.
  for (const std::string& cwd : {project.path(), checks.path()}) {
    auto profile = run_clean({"/bin/sh", "-c", "cd " + cwd + " && exec " + binary_under_test() + " lint -o json"},
                             {{"DATABASE_URL", url(db)}});
    auto report = nlohmann::json::parse(profile.out, nullptr, false);
    ASSERT_TRUE(report.is_object()) << profile.out << profile.err;
    std::vector<std::string> names;
    for (const auto& c : report["phases"][0]["checks"]) names.push_back(c["name"]);
    if (cwd == checks.path()) {
      EXPECT_EQ(names, std::vector<std::string>{"postgres"}) << profile.out;
      continue;
    }
    ASSERT_EQ(names, (std::vector<std::string>{"postgres", "migrations"})) << profile.out;
    const std::string understood = report["phases"][0]["checks"][1].value("understood", "");
    EXPECT_NE(understood.find("the release ships 3 alembic migrations in migrations/versions, head r3"), std::string::npos)
        << profile.out;
  }
  expect_says(check(db, "alembic", versions), 3,
              {"no alembic migration has been applied to this database: it has no table alembic_version", "alembic upgrade head"});

  sh(alembic + " upgrade r2 2>/dev/null");
  expect_says(check(db, "alembic", versions), 3,
              {"the database is behind the release: 1 of its 3 migrations is not applied: r3", "alembic upgrade head"});

  sh(alembic + " upgrade head 2>/dev/null");
  expect_says(check(db, "alembic", versions), 0, {});

  // A second head, made from r1 as a feature branch is.
  sh(alembic + " revision -m branch --head r1 --splice --rev-id b1 >/dev/null");
  expect_says(check(db, "alembic", versions), 3, {"have 2 heads (b1, r3)", "alembic merge heads"});
  sh(alembic + " merge heads -m merge --rev-id m1 >/dev/null && " + alembic + " upgrade head 2>/dev/null");
  expect_says(check(db, "alembic", versions), 0, {});

  // A newer release migrated the database; this one does not know r4.
  sh(alembic + " revision -m newer --rev-id r4 >/dev/null && " + alembic + " upgrade head 2>/dev/null && rm migrations/versions/r4_*.py");
  expect_says(check(db, "alembic", versions), 0, {"the database has 1 alembic migration that this release does not ship: r4"});
  expect_says(check(db, "alembic", versions, R"(,"ahead":"fail")"), 3, {"does not ship: r4"});
}

// A Django project of one app, "orders", on the database `engine` names,
// settings from the environment.
void write_django_project(const TempDir& project, const std::string& engine) {
  project.write("manage.py",
                "import os, sys\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'proj.settings')\n"
                "from django.core.management import execute_from_command_line\nexecute_from_command_line(sys.argv)\n");
  project.write("proj/__init__.py", "");
  project.write("proj/settings.py",
                "import os\nSECRET_KEY = 'test'\nINSTALLED_APPS = ['orders']\nUSE_TZ = True\n"
                "DEFAULT_AUTO_FIELD = 'django.db.models.AutoField'\n"
                "DATABASES = {'default': {'ENGINE': 'django.db.backends." + engine + "', 'NAME': os.environ['DB'],\n"
                "  'HOST': '127.0.0.1', 'PORT': os.environ['PGPORT'], 'USER': os.environ['DBUSER'],\n"
                "  'PASSWORD': os.environ['PGPASSWORD']}}\n");
  project.write("orders/__init__.py", "");
  project.write("orders/models.py", "from django.db import models\nclass Order(models.Model):\n    name = models.CharField(max_length=10)\n");
}

void add_django_field(const TempDir& project) {
  project.write("orders/models.py", "from django.db import models\nclass Order(models.Model):\n    name = models.CharField(max_length=10)\n"
                                    "    total = models.IntegerField(default=0)\n");
}

TEST_F(Migrations, DjangoBehindAtHeadAndSquashed) {
  const std::string db = database("django_app");
  write_django_project(project, "postgresql");
  const std::string manage = "/usr/bin/python3 manage.py";
  sh(manage + " makemigrations orders >/dev/null", db);
  add_django_field(project);
  sh(manage + " makemigrations orders >/dev/null && " + manage + " migrate orders 0001 >/dev/null", db);

  expect_says(check(db, "django", project.path()), 3,
              {"1 of its 2 migrations is not applied: orders/0002_order_total", "python manage.py migrate"});
  sh(manage + " migrate >/dev/null", db);
  expect_says(check(db, "django", project.path()), 0, {});

  // Squashed after both were applied, and applied as a squash to a new database.
  sh(manage + " squashmigrations orders 0002 --noinput >/dev/null", db);
  ASSERT_TRUE(std::filesystem::exists(project.path() + "/orders/migrations/0001_squashed_0002_order_total.py"));
  expect_says(check(db, "django", project.path()), 0, {});
  const std::string fresh = database("django_fresh");
  expect_says(check(fresh, "django", project.path()), 3, {"no django migration has been applied"});
  sh(manage + " migrate >/dev/null", fresh);
  expect_says(check(fresh, "django", project.path()), 0, {});
}

TEST_F(Migrations, RailsBehindAndAtHead) {
  const std::string db = database("rails_app");
  const std::tuple<const char*, const char*, const char*> migrations[] = {
      {"20240101000001", "CreateOrders", "orders"}, {"20240102000002", "CreateItems", "items"}};
  for (const auto& [version, klass, table] : migrations) {
    project.write(fmt::format("db/migrate/{}_create_{}.rb", version, table),
                  fmt::format("class {} < ActiveRecord::Migration[6.1]\n  def change\n    create_table :{}\n  end\nend\n", klass, table));
  }
  // What `bin/rails db:migrate [VERSION=...]` does, without a Rails app.
  project.write("migrate.rb",
                "require 'active_record'\nActiveRecord::Base.establish_connection(ENV.fetch('DATABASE_URL'))\n"
                "ActiveRecord::MigrationContext.new('db/migrate', ActiveRecord::SchemaMigration).migrate(ARGV[0] && ARGV[0].to_i)\n");
  expect_says(check(db, "rails", project.path()), 3, {"no rails migration has been applied", "bin/rails db:migrate"});
  sh("ruby migrate.rb 20240101000001 >/dev/null", db);
  expect_says(check(db, "rails", project.path()), 3, {"1 of its 2 migrations is not applied: 20240102000002"});
  sh("ruby migrate.rb >/dev/null", db);
  expect_says(check(db, "rails", project.path()), 0, {});
}

TEST_F(Migrations, KnexBehindAtHeadAndLocked) {
  const std::string knex = node_tools_modules() + "/.bin/knex";
  ASSERT_TRUE(std::filesystem::exists(knex)) << knex << ": run scripts/install-deps.sh";
  const std::string db = database("knex_app");
  project.write("knexfile.js",
                "module.exports = {client: 'pg', connection: process.env.DATABASE_URL, migrations: {directory: './migrations'}};\n");
  sh(knex + " migrate:make create_orders >/dev/null && " + knex + " migrate:make add_total >/dev/null", db);
  const std::string dir = project.path() + "/migrations";
  expect_says(check(db, "knex", dir), 3, {"no knex migration has been applied", "no table knex_migrations"});
  sh(knex + " migrate:up >/dev/null", db);
  expect_says(check(db, "knex", dir), 3, {"1 of its 2 migrations is not applied: ", "npx knex migrate:latest"});
  sh(knex + " migrate:latest >/dev/null", db);
  expect_says(check(db, "knex", dir), 0, {});
  // What a migration that died holding the lock leaves.
  sh(fmt::format("psql -q -h 127.0.0.1 -p {} -U postgres -d {} -c 'UPDATE knex_migrations_lock SET is_locked = 1'",
                 server_->port(), db));
  expect_says(check(db, "knex", dir), 3, {"knex's migration lock is held", "npx knex migrate:unlock"});
  sh(knex + " migrate:unlock >/dev/null", db);
  expect_says(check(db, "knex", dir), 0, {});
}

TEST_F(Migrations, SequelizeBehindAndAtHead) {
  const std::string sequelize = node_tools_modules() + "/.bin/sequelize-cli";
  ASSERT_TRUE(std::filesystem::exists(sequelize)) << sequelize << ": run scripts/install-deps.sh";
  const std::string db = database("sequelize_app");
  const std::string options = " --migrations-path migrations --url \"$DATABASE_URL\"";
  sh(sequelize + " migration:generate --name create-orders --migrations-path migrations >/dev/null && sleep 1 && " +
         sequelize + " migration:generate --name add-total --migrations-path migrations >/dev/null",
     db);
  std::vector<std::string> files;
  for (const auto& f : std::filesystem::directory_iterator(project.path() + "/migrations")) files.push_back(f.path().filename());
  std::sort(files.begin(), files.end());
  ASSERT_EQ(files.size(), 2u);
  const std::string dir = project.path() + "/migrations";
  expect_says(check(db, "sequelize", dir), 3, {"no sequelize migration has been applied", "no table SequelizeMeta"});
  sh(sequelize + " db:migrate --to " + files[0] + options + " >/dev/null", db);
  expect_says(check(db, "sequelize", dir), 3, {"1 of its 2 migrations is not applied: " + files[1], "npx sequelize-cli db:migrate"});
  sh(sequelize + " db:migrate" + options + " >/dev/null", db);
  expect_says(check(db, "sequelize", dir), 0, {});
}

TEST_F(Migrations, GolangMigrateDirtyAndBehind) {
  const std::string db = database("go_app");
  for (const char* f : {"1_create_orders.up.sql", "1_create_orders.down.sql", "2_add_total.up.sql", "3_index.up.sql"}) {
    project.write(std::string("migrations/") + f, "SELECT 1;");
  }
  const std::string dir = project.path() + "/migrations";
  // golang-migrate's own table (database/postgres/postgres.go, ensureVersionTable).
  sh(fmt::format("psql -q -h 127.0.0.1 -p {} -U postgres -d {} -c 'CREATE TABLE IF NOT EXISTS schema_migrations "
                 "(version bigint not null primary key, dirty boolean not null)' -c 'INSERT INTO schema_migrations VALUES (2, true)'",
                 server_->port(), db));
  expect_says(check(db, "golang-migrate", dir), 3, {"migration 2 failed halfway", "force VERSION"});
  sh(fmt::format("psql -q -h 127.0.0.1 -p {} -U postgres -d {} -c 'UPDATE schema_migrations SET dirty = false'", server_->port(), db));
  expect_says(check(db, "golang-migrate", dir), 3, {"1 of its 3 migrations is not applied: 3", "migrate -path " + dir});
  sh(fmt::format("psql -q -h 127.0.0.1 -p {} -U postgres -d {} -c 'UPDATE schema_migrations SET version = 3'", server_->port(), db));
  expect_says(check(db, "golang-migrate", dir), 0, {});
}

TEST_F(Migrations, ABadToolPathOrTableIsRefusedBeforeAnythingRuns) {
  expect_lint_refuses(one_check_config(checks, "s", "migrations", R"("url":"postgres://h/db","tool":"flyway","path":"/m")", "1s"),
                      "/phases/0/checks/0/tool: expected one of alembic, django", "unknown tool");
  expect_lint_refuses(one_check_config(checks, "s", "migrations", R"("url":"postgres://h/db","tool":"knex")", "1s"),
                      "/phases/0/checks/0/path: expected the migrations directory", "no path");
  expect_lint_refuses(
      one_check_config(checks, "s", "migrations", R"("url":"postgres://h/db","tool":"knex","path":"/m","table":"x; DROP TABLE y")", "1s"),
      "/phases/0/checks/0/table: expected a table name", "table with SQL in it");
}

class MigrationsOnMariadb : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { server_ = new MariadbServer(); }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }
  void SetUp() override {
    if (!server_->unavailable_reason().empty()) GTEST_SKIP() << server_->unavailable_reason();
  }
  void sh(const std::string& script) {
    run_tool(project, script,
             {{"PGPASSWORD", MariadbServer::kPassword}, {"PGPORT", std::to_string(server_->port())},
              {"MYSQL_PWD", MariadbServer::kPassword}, {"DB", MariadbServer::kDatabase}, {"DBUSER", MariadbServer::kUser}});
  }
  void sql(const std::string& statement) {
    sh(fmt::format("mariadb -h 127.0.0.1 -P {} -u {} {} -e \"{}\"", server_->port(), MariadbServer::kUser,
                   MariadbServer::kDatabase, statement));
  }
  // A MySQL URL, or the form `url_format` writes (its {} are user, password, port, database).
  ProcessResult check(const std::string& tool, const std::string& path,
                      const std::string& url_format = "mysql://{}:{}@127.0.0.1:{}/{}") {
    const std::string url = fmt::format(fmt::runtime(url_format), MariadbServer::kUser, MariadbServer::kPassword,
                                        server_->port(), MariadbServer::kDatabase);
    auto config = one_check_config(checks, "schema", "migrations",
                                   fmt::format(R"("url":"{}","tool":"{}","path":"{}")", url, tool, path), "10s");
    auto r = run_clean(cmd({"-c", config, "--once"}));
    EXPECT_EQ((r.out + r.err).find(MariadbServer::kPassword), std::string::npos) << r.out << r.err;
    return r;
  }
  static MariadbServer* server_;
  TempDir project, checks;
};
MariadbServer* MigrationsOnMariadb::server_ = nullptr;

TEST_F(MigrationsOnMariadb, DjangoAndGolangMigrateTables) {
  write_django_project(project, "mysql");
  const std::string manage = "/usr/bin/python3 manage.py";
  sh(manage + " makemigrations orders >/dev/null");
  add_django_field(project);
  sh(manage + " makemigrations orders >/dev/null");
  expect_says(check("django", project.path()), 3, {"no django migration has been applied", "no table django_migrations"});
  sh(manage + " migrate orders 0001 >/dev/null");
  expect_says(check("django", project.path()), 3,
              {"1 of its 2 migrations is not applied: orders/0002_order_total", "python manage.py migrate"});
  sh(manage + " migrate >/dev/null");
  expect_says(check("django", project.path()), 0, {});

  // golang-migrate's MySQL table (database/mysql/mysql.go, ensureVersionTable).
  for (const char* f : {"1_create.up.sql", "2_more.up.sql"}) project.write(std::string("go/") + f, "SELECT 1;");
  sql("CREATE TABLE schema_migrations (version bigint not null primary key, dirty boolean not null); "
      "INSERT INTO schema_migrations VALUES (2, true)");
  const std::string go_url = "mysql://{}:{}@tcp(127.0.0.1:{})/{}";  // as golang-migrate's own -database is written
  expect_says(check("golang-migrate", project.path() + "/go", go_url), 3, {"migration 2 failed halfway"});
  sql("UPDATE schema_migrations SET dirty = false");
  expect_says(check("golang-migrate", project.path() + "/go", go_url), 0, {});
  expect_says(check("golang-migrate", project.path() + "/go"), 0, {});
}

}  // namespace
}  // namespace preflight::testing
