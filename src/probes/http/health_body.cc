#include "probes/http/health_body.h"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "base/text.h"

namespace preflight {
namespace {

using HealthJson = nlohmann::ordered_json;  // the body's own order

// A JSON document nests at most this deep before it is not a health body.
constexpr int kMaxDepth = 12;

bool failure_word(const std::string& status) {
  static constexpr std::string_view kWords[] = {"down",     "fail",  "failed",   "failure",        "unhealthy", "unavailable",
                                                "error",    "critical", "red",   "out_of_service", "not_serving"};
  const std::string lower = to_lower(status);
  return std::find(std::begin(kWords), std::end(kWords), lower) != std::end(kWords);
}

// The first reason the component gives, in itself or its details.
std::string reason_of(const HealthJson& component) {
  static constexpr const char* kKeys[] = {"error", "message", "reason", "description", "exception", "output", "cause", "detail"};
  for (const HealthJson* where : {&component, component.contains("details") ? &component["details"] : nullptr,
                            component.contains("data") ? &component["data"] : nullptr}) {
    if (!where || !where->is_object()) continue;
    for (const char* key : kKeys) {
      auto it = where->find(key);
      if (it != where->end() && it->is_string() && !it->get_ref<const std::string&>().empty()) return it->get<std::string>();
    }
  }
  return {};
}

struct Walker {
  std::vector<FailingComponent> found;

  // True when `node` or something under it failed.
  bool walk(const HealthJson& node, const std::string& name, int depth) {
    if (depth > kMaxDepth) return false;
    bool below = false;
    if (node.is_object()) {
      for (const auto& [key, child] : node.items()) {
        if (key == "details" || key == "data") continue;
        // health-go: "failures": {"postgres": "connection refused"}
        if (key == "failures" && child.is_object()) {
          for (const auto& [component, why] : child.items()) {
            if (why.is_string()) found.push_back({component, "failure", why.get<std::string>()});
            below = true;
          }
          continue;
        }
        // The containers' own names say nothing: "components/db" is "db".
        const bool container = key == "components" || key == "entries" || key == "checks" || key == "results";
        below = walk(child, container ? name : (name.empty() ? key : name + "/" + key), depth + 1) || below;
      }
    } else if (node.is_array()) {
      for (const auto& item : node) {
        std::string item_name = name;
        if (item.is_object() && item.contains("name") && item["name"].is_string()) {
          item_name = name.empty() ? item["name"].get<std::string>() : name + "/" + item["name"].get<std::string>();
        }
        below = walk(item, item_name, depth + 1) || below;
      }
    }
    if (below || !node.is_object() || name.empty()) return below;
    auto status = node.find("status");
    if (status == node.end() || !status->is_string() || !failure_word(status->get<std::string>())) return false;
    found.push_back({name, status->get<std::string>(), reason_of(node)});
    return true;
  }
};

}  // namespace

std::vector<FailingComponent> failing_components(std::string_view body, size_t at_most) {
  HealthJson doc = HealthJson::parse(body, nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) return {};
  Walker walker;
  walker.walk(doc, "", 0);
  // No component failed, but the body's own status did, with a reason.
  if (walker.found.empty() && doc.contains("status") && doc["status"].is_string() &&
      failure_word(doc["status"].get<std::string>()) && !reason_of(doc).empty()) {
    walker.found.push_back({"", doc["status"].get<std::string>(), reason_of(doc)});
  }
  if (walker.found.size() > at_most) walker.found.resize(at_most);
  return walker.found;
}

}  // namespace preflight
