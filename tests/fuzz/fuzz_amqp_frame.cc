// A hostile broker's bytes, fed to the AMQP frame reader in pieces: every
// frame or a protocol failure, never a frame over the cap, and every
// method argument reader safe on any payload.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "probes/amqp/amqp_frame.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  size_t chunk = 1 + data[0] % 64;
  std::string_view bytes(reinterpret_cast<const char*>(data) + 1, size - 1);
  constexpr size_t kCap = 4096;
  preflight::amqp::FrameReader reader(kCap);
  for (size_t at = 0; at < bytes.size(); at += chunk) {
    reader.feed(bytes.substr(at, chunk));
    for (int frames = 0; frames < 10'000; ++frames) {
      auto next = reader.next();
      if (!next.ok()) return 0;
      if (!*next) break;
      if ((*next)->payload.size() > kCap) std::abort();
      auto method = preflight::amqp::read_method((*next)->payload);
      if (!method.ok()) continue;
      static_cast<void>(preflight::amqp::start_mechanisms(method->arguments));
      static_cast<void>(preflight::amqp::read_tune(method->arguments));
      static_cast<void>(preflight::amqp::read_close(method->arguments));
    }
  }
  return 0;
}
