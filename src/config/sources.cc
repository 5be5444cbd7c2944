#include "config/sources.h"

#include <algorithm>
#include <cctype>
#include <filesystem>

#include <fmt/format.h>

#include "config/dotenv.h"
#include "config/secret_manager.h"
#include "read_file.h"

namespace preflight {
namespace {

namespace fs = std::filesystem;
using Layer = std::vector<std::pair<std::string, Variable>>;

Unexpected<Problem> source_error(std::string message, std::string origin) {
  return Unexpected<Problem>{Problem{.message = std::move(message), .origin = std::move(origin)}};
}

std::string normalized_key(std::string_view file_name) {
  std::string key(file_name);
  for (char& c : key) c = c == '-' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return key;
}

void add_with_normalized_key(Layer& layer, const std::string& name, const Variable& var) {
  layer.emplace_back(name, var);
  std::string upper = normalized_key(name);
  if (upper != name) layer.emplace_back(upper, var);
}

Result<Layer, Problem> load_env_file(const std::string& path) {
  auto text = read_file_capped(path);
  if (!text.ok()) return source_error(fmt::format("env file {}", text.error().message), path);
  auto entries = parse_dotenv(*text, path);
  if (!entries.ok()) return source_error(fmt::format("env file {}", entries.error().message), entries.error().origin);
  Layer layer;
  for (auto& e : *entries) {
    Variable v{std::move(e.value), fmt::format("{}:{}", path, e.line), name_looks_secret(e.key),
               e.expandable, std::nullopt};
    layer.emplace_back(std::move(e.key), std::move(v));
  }
  return layer;
}

Result<Layer, Problem> load_secrets_dir(const std::string& dir) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return source_error(fmt::format("secrets directory {}: not a directory", dir), dir);
  std::vector<fs::directory_entry> entries;
  for (auto it = fs::directory_iterator(dir, ec); !ec && it != fs::directory_iterator(); it.increment(ec)) {
    entries.push_back(*it);
  }
  if (ec) return source_error(fmt::format("secrets directory {}: {}", dir, ec.message()), dir);
  std::sort(entries.begin(), entries.end());  // deterministic provenance

  Layer layer;
  for (const auto& entry : entries) {
    std::string name = entry.path().filename().string();
    // Kubernetes keeps the real files under ..data and ..<timestamp>.
    if (name.starts_with('.')) continue;
    if (entry.is_directory(ec)) continue;
    Variable var{{}, entry.path().string(), true, false, std::nullopt};
    auto value = read_file_capped(entry.path().string());
    if (value.ok()) {
      var.value = strip_one_newline(std::move(value).value());
    } else {
      var.problem = Failure{FailureKind::invalid_config, fmt::format("secret file {}", value.error().message),
                            "make the secret readable by this process's user, or remove it"};
    }
    add_with_normalized_key(layer, name, var);
  }
  return layer;
}

Result<Layer, Problem> load_secrets_file(const std::string& path) {
  auto text = read_file_capped(path);
  if (!text.ok()) return source_error(fmt::format("secrets file {}", text.error().message), path);
  auto secrets = parse_secret_manager_json(*text);
  if (!secrets.ok()) return source_error(fmt::format("secrets file {}: {}", path, secrets.error()), path);
  Layer layer;
  for (auto& s : *secrets) {
    Variable var{std::move(s.value), fmt::format("{} ({})", path, s.version_name), true, false,
                 std::nullopt};
    if (s.checksum_error) {
      var.problem = Failure{FailureKind::invalid_config, *s.checksum_error,
                            "fetch the secret version again with gcloud secrets versions access"};
    }
    add_with_normalized_key(layer, s.secret_id, var);
  }
  return layer;
}

// NAME_FILE=/path defines NAME from the file, at the layer's precedence,
// unless the layer defines NAME itself.
// A NAME_FILE value that reads as a path is not a secret (the file holds
// it): messages name the path. One that does not may be the secret
// written in the wrong variable, and stays secret.
void resolve_file_indirections(Layer& layer) {
  Layer extra;
  for (auto& [name, var] : layer) {
    if (name.size() <= 5 || !name.ends_with("_FILE") || var.value.empty()) continue;
    const bool path = looks_like_path(var.value);
    if (path) var.secret = false;
    std::string target = name.substr(0, name.size() - 5);
    bool defined = std::any_of(layer.begin(), layer.end(), [&](const auto& e) { return e.first == target; });
    if (defined) continue;
    Variable out{{}, fmt::format("{} (via {} from {})", path ? var.value : "***", name, var.source), true, false,
                 std::nullopt};
    out.pending_file = FileIndirection{name, var.value, var.source, path};  // read if the value is ever looked up
    extra.emplace_back(std::move(target), std::move(out));
  }
  for (auto& e : extra) layer.push_back(std::move(e));
}

void apply(VariableSet& vars, Layer layer) {
  resolve_file_indirections(layer);
  for (auto& [name, var] : layer) vars.define(name, std::move(var));
}

// Within one source a later duplicate simply wins; conflicts are between sources.
void apply_single_source(VariableSet& vars, Layer layer) {
  resolve_file_indirections(layer);
  std::map<std::string, Variable> last;
  for (auto& [name, var] : layer) last.insert_or_assign(name, std::move(var));
  for (auto& [name, var] : last) vars.define(name, std::move(var));
}

}  // namespace

Result<VariableSet, Problem> load_variables(const SourceOptions& options) {
  VariableSet vars;
  const auto interrupted = [] {
    return Unexpected<Problem>{Problem{.kind = ProblemKind::interrupted, .message = "interrupted while loading variables"}};
  };
  for (const auto& path : options.env_files) {
    if (options.cancel.cancelled()) return interrupted();
    auto layer = load_env_file(path);
    if (!layer.ok()) return Unexpected<Problem>{layer.error()};
    apply_single_source(vars, std::move(layer).value());
  }
  for (const auto& dir : options.secrets_dirs) {
    if (options.cancel.cancelled()) return interrupted();
    auto layer = load_secrets_dir(dir);
    if (!layer.ok()) return Unexpected<Problem>{layer.error()};
    apply(vars, std::move(layer).value());
  }
  for (const auto& path : options.secrets_files) {
    if (options.cancel.cancelled()) return interrupted();
    auto layer = load_secrets_file(path);
    if (!layer.ok()) return Unexpected<Problem>{layer.error()};
    apply(vars, std::move(layer).value());
  }
  Layer env;
  for (const auto& [name, value] : options.process_env) {
    env.emplace_back(name, Variable{value, "env", name_looks_secret(name), false, std::nullopt});
  }
  apply(vars, std::move(env));
  Layer sets;
  for (const auto& [name, value] : options.sets) {
    sets.emplace_back(name, Variable{value, "--set", name_looks_secret(name), false, std::nullopt});
  }
  apply_single_source(vars, std::move(sets));
  return vars;
}

}  // namespace preflight
