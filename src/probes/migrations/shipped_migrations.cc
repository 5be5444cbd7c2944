#include "probes/migrations/shipped_migrations.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include <fmt/format.h>

namespace preflight {
namespace {

namespace fs = std::filesystem;

// A migration is a few kilobytes; a bigger file is read this far (the
// identifiers are at its top).
constexpr std::streamsize kMaxMigrationBytes = 1 << 20;
// Django's apps are found by walking the project: bounded, and away from
// what holds other projects' migrations.
constexpr int kMaxDjangoDepth = 6;
constexpr size_t kMaxFiles = 100000;

std::string head_of(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::string text(static_cast<size_t>(kMaxMigrationBytes), '\0');
  in.read(text.data(), kMaxMigrationBytes);
  text.resize(static_cast<size_t>(in.gcount()));
  return text;
}

bool has_suffix(std::string_view name, std::initializer_list<std::string_view> suffixes) {
  return std::any_of(suffixes.begin(), suffixes.end(), [&](std::string_view s) { return name.ends_with(s); });
}

// The regular files of `dir` (not its subdirectories), sorted by name.
Result<std::vector<std::string>, std::string> file_names(const fs::path& dir) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    return Unexpected<std::string>{fmt::format("{} is not a directory{}", dir.string(), ec ? ": " + ec.message() : "")};
  }
  std::vector<std::string> names;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    if (names.size() >= kMaxFiles) break;
    std::error_code type_error;
    if (it->is_regular_file(type_error)) names.push_back(it->path().filename().string());
  }
  if (ec) return Unexpected<std::string>{fmt::format("{} cannot be read: {}", dir.string(), ec.message())};
  std::sort(names.begin(), names.end());
  return names;
}

// `subdir` of the project root given, or the directory itself.
fs::path migrations_dir(const fs::path& path, const char* subdir) {
  std::error_code ec;
  return fs::is_directory(path / subdir, ec) ? path / subdir : path;
}

