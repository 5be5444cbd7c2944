#include "config/config.h"

#include <filesystem>
#include <set>

#include <fmt/format.h>

#include "probes/probe.h"
#include "read_file.h"
#include "yaml_reader.h"

namespace preflight {
namespace {

using json = nlohmann::json;

class Parser {
 public:
  // `yaml`: where each value of a YAML config was written; JSON configs
  // are located by their JSON pointer alone.
  Parser(std::string path, const YamlDocument* yaml) : path_(std::move(path)), yaml_(yaml) {}

  std::optional<Problem> error;

  // "cfg.json: /phases/0/url", "cfg.yaml:7:5: /phases/0/url".
  std::string origin(const std::string& where) const {
    std::string pointer = where.empty() ? "/" : where;
    if (yaml_ == nullptr) return fmt::format("{}: {}", path_, pointer);
    TextPosition at = position_in(yaml_->positions, where);
    return fmt::format("{}:{}:{}: {}", path_, at.line, at.column, pointer);
  }

  Unexpected<Problem> fail_at(const std::string& where, std::string_view what) {
    std::string at = origin(where);
    return Unexpected<Problem>{Problem{.message = fmt::format("{}: {}", at, what), .origin = at}};
  }

  // A value of the wrong type, with the YAML remedy where it applies
  // (mode: 0600 is the number 600).
  Unexpected<Problem> wrong_type(const std::string& where, FieldType expected, const nlohmann::json& got);

  // A probe type's check_shape problem, "<relative path>: <what>", at its
  // own position.
  Unexpected<Problem> shape_problem(const std::string& where, const std::string& problem);

  bool expect_keys(const json& obj, const std::string& where, const std::set<std::string_view>& allowed) {
    for (const auto& [key, value] : obj.items()) {
      if (!allowed.contains(key)) {
        std::string at = origin(fmt::format("{}/{}", where, key));
        error = Problem{.message = fmt::format("{}: unknown key \"{}\" (allowed: {})", at, key, fmt::join(allowed, ", ")),
                        .origin = at};
        return false;
      }
    }
    return true;
  }

  const std::string& path() const { return path_; }
  bool yaml() const { return yaml_ != nullptr; }

