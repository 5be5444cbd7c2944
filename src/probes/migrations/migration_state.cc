#include "probes/migrations/migration_state.h"

#include <algorithm>
#include <set>

namespace preflight {
namespace {

std::vector<std::string> not_in(const std::vector<std::string>& ids, const std::set<std::string>& set) {
  std::vector<std::string> out;
  for (const std::string& id : ids) {
    if (!set.contains(id)) out.push_back(id);
  }
  return out;
}

// Alembic records the heads it reached; everything they descend from is
// applied too.
MigrationState compare_alembic(const ShippedMigrations& shipped, const std::set<std::string>& recorded) {
  MigrationState state;
  std::set<std::string> applied;
  std::vector<std::string> pending;
  for (const std::string& id : recorded) {
    if (!shipped.parents.contains(id)) {
      state.unknown.push_back(id);
    } else {
      pending.push_back(id);
    }
  }
  while (!pending.empty()) {
    std::string id = std::move(pending.back());
    pending.pop_back();
    if (!applied.insert(id).second) continue;
    if (auto p = shipped.parents.find(id); p != shipped.parents.end()) pending.insert(pending.end(), p->second.begin(), p->second.end());
  }
  // In the order they apply: each after its parents (Kahn's, the files'
  // order breaking ties).
  std::set<std::string> placed = applied;
  std::vector<std::string> left = not_in(shipped.ids, applied);
  while (!left.empty()) {
    auto ready = std::find_if(left.begin(), left.end(), [&](const std::string& id) {
      const auto& parents = shipped.parents.at(id);
      return std::all_of(parents.begin(), parents.end(),
                         [&](const std::string& p) { return placed.contains(p) || !shipped.parents.contains(p); });
    });
    if (ready == left.end()) ready = left.begin();  // a cycle: the tool refuses it; list them anyway
    placed.insert(*ready);
    state.missing.push_back(*ready);
    left.erase(ready);
  }
  // A revision this release lacks descends from ones it has, which the
  // graph cannot tell: `alembic upgrade` itself stops at it ("Can't locate
  // revision"). The database is ahead, and nothing is known to be missing.
  if (!state.unknown.empty()) state.missing.clear();
  if (shipped.heads.size() > 1) state.heads = shipped.heads;
  return state;
}

// Django: a squashed migration stands for the ones it replaces. Applying it
// records them all; once they all are applied, so is it.
MigrationState compare_django(const ShippedMigrations& shipped, const std::set<std::string>& recorded) {
  MigrationState state;
  std::set<std::string> applied = recorded;
  std::set<std::string> hidden;  // not listed as missing: their squash or its replaced ones are
  for (const auto& [squash, replaced] : shipped.replaces) {
    const bool all = std::all_of(replaced.begin(), replaced.end(), [&](const std::string& r) { return recorded.contains(r); });
    const bool some = std::any_of(replaced.begin(), replaced.end(), [&](const std::string& r) { return recorded.contains(r); });
    if (recorded.contains(squash) || all) {
      applied.insert(squash);
      applied.insert(replaced.begin(), replaced.end());
    } else if (some) {
      hidden.insert(squash);  // Django goes on with the replaced ones
    } else {
      hidden.insert(replaced.begin(), replaced.end());  // the squash will be applied in their place
    }
  }
  for (const std::string& id : not_in(shipped.ids, applied)) {
    if (!hidden.contains(id)) state.missing.push_back(id);
  }
  // Rows of apps the release does not hold (django.contrib's) say nothing.
  std::set<std::string> apps, known(shipped.ids.begin(), shipped.ids.end());
  for (const std::string& id : shipped.ids) apps.insert(id.substr(0, id.find('/')));
  for (const auto& [squash, replaced] : shipped.replaces) known.insert(replaced.begin(), replaced.end());
  for (const std::string& id : recorded) {
    if (apps.contains(id.substr(0, id.find('/'))) && !known.contains(id)) state.unknown.push_back(id);
  }
  return state;
}

// golang-migrate records one version: every file up to it is applied.
MigrationState compare_golang_migrate(const ShippedMigrations& shipped, const AppliedMigrations& applied) {
  MigrationState state;
  if (applied.ids.empty()) {
    state.missing = shipped.ids;
    return state;
  }
  const std::string& version = applied.ids.front();
  for (const std::string& id : shipped.ids) {
    if (version_less(version, id)) state.missing.push_back(id);
  }
  if (std::find(shipped.ids.begin(), shipped.ids.end(), version) == shipped.ids.end()) state.unknown.push_back(version);
  if (applied.dirty) state.dirty = version;
  return state;
}

}  // namespace

MigrationState compare_migrations(MigrationTool tool, const ShippedMigrations& shipped, const AppliedMigrations& applied) {
  const std::set<std::string> recorded(applied.ids.begin(), applied.ids.end());
  switch (tool) {
    case MigrationTool::alembic: return compare_alembic(shipped, recorded);
    case MigrationTool::django: return compare_django(shipped, recorded);
    case MigrationTool::golang_migrate: return compare_golang_migrate(shipped, applied);
    case MigrationTool::rails:
    case MigrationTool::knex:
    case MigrationTool::sequelize: break;
  }
  MigrationState state;
  state.missing = not_in(shipped.ids, recorded);
  const std::set<std::string> known(shipped.ids.begin(), shipped.ids.end());
  for (const std::string& id : applied.ids) {
    if (!known.contains(id)) state.unknown.push_back(id);
  }
  return state;
}

}  // namespace preflight
