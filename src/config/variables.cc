#include "config/variables.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "base/text.h"
#include "read_file.h"

namespace preflight {

namespace {

void read_pending_file(Variable& var) {
  if (!var.pending_file) return;
  const FileIndirection via = *std::exchange(var.pending_file, std::nullopt);
  auto content = read_file_capped(via.path);
  if (content.ok()) {
    var.value = strip_one_newline(std::move(content).value());
  } else if (via.looks_like_path) {
    var.problem = Failure{FailureKind::invalid_config,
                          fmt::format("{} names a file that cannot be read: {}", via.variable, content.error().message),
                          fmt::format("fix {} ({}), or mount the secret at that path", via.variable, via.source)};
  } else {
    // The message of the read would quote the value: it may be the secret.
    var.problem = Failure{FailureKind::invalid_config,
                          fmt::format("{} does not hold a path to a file (it may hold the secret itself, which is not shown)",
                                      via.variable),
                          fmt::format("set {} ({}) to the file's path, such as /run/secrets/{}, or set {} itself", via.variable,
                                      via.source, to_lower(via.variable.substr(0, via.variable.size() - 5)),
                                      via.variable.substr(0, via.variable.size() - 5))};
  }
}

}  // namespace

bool looks_like_path(std::string_view value) {
  std::error_code ignored;
  if (!value.empty() && std::filesystem::exists(std::string(value), ignored)) return true;
  if (!value.starts_with('/') || value.size() > 4096 || value.find("//") != std::string_view::npos) return false;
  if (value.find('/', 1) == std::string_view::npos) return false;  // "/x": one part, as a base64 secret may start
  return std::all_of(value.begin(), value.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '/' || c == '.' || c == '_' || c == '-' || c == '@' || c == ':';
  });
}

const Variable* VariableSet::find(std::string_view name) const {
  auto it = vars_.find(name);
  if (it == vars_.end()) return nullptr;
  read_pending_file(it->second);
  return &it->second;
}

void VariableSet::define(const std::string& name, Variable var) {
  auto it = vars_.find(name);
  if (it == vars_.end()) {
    vars_.emplace(name, std::move(var));
    return;
  }
  // Two definitions are compared by value, so both files are read now.
  read_pending_file(it->second);
  read_pending_file(var);
  if (it->second.value != var.value && it->second.source != var.source) {
    conflicts_.push_back({name, var.source, it->second.source});
  }
  var.secret = var.secret || it->second.secret;
  it->second = std::move(var);
}

namespace {

// Edit distance, capped: anything over `cap` is cap + 1.
size_t distance(std::string_view a, std::string_view b, size_t cap) {
  if (a.size() > b.size() + cap || b.size() > a.size() + cap) return cap + 1;
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return std::min(row[b.size()], cap + 1);
}

}  // namespace

std::optional<std::pair<std::string, std::string>> nearest_defined(const VariableSet& vars, std::string_view name) {
  if (name.size() < 4) return std::nullopt;
  std::optional<std::pair<std::string, std::string>> best;
  size_t best_distance = 3;
  for (const auto& [candidate, var] : vars.all()) {
    size_t d = to_lower(candidate) == to_lower(name) ? 0 : distance(candidate, name, 2);
    if (d < best_distance) {
      best_distance = d;
      best = std::pair{candidate, var.source};
    }
  }
  return best;
}

}  // namespace preflight
