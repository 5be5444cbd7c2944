// The release's migration files read as each tool names them, and the
// database's record compared with them. The tools' own runs against real
// databases are in tests/integration/migrations_type_test.cc.
#include "probes/migrations/migration_state.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "process.h"

namespace preflight {
namespace {

using testing::TempDir;

ShippedMigrations shipped(MigrationTool tool, const TempDir& dir, const std::string& path = "") {
  auto read = read_shipped_migrations(tool, dir.path() + path);
  EXPECT_TRUE(read.ok()) << read.error();
  return read.ok() ? *read : ShippedMigrations{};
}

std::string alembic_revision(const std::string& id, const std::string& down) {
  return "\"\"\"x\n\nRevision ID: " + id + "\nRevises: \n\"\"\"\nrevision = '" + id + "'\ndown_revision = " + down +
         "\nbranch_labels = None\n";
}

TEST(ShippedMigrations, AlembicRevisionsChainsMergesAndHeads) {
  TempDir dir;
  dir.write("versions/a1_first.py", alembic_revision("a1", "None"));
  dir.write("versions/b2_second.py", alembic_revision("b2", "'a1'"));
  // Alembic 1.12's template writes them typed.
  dir.write("versions/c3_branch.py", "revision: str = 'c3'\ndown_revision: Union[str, None] = 'a1'\n");
  dir.write("versions/__init__.py", "");
  auto two_heads = shipped(MigrationTool::alembic, dir);
  EXPECT_EQ(two_heads.heads, (std::vector<std::string>{"b2", "c3"}));
  EXPECT_EQ(two_heads.directory, dir.path() + "/versions");

  auto state = compare_migrations(MigrationTool::alembic, two_heads, {.ids = {"b2"}});
  EXPECT_EQ(state.missing, std::vector<std::string>{"c3"});
  EXPECT_EQ(state.heads.size(), 2u);

  dir.write("versions/d4_merge.py", alembic_revision("d4", "('b2', 'c3')"));
  auto merged = shipped(MigrationTool::alembic, dir);
  EXPECT_EQ(merged.heads, std::vector<std::string>{"d4"});
  EXPECT_TRUE(compare_migrations(MigrationTool::alembic, merged, {.ids = {"d4"}}).missing.empty());
  // Behind: listed in the order they apply, each after its parents.
  EXPECT_EQ(compare_migrations(MigrationTool::alembic, merged, {.ids = {"a1"}}).missing,
            (std::vector<std::string>{"b2", "c3", "d4"}));
  EXPECT_EQ(compare_migrations(MigrationTool::alembic, merged, {.ids = {}}).missing.size(), 4u);
  // Ahead: a revision of a newer release.
  auto ahead = compare_migrations(MigrationTool::alembic, merged, {.ids = {"e5"}});
  EXPECT_EQ(ahead.unknown, std::vector<std::string>{"e5"});
  EXPECT_TRUE(ahead.missing.empty());  // e5 descends from what this release has: nothing is known to be missing
}

TEST(ShippedMigrations, DjangoAppsAndSquashedMigrations) {
  TempDir dir;
  for (const char* f : {"orders/migrations/__init__.py", "orders/migrations/0001_initial.py",
                        "orders/migrations/0002_add_total.py", "billing/migrations/__init__.py",
                        "billing/migrations/0001_initial.py", "billing/migrations/_helper.py",
                        "node_modules/x/migrations/__init__.py", "node_modules/x/migrations/0001_initial.py"}) {
    dir.write(f, "");
  }
  dir.write("orders/migrations/0001_squashed_0002_add_total.py",
            "class Migration:\n    replaces = [\n        ('orders', '0001_initial'),\n        (\"orders\", \"0002_add_total\"),\n    ]\n");
  auto release = shipped(MigrationTool::django, dir);
  EXPECT_EQ(release.ids, (std::vector<std::string>{"billing/0001_initial", "orders/0001_initial",
                                                   "orders/0001_squashed_0002_add_total", "orders/0002_add_total"}));
  // A fresh database: the squash stands for what it replaces.
  EXPECT_EQ(compare_migrations(MigrationTool::django, release, {}).missing,
            (std::vector<std::string>{"billing/0001_initial", "orders/0001_squashed_0002_add_total"}));
  // Applied before the squash existed: the squash counts as applied.
  auto before = compare_migrations(MigrationTool::django, release,
                                   {.ids = {"billing/0001_initial", "orders/0001_initial", "orders/0002_add_total",
                                            "auth/0001_initial"}});
  EXPECT_TRUE(before.missing.empty());
  EXPECT_TRUE(before.unknown.empty());  // auth is django.contrib's, not the release's
  // Halfway through the replaced ones: Django goes on with them.
  EXPECT_EQ(compare_migrations(MigrationTool::django, release, {.ids = {"billing/0001_initial", "orders/0001_initial"}}).missing,
            std::vector<std::string>{"orders/0002_add_total"});
  EXPECT_EQ(compare_migrations(MigrationTool::django, release,
                               {.ids = {"billing/0001_initial", "orders/0001_squashed_0002_add_total", "orders/0003_new"}})
                .unknown,
            std::vector<std::string>{"orders/0003_new"});
}

TEST(ShippedMigrations, RailsVersionsAsNumbers) {
  TempDir dir;
  dir.write("db/migrate/20240101120000_create_orders.rb", "");
  dir.write("db/migrate/007_add_index.rb", "");
  dir.write("db/migrate/README.md", "");
  auto release = shipped(MigrationTool::rails, dir);
  EXPECT_EQ(release.ids, (std::vector<std::string>{"7", "20240101120000"}));
  auto state = compare_migrations(MigrationTool::rails, release, {.ids = {"20240101120000", "20230101000000"}});
  EXPECT_EQ(state.missing, std::vector<std::string>{"7"});  // an older one missing is pending too
  EXPECT_EQ(state.unknown, std::vector<std::string>{"20230101000000"});
}

TEST(ShippedMigrations, GolangMigrateOneVersionAndItsDirtyFlag) {
  TempDir dir;
  for (const char* f : {"1_create.up.sql", "1_create.down.sql", "2_index.up.sql", "10_more.up.sql", "10_more.down.sql"}) {
    dir.write(f, "");
  }
  auto release = shipped(MigrationTool::golang_migrate, dir);
  EXPECT_EQ(release.ids, (std::vector<std::string>{"1", "2", "10"}));
  EXPECT_EQ(compare_migrations(MigrationTool::golang_migrate, release, {.ids = {"2"}}).missing, std::vector<std::string>{"10"});
  auto dirty = compare_migrations(MigrationTool::golang_migrate, release, {.ids = {"10"}, .dirty = true});
  EXPECT_EQ(dirty.dirty, std::optional<std::string>("10"));
  EXPECT_EQ(compare_migrations(MigrationTool::golang_migrate, release, {.ids = {"11"}}).unknown, std::vector<std::string>{"11"});
  dir.write("02_again.up.sql", "");
  EXPECT_FALSE(read_shipped_migrations(MigrationTool::golang_migrate, dir.path()).ok());
}

TEST(ShippedMigrations, KnexAndSequelizeRecordFileNamesWithExtensions) {
  TempDir dir;
  for (const char* f : {"20240101_a.js", "20240102_b.ts", "20240103_c.d.ts", "notes.md"}) dir.write(f, "");
  EXPECT_EQ(shipped(MigrationTool::knex, dir).ids, (std::vector<std::string>{"20240101_a.js", "20240102_b.ts", "20240103_c.d.ts"}));
  auto sequelize = shipped(MigrationTool::sequelize, dir);
  EXPECT_EQ(sequelize.ids, (std::vector<std::string>{"20240101_a.js", "20240102_b.ts"}));
  // Compiled to .js where the files are .ts: the names differ, as for the tool.
  auto state = compare_migrations(MigrationTool::sequelize, sequelize, {.ids = {"20240101_a.js", "20240102_b.js"}});
  EXPECT_EQ(state.missing, std::vector<std::string>{"20240102_b.ts"});
  EXPECT_EQ(state.unknown, std::vector<std::string>{"20240102_b.js"});
}

TEST(ShippedMigrations, NoneFoundIsAnErrorNamingTheDirectory) {
  TempDir dir;
  auto none = read_shipped_migrations(MigrationTool::alembic, dir.path());
  ASSERT_FALSE(none.ok());
  EXPECT_NE(none.error().find("holds no alembic migrations"), std::string::npos) << none.error();
  auto missing = read_shipped_migrations(MigrationTool::golang_migrate, dir.path() + "/nope");
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error().find("/nope is not a directory"), std::string::npos) << missing.error();
}

}  // namespace
}  // namespace preflight
