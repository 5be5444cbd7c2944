#include "config/plan.h"

#include <algorithm>

#include <fmt/format.h>

#include "config/environment_trust.h"
#include "config/placeholder.h"
#include "base/redact.h"
#include "base/secret_positions.h"
#include "base/text.h"
#include "base/url.h"

namespace preflight {
namespace {

using json = nlohmann::json;

// Interpolation of every string in a check, remembering which variables fed
// which field.
struct ResolvedStrings {
  json fields;
  std::vector<VariableUse> uses;
  std::vector<std::pair<std::string, std::string>> unset;   // (variable, field path)
  std::vector<std::pair<std::string, std::string>> unset_withheld;  // (variable holding it, field path)
  std::vector<std::pair<std::string, std::string>> errors;  // (message, field path)
  std::map<std::string, Resolved> resolved;                 // by field path
};

void merge_uses(std::vector<VariableUse>& into, const std::vector<VariableUse>& from) {
  for (const auto& u : from) {
    bool seen = std::any_of(into.begin(), into.end(), [&](const VariableUse& x) { return x.name == u.name; });
    if (!seen) into.push_back(u);
  }
}

void resolve_strings(json& node, const std::string& where, const VariableSet& vars, ResolvedStrings& out) {
  if (node.is_string()) {
    Interpolated r = interpolate(node.get_ref<const std::string&>(), vars);
    merge_uses(out.uses, r.uses);
    for (auto& name : r.unset) out.unset.emplace_back(std::move(name), where);
    for (auto& name : r.unset_withheld) out.unset_withheld.emplace_back(std::move(name), where);
    if (r.error) out.errors.emplace_back(*r.error, where);
    out.resolved[where] = Resolved{r.text, std::move(r.spans)};
    node = std::move(r.text);
  } else if (node.is_object()) {
    for (auto& [key, value] : node.items()) resolve_strings(value, fmt::format("{}/{}", where, key), vars, out);
  } else if (node.is_array()) {
    for (size_t i = 0; i < node.size(); ++i) resolve_strings(node[i], fmt::format("{}/{}", where, i), vars, out);
  }
}

// The variable whose value contains `needle`, to blame a bad host on it.
const VariableUse* use_containing(const std::vector<VariableUse>& uses, std::string_view needle) {
  for (const auto& u : uses) {
    if (!needle.empty() && u.value.find(needle) != std::string::npos) return &u;
  }
  return nullptr;
}

// A variable's value for a message: a secret never; a URL with its
// credentials masked; anything else that may hold credentials (a URL that
// does not parse, a key=value connection string) not at all.
std::string quoted_value(const VariableUse& u) {
  if (u.secret) return "(secret value withheld)";
  if (u.value.find("://") != std::string::npos) {
    if (auto url = parse_url(u.value); url.ok()) return fmt::format("\"{}\"", shown_url(*url));
    if (u.value.find('@') != std::string::npos) return "(value withheld: it may hold credentials)";
  }
  std::string lower = to_lower(u.value);
  for (std::string_view key : {"password", "pwd=", "secret", "token"}) {
    if (lower.find(key) != std::string::npos) return "(value withheld: it may hold credentials)";
  }
  return fmt::format("\"{}\"", u.value);
}

const VariableUse* find_use(const std::vector<VariableUse>& uses, std::string_view name) {
  auto it = std::find_if(uses.begin(), uses.end(), [&](const VariableUse& u) { return u.name == name; });
  return it == uses.end() ? nullptr : &*it;
}

// The strings of an array field.
std::vector<std::string> string_items(const json& fields, std::string_view name) {
  std::vector<std::string> out;
  auto it = fields.find(name);
  if (it == fields.end() || !it->is_array()) return out;
  for (const auto& item : *it) {
    if (item.is_string()) out.push_back(item.get<std::string>());
  }
  return out;
}

class CheckPlanner {
 public:
  CheckPlanner(const ConfigFile& config, const PhaseSpec& phase, const CheckSpec& spec, Plan& plan)
      : config_(config), phase_(phase), spec_(spec), plan_(plan) {}

