// A hostile server's health reply and grpc-message: a status or a protocol
// failure, never a read past the body; a request round-trips its service.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "probes/grpc/grpc_health.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  static_cast<void>(preflight::grpc::read_health_response(bytes));
  if (preflight::grpc::decode_message(bytes).size() > bytes.size()) std::abort();
  // A request is a well-formed message: the reader takes it (as a response
  // whose field 1 is a string, which it skips).
  if (size < 1000 && !preflight::grpc::read_health_response(preflight::grpc::health_check_request(bytes)).ok()) std::abort();
  return 0;
}
