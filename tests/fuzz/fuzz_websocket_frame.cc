// WebSocket frames from a hostile server, fed in pieces: every frame or a
// protocol failure, payloads never above the cap; and any payload
// round-trips through the encoder, masked or not.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "probes/websocket/websocket_frame.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  bool masked = data[0] & 1;
  size_t chunk = 1 + (data[0] >> 1) % 64;
  std::string_view bytes(reinterpret_cast<const char*>(data) + 1, size - 1);

  constexpr uint64_t kCap = 4096;
  preflight::ws::FrameDecoder decoder(masked, kCap);
  bool failed = false;
  for (size_t at = 0; at < bytes.size() && !failed; at += chunk) {
    decoder.feed(bytes.substr(at, chunk));
    for (int frames = 0; frames < 10'000; ++frames) {
      auto next = decoder.next();
      if (!next.ok()) {
        failed = true;
        break;
      }
      if (!*next) break;
      if ((*next)->payload.size() > kCap) std::abort();
    }
  }

  std::string_view payload = bytes.substr(0, 125);  // fits a control frame too
  std::array<uint8_t, 4> mask{data[0], 0x5a, 0xa5, 0x3c};
  auto opcode = masked ? preflight::ws::Opcode::ping : preflight::ws::Opcode::binary;
  preflight::ws::FrameDecoder back(masked);
  back.feed(preflight::ws::encode_frame(opcode, payload, masked ? std::optional(mask) : std::nullopt));
  auto frame = back.next();
  if (!frame.ok() || !*frame || (*frame)->payload != payload || (*frame)->opcode != opcode) std::abort();
  return 0;
}