  PlannedCheck plan(const VariableSet& vars) {
    PlannedCheck check;
    check.name = spec_.name;
    check.type = spec_.type;
    check.probe_type = find_probe_type(spec_.type);
    check.required = spec_.required;
    check.certificate_warning_days =
        spec_.certificate_warning_days.value_or(config_.certificate_warning_days.value_or(kDefaultCertificateWarningDays));
    check.retry = merged(spec_.retry, phase_.retry);
    ResolvedStrings rs;
    rs.fields = spec_.fields;
    resolve_strings(rs.fields, spec_.json_path, vars, rs);
    check.fields = rs.fields;
    check.uses = rs.uses;
    for (auto& [where, resolved] : rs.resolved) check.origins[where.substr(spec_.json_path.size())] = std::move(resolved);
    const ProbeType* type = check.probe_type;
    const bool connects = !type->schemes.empty();
    const std::string url_text = connects ? rs.fields["url"].get<std::string>() : std::string();
    // A check that connects to nothing has no target of its own: the probe
    // gets an empty one, showing what the check runs or reads.
    Result<Target> target = connects ? read_target(*type, url_text, rs.fields) : Result<Target>(Target{});
    if (target.ok() && connects) {
      take_environment_trust(*type, *target, vars, check);
      // Shown only as its reader rebuilt it: raw text is never printed.
      target->shown = shown_without_secrets(*type, url_text, rs, target->shown);
      check.target = *target;
    }
    const std::vector<std::string> secrets = secrets_of(check);
    if (target.ok() && !connects) {
      // Its type's words for what it runs or reads, every secret of the
      // check masked.
      target->form = type->name;
      target->shown = Redactor(secrets).scrub(type->shown ? type->shown(check.fields) : std::string(type->name));
    }
    // What the report and the probe's messages show of it.
    check.shown = target.ok() ? target->shown : "***";
    if (check.target) check.target->shown = check.shown;
    plan_.secrets.insert(plan_.secrets.end(), secrets.begin(), secrets.end());
    std::vector<std::string> environment;
    if (type->receives_variables) environment = program_environment(vars);

    for (const auto& u : rs.uses) {
      if (u.problem) add(u.name, u.source, u.problem->kind, u.problem->message, u.problem->hint);
    }
    for (const auto& [message, where] : rs.errors) {
      add("", config_source(where), FailureKind::invalid_config, message, "fix the ${...} reference in the config");
    }
    for (const auto& [name, where] : rs.unset) {
      if (!looks_like_variable_name(name) && in_secret_field(where)) {
        add("", config_source(where), FailureKind::unset_variable,
            fmt::format("the secret field at {} refers to a variable that is not set, by a name that does not look like "
                        "a variable's (not shown: it may be the secret itself)", where),
            "write the secret's variable as ${NAME}; a literal '$' is written $$");
        continue;
      }
      std::string hint = fmt::format("set {} in the environment, an env file (-e), a secrets directory (-s) or with --set, "
                                     "or give a default: ${{{}:-value}}", name, name);
      if (auto near = nearest_defined(vars, name)) {
        hint = fmt::format("{} is not set, but {} is ({}): a typo in one of the names? Else {}", name, near->first,
                           near->second, hint);
      }
      add(name, config_source(where), FailureKind::unset_variable, fmt::format("{} is not set (used at {})", name, where),
          std::move(hint));
    }
    for (const auto& [name, where] : rs.unset_withheld) {
      const VariableUse* u = find_use(rs.uses, name);
      std::string source = u ? u->source : config_source(where);
      add(name, source, FailureKind::unset_variable,
          fmt::format("the value of {} ({}) holds a ${{...}} reference to a variable that is not set (not named here: "
                      "it may be part of a secret)", name, source),
          "a '$' in a secret is written $$ in an env file, or the whole value put in single quotes; else set the "
          "variable it refers to");
    }
    check_placeholders(rs);
    // A value built from an unset or placeholder value is malformed by
    // construction: a finding about its shape would only bury the real one.
    bool incomplete = !findings_.empty();
    if (!incomplete && !target.ok()) {
      add_unreadable(rs.uses, target.error());
    } else if (!incomplete) {
      check_hosts(*target, rs);
    }

    if (!findings_.empty()) {
      const Finding& first = findings_.front();
      check.blocked = Failure{first.kind, first.message, first.hint};
    } else {
      auto probe = type->make(ProbeInput{*target, check.fields, plan_.redactor, std::move(environment)});
      if (probe.ok()) {
        check.probe = std::shared_ptr<const Probe>(std::move(probe).value());
      } else {
        add("", config_source(spec_.json_path), FailureKind::invalid_config, probe.error().message, probe.error().hint);
        check.blocked = probe.error();
      }
    }
    for (auto& f : findings_) plan_.findings.push_back(std::move(f));
    return check;
  }

