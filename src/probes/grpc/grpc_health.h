// The grpc.health.v1.Health/Check exchange as bytes, without a socket: the
// request message in its gRPC frame, the response read back, and the names
// of gRPC's status codes (https://grpc.github.io/grpc/core/md_doc_statuscodes.html).
#pragma once

#include <string>
#include <string_view>

#include "base/result.h"

namespace preflight::grpc {

inline constexpr std::string_view kHealthCheckPath = "/grpc.health.v1.Health/Check";

// HealthCheckResponse.ServingStatus.
enum class Serving { unknown = 0, serving = 1, not_serving = 2, service_unknown = 3 };

// A HealthCheckRequest{service} as one uncompressed, length-prefixed message.
std::string health_check_request(std::string_view service);

// The serving status in a response body of exactly one message; a protocol
// failure for anything else (compressed, truncated, trailing bytes, a
// malformed protobuf). Unknown fields are skipped, as protobuf requires.
Result<int> read_health_response(std::string_view body);

// "SERVING", "NOT_SERVING"...; "status 7" for one this version does not know.
std::string serving_name(int status);
// "OK", "UNAVAILABLE"...; "status 42" beyond the 17 codes.
std::string status_code_name(int code);
// The code a client assigns to a response whose HTTP status is not 200
// (gRPC's "HTTP to gRPC status code mapping").
int status_from_http(long http_status);
// grpc-message is percent-encoded (the spec's Percent-Encoded); a broken
// escape stays as it was.
std::string decode_message(std::string_view text);

}  // namespace preflight::grpc
