#include "config/default_profile.h"

#include <algorithm>

#include <fmt/format.h>

#include "probes/probe.h"
#include "probes/profile_offer.h"

namespace preflight {
namespace {

class VariableSetView final : public ProfileVariables {
 public:
  explicit VariableSetView(const VariableSet& vars) : vars_(vars) {}
  const std::string* find(std::string_view name) const override {
    const Variable* v = vars_.find(name);
    return v ? &v->value : nullptr;
  }
  std::vector<std::string_view> names() const override {
    std::vector<std::string_view> out;
    for (const auto& [name, unused] : vars_.all()) out.push_back(name);
    return out;
  }

 private:
  const VariableSet& vars_;
};

struct Taken {
  ProfileOffer offer;
  std::string_view type;
};

// Each protocol's offers; in a slot, the lowest rank wins, and of equal
// ranks the protocol listed first in the registry.
std::vector<Taken> take_offers(const ProfileVariables& vars) {
  std::vector<Taken> taken;
  for (const ProbeType& type : probe_types()) {
    if (!type.offer) continue;
    std::vector<ProfileOffer> offers;
    type.offer(vars, offers);
    for (ProfileOffer& o : offers) {
      auto same_slot = std::find_if(taken.begin(), taken.end(), [&](const Taken& t) {
        return t.offer.phase == o.phase && t.offer.slot == o.slot;
      });
      if (same_slot == taken.end()) taken.push_back({std::move(o), type.name});
      else if (o.rank < same_slot->offer.rank) *same_slot = {std::move(o), type.name};
    }
  }
  // A phase's checks in the order of the variables that asked for them.
  std::stable_sort(taken.begin(), taken.end(), [](const Taken& a, const Taken& b) {
    if (a.offer.phase != b.offer.phase) return a.offer.phase < b.offer.phase;
    return a.offer.variable < b.offer.variable;
  });
  return taken;
}

}  // namespace

ConfigFile default_profile(const VariableSet& vars) {
  ConfigFile config;
  config.name = "default profile";
  config.phases = {{.name = "database", .timeout = "15s"},
                   {.name = "cache", .timeout = "5s"},
                   {.name = "services", .timeout = "15s"},
                   {.name = "websocket", .timeout = "10s"}};
  for (size_t i = 0; i < config.phases.size(); ++i) config.phases[i].json_path = fmt::format("/phases/{}", i);
  for (Taken& t : take_offers(VariableSetView(vars))) {
    PhaseSpec& phase = config.phases[static_cast<size_t>(t.offer.phase)];
    nlohmann::json& fields = t.offer.fields;
    fields["name"] = t.offer.name;
    fields["type"] = t.type;
    phase.checks.push_back({t.offer.name, std::string(t.type), true, std::move(fields),
                            fmt::format("{}/checks/{}", phase.json_path, phase.checks.size())});
  }
  return config;
}

}  // namespace preflight