 private:
  // The environment a check's program runs with: every variable of the
  // run (this process's environment, env files, secrets directories,
  // --set, in their order of precedence). A NAME_FILE indirection not read
  // yet stays as it is: the program gets NAME_FILE and reads the file as
  // the application would. Each secret among them is masked in every
  // output, since the program may print it.
  std::vector<std::string> program_environment(const VariableSet& vars) {
    std::vector<std::string> out;
    for (const auto& [name, variable] : vars.all()) {
      if (variable.pending_file || variable.problem) continue;
      std::string value = variable.expandable ? interpolate(fmt::format("${{{}}}", name), vars).text : variable.value;
      if (variable.secret && !value.empty()) plan_.secrets.push_back(value);
      out.push_back(fmt::format("{}={}", name, value));
    }
    return out;
  }

  // The CAs of a check that names none (environment_trust.h), with their
  // variables among the check's uses and origins, so that lint and the
  // hints say which variable gave the CA, from which source.
  static void take_environment_trust(const ProbeType& type, Target& target, const VariableSet& vars, PlannedCheck& check) {
    const EnvironmentTrust trust = environment_trust(type, target, vars);
    auto take = [&](const std::string& name) {
      Interpolated value = interpolate(fmt::format("${{{}}}", name), vars);
      for (auto& use : value.uses) {
        if (!find_use(check.uses, use.name)) check.uses.push_back(std::move(use));
      }
      check.origins["/environment/" + name] = Resolved{value.text, std::move(value.spans)};
      return value.text;
    };
    if (!trust.bundle_variable.empty()) target.tls.ca_file = take(trust.bundle_variable);
    for (const auto& name : trust.added_variables) target.tls.added_ca.push_back(take(name));
  }

  std::string config_source(const std::string& where) const {
    return config_.path.empty() ? fmt::format("built-in profile:{}", where) : config_.source_of(where);
  }

  void add(std::string variable, std::string source, FailureKind kind, std::string message, std::string hint) {
    findings_.push_back({std::move(variable), std::move(source), kind, std::move(message), std::move(hint),
                         fmt::format("{}/{}", phase_.name, spec_.name)});
  }

  // Blames the variable whose value holds `needle`, or the config itself.
  void add_blamed(const std::vector<VariableUse>& uses, std::string_view needle, FailureKind kind,
                  std::string message, std::string hint) {
    if (const VariableUse* u = use_containing(uses, needle)) {
      add(u->name, u->source, kind, std::move(message), std::move(hint));
    } else {
      add("", config_source(spec_.json_path + "/url"), kind, std::move(message), std::move(hint));
    }
  }

  void check_placeholders(const ResolvedStrings& rs) {
    for (const auto& u : rs.uses) {
      if (u.problem) continue;
      if (auto why = placeholder_reason(u.value, u.secret)) {
        // The reason quotes the value, so a secret gets none.
        std::string reason = u.secret ? "" : fmt::format(": {}", *why);
        add(u.name, u.source, FailureKind::placeholder,
            fmt::format("{}={} ({}) looks like an unreplaced template placeholder{}", u.name, quoted_value(u),
                        u.source, reason),
            fmt::format("set {} to the real value where it is defined ({}); the deploy never replaced it", u.name,
                        u.source));
      }
    }
    // Literal text in the config (outside ${...}) can be a placeholder too.
    std::string literal = literal_text(spec_.fields.value("url", ""));
    if (auto why = placeholder_reason(literal)) {
      add("", config_source(spec_.json_path + "/url"), FailureKind::placeholder,
          fmt::format("the URL in the config looks like an unreplaced template: {}", *why),
          "replace it with the real address, or a ${VARIABLE} set at deploy time");
    }
  }

  // The reader's sentence names the part that is wrong, never the value;
  // the finding names where the value came from.
  void add_unreadable(const std::vector<VariableUse>& uses, const Failure& why) {
    std::vector<std::string> names;
    for (const auto& u : uses) names.push_back(fmt::format("{} ({})", u.name, u.source));
    std::string from = names.empty() ? std::string("the URL in the config")
                                     : fmt::format("the value built from {}", fmt::join(names, ", "));
    std::string message = fmt::format("{} cannot be read as a {} connection string: {}", from, spec_.type, why.message);
    if (uses.size() == 1) {
      add(uses.front().name, uses.front().source, FailureKind::invalid_config, std::move(message), why.hint);
    } else {
      add("", config_source(spec_.json_path + "/url"), FailureKind::invalid_config, std::move(message), why.hint);
    }
  }

  void check_hosts(const Target& target, const ResolvedStrings& rs) {
    for (const Endpoint& e : target.endpoints) {
      if (e.is_socket()) continue;
      if (auto why = reserved_host_reason(e.host)) {
        add_blamed(rs.uses, e.host, FailureKind::placeholder, fmt::format("host {}", *why), "point it at the real server");
      }
    }
  }

