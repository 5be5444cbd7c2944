// The probe types, each defined in its own file; registry.cc lists them.
#pragma once

#include "preflight/probe.h"

namespace preflight {

extern const ProbeType kTcpProbeType;
extern const ProbeType kRedisProbeType;
extern const ProbeType kPostgresProbeType;
extern const ProbeType kHttpProbeType;
extern const ProbeType kWebSocketProbeType;

}  // namespace preflight
