// WebSocket (RFC 6455) frames and the handshake key. No sockets: fed bytes.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "base/result.h"

namespace preflight::ws {

enum class Opcode : uint8_t { continuation = 0, text = 1, binary = 2, close = 8, ping = 9, pong = 10 };

struct Frame {
  bool fin = true;
  Opcode opcode = Opcode::binary;
  std::string payload;
};

// A client frame is masked with `mask`; a server frame (mask = nullopt) is not.
std::string encode_frame(Opcode opcode, std::string_view payload, std::optional<std::array<uint8_t, 4>> mask,
                         bool fin = true);

// Sec-WebSocket-Accept for a Sec-WebSocket-Key: base64(SHA-1(key + GUID)).
std::string accept_key(std::string_view client_key);

class FrameDecoder {
 public:
  // `masked`: whether frames must be masked (true when decoding a client's
  // frames, as a server does). Payloads over max_payload are refused before
  // they are buffered.
  explicit FrameDecoder(bool masked, uint64_t max_payload = 64 * 1024) : masked_(masked), max_payload_(max_payload) {}

  void feed(std::string_view bytes) { buffer_.append(bytes); }
  // The next complete frame, nullopt when more bytes are needed, or a
  // protocol failure: reserved bits, unknown opcode, a fragmented or
  // oversized (> 125 bytes) control frame, wrong masking, oversized payload.
  Result<std::optional<Frame>> next();

 private:
  bool masked_;
  uint64_t max_payload_;
  std::string buffer_;
};

}  // namespace preflight::ws
