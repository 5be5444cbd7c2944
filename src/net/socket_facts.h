// A Unix socket that could not be reached, looked at on disk inside the
// attempt: does it exist, and how far does its path exist.
#pragma once

#include <string>

#include "base/failure.h"

namespace preflight::net {

SocketFacts inspect_socket(const std::string& socket_path);

// `f` with socket_facts set when it is a failure to reach a socket that is
// not there (connection_refused); unchanged otherwise.
Failure with_socket_facts(Failure f, const std::string& socket_path);

}  // namespace preflight::net