  // The template with every ${...} reference cut out.
  static std::string literal_text(const std::string& tmpl) {
    std::string out;
    for (size_t i = 0; i < tmpl.size(); ++i) {
      if (tmpl.compare(i, 2, "${") == 0) {
        int depth = 0;
        for (; i < tmpl.size(); ++i) {
          if (tmpl.compare(i, 2, "${") == 0) ++depth, ++i;
          else if (tmpl[i] == '}' && --depth == 0) break;
        }
        out += ' ';
        continue;
      }
      out += tmpl[i];
    }
    return out;
  }

  // True for a path into one of the check's secret fields (password,
  // headers/Authorization...).
  bool in_secret_field(std::string_view where) const {
    std::string_view rest = where.substr(std::min(where.size(), spec_.json_path.size() + 1));
    std::string_view field = rest.substr(0, rest.find('/'));
    const ProbeType* type = find_probe_type(spec_.type);
    return type && std::any_of(type->fields.begin(), type->fields.end(),
                               [&](const FieldSpec& f) { return f.secret && f.name == field; });
  }

  // A secret variable interpolated into the URL unencoded can be split by
  // the URL's own syntax (an '&' starts a new parameter, a '/' the path):
  // then no part the reader masks holds it whole. The URL shown is read
  // again from the text with every secret variable's value masked first.
  static std::string shown_without_secrets(const ProbeType& type, const std::string& url_text, const ResolvedStrings& rs,
                                           const std::string& shown) {
    std::vector<std::string> secrets;
    for (const auto& u : rs.uses) {
      if (u.secret && !u.value.empty()) secrets.push_back(u.value);
    }
    Redactor redactor(secrets);
    std::string masked = redactor.scrub(url_text);
    if (masked == url_text) return shown;
    // "***" where a host must be does not read: then the secret stood whole
    // in one part, and masking what the reader built is enough.
    auto again = read_target(type, masked, rs.fields);
    return again.ok() ? again->shown : redactor.scrub(shown);
  }

  // Every secret of a check: its variables', its secret fields', and what
  // its reader found in credential positions.
  static std::vector<std::string> secrets_of(const PlannedCheck& check) {
    std::vector<std::string> out;
    for (const auto& u : check.uses) {
      if (u.secret && !u.value.empty()) out.push_back(u.value);
    }
    const ProbeType* type = check.probe_type;
    for (const auto& f : type->fields) {
      auto it = check.fields.find(f.name);
      if (it == check.fields.end()) continue;
      if (it->is_object()) {  // headers: {"Authorization": "Bearer ..."}
        // Only a secret field's values are credentials: an "expect"
        // object's text is what the server should say, and shown.
        if (!f.secret) continue;
        for (const auto& [key, value] : it->items()) {
          if (value.is_string()) add_header_secrets(value.get_ref<const std::string&>(), out);
        }
      } else if (it->is_array() && f.type == FieldType::array) {  // a program's arguments
        add_argument_secrets(string_items(check.fields, f.name), out);
      } else if (it->is_string() && f.name == "body") {
        add_body_secrets(it->get_ref<const std::string&>(), out);
      } else if (it->is_string() && f.name == "subprotocol") {  // "access_token.TOKEN", as a header value
        add_header_secrets(it->get_ref<const std::string&>(), out);
      } else if (it->is_string() && f.secret && !it->get_ref<const std::string&>().empty()) {
        out.push_back(it->get<std::string>());
      }
    }
    if (!check.target) return out;
    for (const auto& s : check.target->secrets) out.push_back(s);
    if (check.probe_type->library_secrets) {
      for (auto& s : check.probe_type->library_secrets(*check.target)) out.push_back(std::move(s));
    }
    add_parts_made_of_secrets(check, out);
    add_parameter_secrets(check.target->url.query, out);
    add_parameter_secrets(check.target->url.fragment, out);
    return out;
  }

  // A secret's bytes stay secret in whatever position the reader put them:
  // a token with a '/' read as a host, a password cut by an unencoded '&'
  // into an ignored parameter. A secret variable that is the whole
  // connection string (DATABASE_URL from Secret Manager) is the exception:
  // its reader's credential positions say which parts are secret, and its
  // host stays nameable in a hint.
  static void add_parts_made_of_secrets(const PlannedCheck& check, std::vector<std::string>& out) {
    auto url = check.origins.find("/url");
    if (url != check.origins.end() && url->second.spans.size() == 1 && url->second.spans.front().secret &&
        url->second.spans.front().kind == OriginSpan::Kind::variable) {
      return;
    }
    const Target& t = *check.target;
    std::vector<std::string> values;
    for (auto& [part, value] : t.parts()) values.push_back(value);
    for (const auto& ignored : t.ignored) values.push_back(ignored);
    for (const auto& [key, value] : t.options) values.push_back(value);
    values.push_back(t.url.path);
    for (const auto& value : values) {
      if (!value.empty() && origin_of(check, value).secret) out.push_back(value);
    }
  }