// The quoted strings of a Python value: 'a', ("a", "b"), ['a'], None.
std::vector<std::string> quoted_strings(std::string_view value) {
  static const std::regex quoted(R"(['"]([^'"]+)['"])");
  std::vector<std::string> out;
  std::string text(value);
  for (std::sregex_iterator it(text.begin(), text.end(), quoted), end; it != end; ++it) out.push_back((*it)[1]);
  return out;
}

// Alembic: versions/*.py, each with `revision = "..."` and `down_revision =
// None | "..." | ("a", "b")` at the top level (Alembic 1.12's templates
// write them typed: `revision: str = "..."`).
Result<ShippedMigrations, std::string> read_alembic(const fs::path& path) {
  const fs::path dir = migrations_dir(path, "versions");
  auto names = file_names(dir);
  if (!names.ok()) return Unexpected<std::string>{names.error()};
  static const std::regex revision(R"(^revision\s*(?::[^=\n]*)?=\s*['"]([^'"]+)['"])", std::regex::multiline);
  static const std::regex down(R"(^down_revision\s*(?::[^=\n]*)?=\s*([^\n]*(?:\n[ \t]+[^\n]*)*))", std::regex::multiline);
  ShippedMigrations out{.directory = dir.string()};
  for (const std::string& name : *names) {
    if (!name.ends_with(".py") || name.starts_with("__")) continue;
    const std::string text = head_of(dir / name);
    std::smatch r, d;
    if (!std::regex_search(text, r, revision)) continue;  // a helper module, not a revision
    std::string id = r[1];
    std::vector<std::string> parents;
    if (std::regex_search(text, d, down)) parents = quoted_strings(d[1].str());
    if (out.parents.contains(id)) {
      return Unexpected<std::string>{fmt::format("{}: revision {} is written in two files", dir.string(), id)};
    }
    out.ids.push_back(id);
    out.parents[id] = std::move(parents);
  }
  std::set<std::string> revised;
  for (const auto& [id, parents] : out.parents) revised.insert(parents.begin(), parents.end());
  for (const std::string& id : out.ids) {
    if (!revised.contains(id)) out.heads.push_back(id);
  }
  return out;
}

// Django: every app's migrations/ package under the project root; the app's
// label is its directory's name, a migration's name its file's stem.
void find_django_apps(const fs::path& dir, int depth, std::vector<fs::path>& out) {
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end && out.size() < kMaxFiles; it.increment(ec)) {
    std::error_code type_error;
    if (!it->is_directory(type_error) || it->is_symlink(type_error)) continue;
    const std::string name = it->path().filename().string();
    if (name.starts_with(".") || name == "node_modules" || name == "__pycache__" || name == "site-packages" ||
        name == "venv" || name == "env") {
      continue;
    }
    if (name == "migrations" && fs::exists(it->path() / "__init__.py", type_error)) {
      out.push_back(it->path());
    } else if (depth < kMaxDjangoDepth) {
      find_django_apps(it->path(), depth + 1, out);
    }
  }
}

Result<ShippedMigrations, std::string> read_django(const fs::path& root) {
  std::error_code ec;
  if (!fs::is_directory(root, ec)) return Unexpected<std::string>{fmt::format("{} is not a directory", root.string())};
  std::vector<fs::path> packages;
  find_django_apps(root, 0, packages);
  std::sort(packages.begin(), packages.end());
  static const std::regex replaces(R"(^\s*replaces\s*=\s*\[([^\]]*)\])", std::regex::multiline);
  static const std::regex pair(R"(\(\s*['"]([^'"]+)['"]\s*,\s*['"]([^'"]+)['"]\s*\))");
  ShippedMigrations out{.directory = root.string()};
  for (const fs::path& package : packages) {
    const std::string app = package.parent_path().filename().string();
    auto names = file_names(package);
    if (!names.ok()) return Unexpected<std::string>{names.error()};
    for (const std::string& name : *names) {
      // Django's loader: modules not starting with _ or ~.
      if (!name.ends_with(".py") || name.starts_with("_") || name.starts_with("~")) continue;
      std::string id = fmt::format("{}/{}", app, name.substr(0, name.size() - 3));
      out.ids.push_back(id);
      const std::string text = head_of(package / name);
      std::smatch list;
      if (std::regex_search(text, list, replaces)) {
        const std::string items = list[1];
        for (std::sregex_iterator it(items.begin(), items.end(), pair), end; it != end; ++it) {
          out.replaces[id].push_back(fmt::format("{}/{}", (*it)[1].str(), (*it)[2].str()));
        }
      }
    }
  }
  return out;
}

// The versions of the files whose names `file` matches (its first group),
// in the order they apply.
std::vector<std::string> versions_of(const std::vector<std::string>& names, const std::regex& file) {
  std::vector<std::string> versions;
  for (const std::string& name : names) {
    std::smatch m;
    if (std::regex_match(name, m, file)) versions.push_back(normalized_version(m[1].str()));
  }
  std::sort(versions.begin(), versions.end(), version_less);
  return versions;
}

// Rails: db/migrate/<version>_<name>.rb under the project root (or the
// directory itself).
Result<ShippedMigrations, std::string> read_rails(const fs::path& path) {
  const fs::path dir = migrations_dir(path, "db/migrate");
  auto names = file_names(dir);
  if (!names.ok()) return Unexpected<std::string>{names.error()};
  static const std::regex file(R"(^([0-9]+)_([_a-z0-9]*)\.?([_a-z0-9]*)?\.rb$)");
  return ShippedMigrations{.directory = dir.string(), .ids = versions_of(*names, file)};
}

// golang-migrate: <version>_<title>.up.<ext> (source/parse.go).
Result<ShippedMigrations, std::string> read_golang_migrate(const fs::path& dir) {
  auto names = file_names(dir);
  if (!names.ok()) return Unexpected<std::string>{names.error()};
  static const std::regex file(R"(^([0-9]+)_(.*)\.up\.(.*)$)");
  std::vector<std::string> versions = versions_of(*names, file);
  if (auto twice = std::adjacent_find(versions.begin(), versions.end()); twice != versions.end()) {
    return Unexpected<std::string>{fmt::format("{}: version {} has two up migrations", dir.string(), *twice)};
  }
  return ShippedMigrations{.directory = dir.string(), .ids = std::move(versions)};
}

// knex and Sequelize (umzug) record the file's name, extension included.
Result<ShippedMigrations, std::string> read_named_files(const fs::path& dir, MigrationTool tool) {
  auto names = file_names(dir);
  if (!names.ok()) return Unexpected<std::string>{names.error()};
  ShippedMigrations out{.directory = dir.string()};
  for (const std::string& name : *names) {
    // knex's loadExtensions default; sequelize-cli's pattern
    // /^(?!.*\.d\.ts$).*\.(cjs|js|cts|ts)$/.
    const bool loaded = tool == MigrationTool::knex
                            ? has_suffix(name, {".co", ".coffee", ".eg", ".iced", ".js", ".cjs", ".mjs", ".litcoffee",
                                                ".ls", ".ts"})
                            : has_suffix(name, {".cjs", ".js", ".cts", ".ts"}) && !name.ends_with(".d.ts");
    if (loaded) out.ids.push_back(name);
  }
  return out;
}

}  // namespace

std::optional<MigrationTool> migration_tool(std::string_view name) {
  for (MigrationTool t : {MigrationTool::alembic, MigrationTool::django, MigrationTool::rails,
                          MigrationTool::golang_migrate, MigrationTool::knex, MigrationTool::sequelize}) {
    if (tool_name(t) == name) return t;
  }
  return std::nullopt;
}

std::string normalized_version(std::string_view digits) {
  size_t first = digits.find_first_not_of('0');
  return first == std::string_view::npos ? "0" : std::string(digits.substr(first));
}

bool version_less(const std::string& a, const std::string& b) {
  return a.size() != b.size() ? a.size() < b.size() : a < b;
}

std::string_view tool_name(MigrationTool tool) {
  switch (tool) {
    case MigrationTool::alembic: return "alembic";
    case MigrationTool::django: return "django";
    case MigrationTool::rails: return "rails";
    case MigrationTool::golang_migrate: return "golang-migrate";
    case MigrationTool::knex: return "knex";
    case MigrationTool::sequelize: return "sequelize";
  }
  return "?";
}

Result<ShippedMigrations, std::string> read_shipped_migrations(MigrationTool tool, const std::string& path) {
  Result<ShippedMigrations, std::string> read = Unexpected<std::string>{""};
  switch (tool) {
    case MigrationTool::alembic: read = read_alembic(path); break;
    case MigrationTool::django: read = read_django(path); break;
    case MigrationTool::rails: read = read_rails(path); break;
    case MigrationTool::golang_migrate: read = read_golang_migrate(path); break;
    case MigrationTool::knex:
    case MigrationTool::sequelize: read = read_named_files(path, tool); break;
  }
  if (read.ok() && read->ids.empty()) {
    return Unexpected<std::string>{fmt::format("{} holds no {} migrations", read->directory, tool_name(tool))};
  }
  return read;
}

}  // namespace preflight
