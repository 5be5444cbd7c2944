// The migrations check through the binary, against a real PostgreSQL whose
// schema the real tools made: Alembic (Debian's python3-alembic) and
// Django (python3-django) create, apply, branch, merge and squash their
// migrations; golang-migrate, which Debian does not package, is stood in
// for by its table as its source (database/postgres) creates it.
#include <gtest/gtest.h>

#include <filesystem>

#include "binary_harness.h"
#include "postgres_server.h"

namespace preflight::testing {
namespace {

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
  // Runs a shell script in the project directory; the tools find the
  // server from the environment.
  void sh(const std::string& script, const std::string& db = "postgres") {
    Process p({"/bin/sh", "-c", "cd " + project.path() + " && " + script},
              {{"PATH", "/usr/bin:/bin"}, {"PGPASSWORD", PostgresServer::kPassword}, {"PGPORT", std::to_string(server_->port())},
               {"DB", db}, {"PYTHONDONTWRITEBYTECODE", "1"}},
              /*clean_env=*/true);
    auto r = p.wait(std::chrono::seconds(60));
    ASSERT_EQ(r.exit_code, 0) << script << "\n" << r.out << r.err;
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

TEST_F(Migrations, DjangoBehindAtHeadAndSquashed) {
  const std::string db = database("django_app");
  project.write("manage.py",
                "import os, sys\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'proj.settings')\n"
                "from django.core.management import execute_from_command_line\nexecute_from_command_line(sys.argv)\n");
  project.write("proj/__init__.py", "");
  project.write("proj/settings.py",
                "import os\nSECRET_KEY = 'test'\nINSTALLED_APPS = ['orders']\nUSE_TZ = True\n"
                "DEFAULT_AUTO_FIELD = 'django.db.models.AutoField'\n"
                "DATABASES = {'default': {'ENGINE': 'django.db.backends.postgresql', 'NAME': os.environ['DB'],\n"
                "  'HOST': '127.0.0.1', 'PORT': os.environ['PGPORT'], 'USER': 'postgres', 'PASSWORD': os.environ['PGPASSWORD']}}\n");
  project.write("orders/__init__.py", "");
  project.write("orders/models.py", "from django.db import models\nclass Order(models.Model):\n    name = models.CharField(max_length=10)\n");
  const std::string manage = "/usr/bin/python3 manage.py";
  sh(manage + " makemigrations orders >/dev/null", db);
  project.write("orders/models.py", "from django.db import models\nclass Order(models.Model):\n    name = models.CharField(max_length=10)\n"
                                    "    total = models.IntegerField(default=0)\n");
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

}  // namespace
}  // namespace preflight::testing
