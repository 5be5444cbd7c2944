#include <vector>

#include "probes/probe_types.h"

namespace preflight {

std::span<const ProbeType> probe_types() {
  // One line per protocol.
  static const std::vector<ProbeType> all = {
      kTcpProbeType,
      kRedisProbeType,
      kPostgresProbeType,
      kHttpProbeType,
      kWebSocketProbeType,
  };
  return all;
}

const ProbeType* find_probe_type(std::string_view name) {
  for (const ProbeType& t : probe_types()) {
    if (t.name == name) return &t;
  }
  return nullptr;
}

}  // namespace preflight
