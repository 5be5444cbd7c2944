#include "config/schema.h"

#include <nlohmann/json.hpp>

#include "probes/probe.h"

namespace preflight {

std::string config_schema_json() {
  using ojson = nlohmann::ordered_json;
  ojson duration{{"oneOf", ojson::array({ojson{{"type", "string"}, {"pattern", "^([0-9]+(\\.[0-9]+)?(ms|s|m|h)?|.*\\$\\{.*\\}.*)$"}},
                                         ojson{{"type", "number"}, {"minimum", 0}}})}};
  ojson warning_days{{"type", "string"},
                     {"pattern", "^[0-9]{1,4}d$"},
                     {"description", "\"14d\": a passed TLS check warns of a server certificate with fewer days left "
                                     "(at most 3650d); \"0d\": never"}};
  ojson interval{{"oneOf", ojson::array({ojson{{"type", "string"}, {"pattern", "^[0-9]+(\\.[0-9]+)?(ms|s|m|h)?$"}},
                                         ojson{{"type", "number"}, {"minimum", 0.01}}})},
                 {"description", "at least 10ms"}};
  ojson retry{{"type", "object"},
              {"description", "how a failed check is tried again; a check's keys win over its phase's"},
              {"properties",
               {{"interval", interval},
                {"max_interval", interval},
                {"factor", {{"type", "number"}, {"minimum", 1}, {"maximum", 10}}},
                {"jitter", {{"type", "number"}, {"minimum", 0}, {"maximum", 1}}},
                {"attempts", {{"type", "integer"}, {"minimum", 0}, {"maximum", 1000000},
                              {"description", "0: as many as the phase timeout allows"}}}}},
              {"additionalProperties", false}};
  ojson check_variants = ojson::array();
  for (const ProbeType& t : probe_types()) {
    const bool connects = !t.schemes.empty();
    ojson props{{"name", {{"type", "string"}, {"minLength", 1}}}, {"type", {{"const", t.name}}}};
    if (connects) {
      props["url"] = {{"type", "string"}, {"description", "scheme: " + std::string(t.schemes.front().name) + "://..."}};
    }
    props.update(ojson{{"required", {{"type", "boolean"}, {"default", true}}},
                {"certificate_expiry_warning", warning_days},
                {"retry", retry}});
    for (const FieldSpec& f : t.fields) {
      const char* name = f.type == FieldType::string    ? "string"
                         : f.type == FieldType::boolean ? "boolean"
                         : f.type == FieldType::integer ? "integer"
                         : f.type == FieldType::array   ? "array"
                                                        : "object";
      props[std::string(f.name)] = {{"type", name}};
    }
    check_variants.push_back({{"type", "object"},
                              {"required", connects ? ojson::array({"name", "type", "url"}) : ojson::array({"name", "type"})},
                              {"properties", std::move(props)},
                              {"additionalProperties", false}});
  }
  ojson phase{{"type", "object"},
              {"required", {"name", "checks"}},
              {"properties",
               {{"name", {{"type", "string"}, {"minLength", 1}}},
                {"timeout", duration},
                {"retry", retry},
                {"checks", {{"type", "array"}, {"minItems", 1}, {"items", {{"oneOf", check_variants}}}}}}},
              {"additionalProperties", false}};
  ojson schema{{"$schema", "https://json-schema.org/draft/2020-12/schema"},
               {"title", "preflight config"},
               {"type", "object"},
               {"required", {"phases"}},
               {"properties",
                {{"name", {{"type", "string"}}},
                 {"env_files", {{"type", "array"}, {"items", {{"type", "string"}}}}},
                 {"secrets_dirs", {{"type", "array"}, {"items", {{"type", "string"}}}}},
                 {"budget", {{"description", "how long the platform waits for the container to start; default "
                                             "240s on Cloud Run"},
                             {"oneOf", ojson::array({ojson{{"type", "string"}, {"pattern", "^[0-9]+(\\.[0-9]+)?(ms|s|m|h)?$"}},
                                                     ojson{{"type", "number"}, {"exclusiveMinimum", 0}}})}}},
                 {"certificate_expiry_warning", warning_days},
                 {"phases", {{"type", "array"}, {"minItems", 1}, {"items", phase}}}}},
               {"additionalProperties", false}};
  return schema.dump(2) + "\n";
}

}  // namespace preflight