 private:
  std::string path_;
  const YamlDocument* yaml_;
};

std::string_view type_name(const json& j) { return j.type_name(); }

bool matches(FieldType type, const json& j) {
  switch (type) {
    case FieldType::string: return j.is_string();
    case FieldType::boolean: return j.is_boolean();
    case FieldType::integer: return j.is_number_integer();
    case FieldType::object: return j.is_object();
    case FieldType::array: return j.is_array();
  }
  return false;
}

std::string_view describe(FieldType type) {
  switch (type) {
    case FieldType::string: return "a string";
    case FieldType::boolean: return "true or false";
    case FieldType::integer: return "a whole number";
    case FieldType::object: return "an object";
    case FieldType::array: return "an array";
  }
  return "?";
}

// In YAML the usual cause of a value of the wrong type is one left unquoted
// that YAML typed. `expected`: what the schema wanted, when one type.
std::string unquoted_note(const YamlDocument* yaml, const std::string& where, std::optional<FieldType> expected) {
  if (yaml == nullptr) return "";
  auto plain = yaml->plain_scalars.find(where);
  if (plain == yaml->plain_scalars.end()) return "";
  if (plain->second != PlainScalar::string && (!expected || expected == FieldType::string)) {
    return fmt::format(" (YAML reads this unquoted value as {}: put it in quotes{})", describe(plain->second),
                       expected ? "" : " if it is text");
  }
  if (plain->second == PlainScalar::string && expected == FieldType::boolean) {
    return " (YAML 1.2 reads only true and false as booleans: yes, no, on and off are strings)";
  }
  return "";
}

Unexpected<Problem> Parser::wrong_type(const std::string& where, FieldType expected, const nlohmann::json& got) {
  return fail_at(where, fmt::format("expected {}, got {}{}", describe(expected), type_name(got), unquoted_note(yaml_, where, expected)));
}

Unexpected<Problem> Parser::shape_problem(const std::string& where, const std::string& problem) {
  auto colon = problem.find(": ");
  if (colon == std::string::npos || colon == 0 || problem.find(' ') < colon) return fail_at(where, problem);
  std::string at = where + "/" + problem.substr(0, colon);
  return fail_at(at, problem.substr(colon + 2) + unquoted_note(yaml_, at, std::nullopt));
}

Result<std::vector<std::string>, Problem> string_list(Parser& p, const json& obj, const char* key,
                                                          const std::string& base_dir) {
  std::vector<std::string> out;
  auto it = obj.find(key);
  if (it == obj.end()) return out;
  if (!it->is_array()) return p.fail_at(fmt::format("/{}", key), fmt::format("expected an array of strings, got {}", type_name(*it)));
  for (size_t i = 0; i < it->size(); ++i) {
    const json& item = (*it)[i];
    if (!item.is_string()) return p.wrong_type(fmt::format("/{}/{}", key, i), FieldType::string, item);
    std::filesystem::path entry(item.get<std::string>());
    out.push_back(entry.is_absolute() || base_dir.empty() ? entry.string() : (std::filesystem::path(base_dir) / entry).string());
  }
  return out;
}

// "certificate_expiry_warning": whole days written "14d", "0d" for never.
Result<std::optional<long>, Problem> expiry_warning_days(Parser& p, const json& obj, const std::string& where) {
  auto it = obj.find("certificate_expiry_warning");
  if (it == obj.end()) return std::optional<long>{};
  long days = -1;
  if (it->is_string()) {
    const std::string& text = it->get_ref<const std::string&>();
    if (text.size() >= 2 && text.size() <= 5 && text.back() == 'd' &&
        text.find_first_not_of("0123456789") == text.size() - 1) {
      days = std::stol(text.substr(0, text.size() - 1));
    }
  }
  if (days < 0 || days > kMaxCertificateWarningDays) {
    return p.fail_at(where + "/certificate_expiry_warning",
                     fmt::format("expected whole days from \"0d\" (never warn) to \"{}d\", such as \"14d\"; got {}",
                                 kMaxCertificateWarningDays, it->dump()));
  }
  return std::optional<long>{days};
}

Result<RetrySettings, Problem> retry_settings(Parser& p, const json& obj, const std::string& where) {
  auto it = obj.find("retry");
  if (it == obj.end()) return RetrySettings{};
  auto read = read_retry_settings(*it);
  if (!read.ok()) {
    return p.fail_at(where + "/retry" + (read.error().key.empty() ? "" : "/" + read.error().key), read.error().what);
  }
  return *read;
}

Result<CheckSpec, Problem> parse_check(Parser& p, const json& j, const std::string& where) {
  if (!j.is_object()) return p.fail_at(where, fmt::format("expected a check object, got {}", type_name(j)));
  CheckSpec check;
  check.json_path = where;
  for (const char* key : {"name", "type"}) {
    auto it = j.find(key);
    if (it == j.end()) return p.fail_at(where, fmt::format("missing \"{}\"", key));
    if (!it->is_string()) return p.wrong_type(fmt::format("{}/{}", where, key), FieldType::string, *it);
  }
  check.name = j["name"].get<std::string>();
  check.type = j["type"].get<std::string>();
  if (check.name.empty()) return p.fail_at(where + "/name", "must not be empty");
  const ProbeType* type = find_probe_type(check.type);
  if (type == nullptr) {
    std::vector<std::string_view> known;
    for (const auto& t : probe_types()) known.push_back(t.name);
    return p.fail_at(where + "/type", fmt::format("unknown check type \"{}\" (this build knows: {})", check.type,
                                                  fmt::join(known, ", ")));
  }
  const bool connects = !type->schemes.empty();
  auto url = j.find("url");
  if (connects && url == j.end()) return p.fail_at(where, "missing \"url\"");
  if (connects && !url->is_string()) return p.wrong_type(where + "/url", FieldType::string, *url);
  if (!connects && url != j.end()) {
    return p.fail_at(where + "/url", fmt::format("a {} check connects to nothing and has no url", check.type));
  }
  std::set<std::string_view> allowed = {"name", "type", "required", "certificate_expiry_warning", "retry"};
  if (connects) allowed.insert("url");
  for (const auto& f : type->fields) allowed.insert(f.name);
  if (!p.expect_keys(j, where, allowed)) return Unexpected<Problem>{*p.error};
  if (auto it = j.find("required"); it != j.end()) {
    if (!it->is_boolean()) return p.wrong_type(where + "/required", FieldType::boolean, *it);
    check.required = it->get<bool>();
  }
  auto days = expiry_warning_days(p, j, where);
  if (!days.ok()) return Unexpected<Problem>{days.error()};
  check.certificate_warning_days = *days;
  auto retry = retry_settings(p, j, where);
  if (!retry.ok()) return Unexpected<Problem>{retry.error()};
  check.retry = *retry;
  for (const auto& f : type->fields) {
    auto it = j.find(f.name);
    if (it == j.end()) continue;
    if (!matches(f.type, *it)) return p.wrong_type(fmt::format("{}/{}", where, f.name), f.type, *it);
  }
  if (type->check_shape) {
    if (auto problem = type->check_shape(j)) return p.shape_problem(where, *problem);
  }
  check.fields = j;
  return check;
}

Result<PhaseSpec, Problem> parse_phase(Parser& p, const json& j, const std::string& where) {
  if (!j.is_object()) return p.fail_at(where, fmt::format("expected a phase object, got {}", type_name(j)));
  if (!p.expect_keys(j, where, {"name", "timeout", "retry", "checks"})) return Unexpected<Problem>{*p.error};
  PhaseSpec phase;
  phase.json_path = where;
  auto name = j.find("name");
  if (name == j.end() || !name->is_string() || name->get<std::string>().empty()) {
    return p.fail_at(where + "/name", "every phase needs a non-empty \"name\"");
  }
  phase.name = name->get<std::string>();
  phase.timeout = std::string(kDefaultPhaseTimeout);
  if (auto t = j.find("timeout"); t != j.end()) {
    phase.timeout_written = true;
    if (t->is_number() && t->get<double>() >= 0) {
      phase.timeout = fmt::format("{}", t->get<double>());
    } else if (t->is_string()) {
      phase.timeout = t->get<std::string>();
    } else {
      return p.fail_at(where + "/timeout", fmt::format("expected a duration such as \"7.5s\", got {}", t->dump()));
    }
    bool templated = phase.timeout.find("${") != std::string::npos;
    if (!templated && !parse_duration(phase.timeout)) {
      return p.fail_at(where + "/timeout",
                       fmt::format("\"{}\" is not a duration (write 250ms, 7.5s, 2m or a number of seconds)", phase.timeout));
    }
  }
  auto retry = retry_settings(p, j, where);
  if (!retry.ok()) return Unexpected<Problem>{retry.error()};
  phase.retry = *retry;
  auto checks = j.find("checks");
  if (checks == j.end() || !checks->is_array() || checks->empty()) {
    return p.fail_at(where + "/checks", "every phase needs a non-empty array of checks");
  }
  std::set<std::string> names;
  for (size_t i = 0; i < checks->size(); ++i) {
    auto check = parse_check(p, (*checks)[i], fmt::format("{}/checks/{}", where, i));
    if (!check.ok()) return Unexpected<Problem>{check.error()};
    if (!names.insert(check->name).second) {
      return p.fail_at(fmt::format("{}/checks/{}/name", where, i), fmt::format("duplicate check name \"{}\" in phase {}", check->name, phase.name));
    }
    phase.checks.push_back(std::move(check).value());
  }
  return phase;
}


// nlohmann's message with its "; last read: '<token>'" left out: the token
// may be the start of a secret string (an unterminated "Bearer ..."). The
// line and column it gives are enough to find the mistake.
std::string without_last_read(std::string_view message) {
  constexpr std::string_view kLastRead = "; last read: '";
  auto at = message.find(kLastRead);
  if (at == std::string_view::npos) return std::string(message);
  std::string out(message.substr(0, at));
  if (auto expected = message.rfind("'; expected "); expected != std::string_view::npos && expected > at) {
    out += message.substr(expected + 1);
  }
  return out;
}

bool is_yaml_path(std::string_view path) { return path.ends_with(".yaml") || path.ends_with(".yml"); }

Result<ConfigFile, Problem> validate(Parser& p, const json& doc) {
  if (!doc.is_object()) {
    return p.fail_at("", fmt::format("expected {}, got {}", p.yaml() ? "a mapping" : "a JSON object", type_name(doc)));
  }
  if (!p.expect_keys(doc, "", {"name", "env_files", "secrets_dirs", "budget", "certificate_expiry_warning", "phases"})) return Unexpected<Problem>{*p.error};

  const std::string& path = p.path();
  ConfigFile config;
  config.path = path;
  std::string base_dir = std::filesystem::path(path).parent_path().string();
  if (auto it = doc.find("name"); it != doc.end()) {
    if (!it->is_string()) return p.wrong_type("/name", FieldType::string, *it);
    config.name = it->get<std::string>();
  }
  auto env_files = string_list(p, doc, "env_files", base_dir);
  if (!env_files.ok()) return Unexpected<Problem>{env_files.error()};
  config.env_files = std::move(env_files).value();
  auto secrets_dirs = string_list(p, doc, "secrets_dirs", base_dir);
  if (!secrets_dirs.ok()) return Unexpected<Problem>{secrets_dirs.error()};
  config.secrets_dirs = std::move(secrets_dirs).value();

  auto days = expiry_warning_days(p, doc, "");
  if (!days.ok()) return Unexpected<Problem>{days.error()};
  config.certificate_warning_days = *days;
  if (auto it = doc.find("budget"); it != doc.end()) {
    std::optional<Millis> budget;
    if (it->is_number() && it->get<double>() > 0) budget = parse_duration(fmt::format("{}", it->get<double>()));
    if (it->is_string()) budget = parse_duration(it->get<std::string>());
    if (!budget || budget->count() <= 0) {
      return p.fail_at("/budget", fmt::format("expected a positive duration such as \"240s\", got {}", it->dump()));
    }
    config.budget = budget;
  }

  auto phases = doc.find("phases");
  if (phases == doc.end() || !phases->is_array() || phases->empty()) {
    return p.fail_at("/phases", "expected a non-empty array of phases");
  }
  std::set<std::string> names;
  for (size_t i = 0; i < phases->size(); ++i) {
    auto phase = parse_phase(p, (*phases)[i], fmt::format("/phases/{}", i));
    if (!phase.ok()) return Unexpected<Problem>{phase.error()};
    if (!names.insert(phase->name).second) {
      return p.fail_at(fmt::format("/phases/{}/name", i), fmt::format("duplicate phase name \"{}\"", phase->name));
    }
    config.phases.push_back(std::move(phase).value());
  }
  return config;
}

}  // namespace

Result<ConfigFile, Problem> parse_config(std::string_view text, const std::string& path) {
  if (is_yaml_path(path)) {
    auto yaml = read_yaml(text);
    if (!yaml.ok()) {
      std::string at = fmt::format("{}:{}:{}", path, yaml.error().at.line, yaml.error().at.column);
      return Unexpected<Problem>{Problem{.message = fmt::format("{}: {}", at, yaml.error().what), .origin = at}};
    }
    Parser p(path, &*yaml);
    auto config = validate(p, yaml->value);
    if (config.ok()) config->positions = std::move(yaml->positions);
    return config;
  }
  Parser p(path, nullptr);
  json doc;
  try {
    doc = json::parse(text, nullptr, /*allow_exceptions=*/true, /*ignore_comments=*/true);
  } catch (const json::parse_error& e) {
    return Unexpected<Problem>{Problem{
        .message = fmt::format("{}: malformed JSON at byte {}: {}", path, e.byte, without_last_read(e.what())), .origin = path}};
  } catch (const json::exception& e) {
    // Found by fuzz_config: a number such as 1e99999 is out_of_range, not
    // a parse_error, and escaped as an internal error (exit 1).
    return Unexpected<Problem>{Problem{.message = fmt::format("{}: unusable JSON: {}", path, e.what()), .origin = path}};
  }
  return validate(p, doc);
}

std::string ConfigFile::source_of(std::string_view pointer) const {
  if (positions.empty()) return fmt::format("{}:{}", path, pointer);
  TextPosition at = position_in(positions, pointer);
  return fmt::format("{}:{}:{} ({})", path, at.line, at.column, pointer);
}

Result<ConfigFile, Problem> load_config_file(const std::string& path) {
  auto text = read_file_capped(path);
  if (!text.ok()) {
    Problem problem = text.error();
    problem.message = "config file " + problem.message;
    return Unexpected<Problem>{std::move(problem)};
  }
  return parse_config(*text, path);
}

}  // namespace preflight