  const ConfigFile& config_;
  const PhaseSpec& phase_;
  const CheckSpec& spec_;
  Plan& plan_;
  std::vector<Finding> findings_;
};

Millis phase_timeout(const ConfigFile& config, const PhaseSpec& phase, const VariableSet& vars, Plan& plan,
                     std::optional<Failure>& blocked) {
  Interpolated t = interpolate(phase.timeout, vars);
  if (auto d = parse_duration(t.text); d && t.unset.empty() && !t.error) return *d;
  std::string message = fmt::format("phase {} timeout \"{}\" is not a duration", phase.name, t.text);
  std::string source = config.source_of(phase.json_path + "/timeout");
  plan.findings.push_back({t.uses.empty() ? "" : t.uses.front().name, source, FailureKind::invalid_config, message,
                           "write 250ms, 7.5s, 2m or a number of seconds", phase.name});
  blocked = Failure{FailureKind::invalid_config, message, {}};
  return parse_duration(kDefaultPhaseTimeout).value();
}

std::string timeout_origin(const ConfigFile& config, const PhaseSpec& phase) {
  if (config.path.empty()) {
    return fmt::format("the default profile's {} for phase {}; --phase-timeout {}=DURATION changes it", phase.timeout,
                       phase.name, phase.name);
  }
  if (phase.timeout_written) return config.source_of(phase.json_path + "/timeout");
  return fmt::format("the built-in {}: {} sets no \"timeout\"", kDefaultPhaseTimeout, config.source_of(phase.json_path));
}

}  // namespace

Plan build_plan(const ConfigFile& config, const VariableSet& vars) {
  Plan plan;
  plan.name = config.name;
  plan.config_path = config.path;
  plan.budget = config.budget;
  for (const auto& phase_spec : config.phases) {
    PlannedPhase phase;
    phase.name = phase_spec.name;
    std::optional<Failure> blocked;
    phase.timeout = phase_timeout(config, phase_spec, vars, plan, blocked);
    phase.timeout_origin = timeout_origin(config, phase_spec);
    for (const auto& check_spec : phase_spec.checks) {
      PlannedCheck check = CheckPlanner(config, phase_spec, check_spec, plan).plan(vars);
      if (blocked && !check.blocked) {
        check.blocked = blocked;
        check.probe.reset();
      }
      phase.checks.push_back(std::move(check));
    }
    plan.phases.push_back(std::move(phase));
  }
  // A bad variable used by several checks is one finding.
  std::vector<Finding> unique;
  for (auto& f : plan.findings) {
    bool seen = std::any_of(unique.begin(), unique.end(), [&](const Finding& u) {
      return u.variable == f.variable && u.source == f.source && u.kind == f.kind && u.message == f.message;
    });
    if (!seen) unique.push_back(std::move(f));
  }
  plan.findings = std::move(unique);
  // A secret no check uses still reaches an output when a server echoes it
  // or a message quotes it: every one that was loaded is registered. Files
  // of NAME_FILE indirections that nothing looked up were never read.
  for (const auto& [name, var] : vars.all()) {
    if (var.secret && !var.pending_file && !var.value.empty()) plan.secrets.push_back(var.value);
  }
  seal_secrets(plan);
  return plan;
}

void seal_secrets(Plan& plan) {
  std::sort(plan.secrets.begin(), plan.secrets.end());
  plan.secrets.erase(std::unique(plan.secrets.begin(), plan.secrets.end()), plan.secrets.end());
  *plan.redactor = Redactor(plan.secrets);
}

std::string named_source(const VariableUse* use) {
  return use ? fmt::format(" (from {}, {})", use->name, use->source) : std::string();
}

void apply_phase_selection(Plan& plan, const std::set<std::string>& only, const std::map<std::string, Millis>& timeouts) {
  for (auto& phase : plan.phases) {
    phase.selected = only.empty() || only.contains(phase.name);
    if (auto it = timeouts.find(phase.name); it != timeouts.end()) {
      phase.timeout = it->second;
      phase.timeout_origin = fmt::format("--phase-timeout {}={}ms", phase.name, it->second.count());
    }
  }
}

}  // namespace preflight
