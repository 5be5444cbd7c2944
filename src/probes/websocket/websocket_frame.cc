#include "websocket_frame.h"

#include <openssl/sha.h>

#include <fmt/format.h>

#include "base/redact.h"

namespace preflight::ws {
namespace {

bool known_opcode(uint8_t op) { return op <= 2 || (op >= 8 && op <= 10); }

}  // namespace

std::string encode_frame(Opcode opcode, std::string_view payload, std::optional<std::array<uint8_t, 4>> mask, bool fin) {
  std::string out;
  out += static_cast<char>((fin ? 0x80 : 0x00) | static_cast<uint8_t>(opcode));
  const uint8_t mask_bit = mask ? 0x80 : 0x00;
  uint64_t len = payload.size();
  if (len < 126) {
    out += static_cast<char>(mask_bit | len);
  } else if (len <= 0xFFFF) {
    out += static_cast<char>(mask_bit | 126);
    out += static_cast<char>((len >> 8) & 0xFF);
    out += static_cast<char>(len & 0xFF);
  } else {
    out += static_cast<char>(mask_bit | 127);
    for (int shift = 56; shift >= 0; shift -= 8) out += static_cast<char>((len >> shift) & 0xFF);
  }
  if (!mask) return out + std::string(payload);
  for (uint8_t b : *mask) out += static_cast<char>(b);
  for (size_t i = 0; i < payload.size(); ++i) out += static_cast<char>(payload[i] ^ (*mask)[i % 4]);
  return out;
}

std::string accept_key(std::string_view client_key) {
  std::string input = std::string(client_key) + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
  unsigned char digest[SHA_DIGEST_LENGTH];
  SHA1(reinterpret_cast<const unsigned char*>(input.data()), input.size(), digest);
  return base64_encode(std::string_view(reinterpret_cast<const char*>(digest), sizeof digest));
}

Result<std::optional<Frame>> FrameDecoder::next() {
  const auto* b = reinterpret_cast<const uint8_t*>(buffer_.data());
  size_t have = buffer_.size();
  if (have < 2) return std::optional<Frame>{};
  Frame frame;
  frame.fin = (b[0] & 0x80) != 0;
  if (b[0] & 0x70) return fail(FailureKind::protocol, "WebSocket frame with reserved bits set (no extension was negotiated)");
  uint8_t op = b[0] & 0x0F;
  if (!known_opcode(op)) return fail(FailureKind::protocol, fmt::format("WebSocket frame with unknown opcode {}", op));
  frame.opcode = static_cast<Opcode>(op);
  bool is_masked = (b[1] & 0x80) != 0;
  if (is_masked != masked_) {
    return fail(FailureKind::protocol, masked_ ? "unmasked WebSocket frame from a client" : "masked WebSocket frame from the server");
  }
  uint64_t len = b[1] & 0x7F;
  size_t header = 2;
  if (len == 126) {
    if (have < 4) return std::optional<Frame>{};
    len = (uint64_t{b[2]} << 8) | b[3];
    header = 4;
  } else if (len == 127) {
    if (have < 10) return std::optional<Frame>{};
    len = 0;
    for (int i = 0; i < 8; ++i) len = (len << 8) | b[2 + i];
    header = 10;
  }
  bool control = op >= 8;
  if (control && (len > 125 || !frame.fin)) {
    return fail(FailureKind::protocol, "WebSocket control frame that is fragmented or over 125 bytes");
  }
  if (len > max_payload_) {
    return fail(FailureKind::protocol, fmt::format("WebSocket frame of {} bytes, over the {} byte limit", len, max_payload_));
  }
  size_t mask_at = header;
  if (masked_) header += 4;
  if (have < header + len) return std::optional<Frame>{};
  frame.payload = buffer_.substr(header, static_cast<size_t>(len));
  if (masked_) {
    for (size_t i = 0; i < frame.payload.size(); ++i) frame.payload[i] = static_cast<char>(frame.payload[i] ^ b[mask_at + i % 4]);
  }
  buffer_.erase(0, header + static_cast<size_t>(len));
  return std::optional<Frame>{std::move(frame)};
}

}  // namespace preflight::ws
