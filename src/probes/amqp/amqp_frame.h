// AMQP 0-9-1 frames, as far as opening and closing a connection needs
// them (the protocol's section 4.2 and the connection class). No sockets:
// fed bytes.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "base/result.h"

namespace preflight::amqp {

inline constexpr std::string_view kProtocolHeader{"AMQP\x00\x00\x09\x01", 8};

enum class FrameType : uint8_t { method = 1, header = 2, body = 3, heartbeat = 8 };

struct Frame {
  FrameType type = FrameType::method;
  uint16_t channel = 0;
  std::string payload;
};

// The connection class's methods (class 10).
enum class Method : uint16_t {
  start = 10, start_ok = 11, secure = 20, secure_ok = 21, tune = 30, tune_ok = 31,
  open = 40, open_ok = 41, close = 50, close_ok = 51, blocked = 60, unblocked = 61,
};
inline constexpr uint16_t kConnectionClass = 10;

// A method frame on channel 0: class, method and the encoded arguments.
std::string method_frame(Method method, std::string_view arguments);

// Argument encoders (big-endian, as the protocol has it).
std::string short_string(std::string_view s);  // at most 255 bytes: longer is cut
std::string long_string(std::string_view s);
std::string u16(uint16_t v);
std::string u32(uint32_t v);

// The methods the client sends.
std::string start_ok(std::string_view user, std::string_view password);
std::string tune_ok(uint16_t channel_max, uint32_t frame_max);
std::string open(std::string_view vhost);
std::string close();

// Splits frames off a buffer. A frame over max_frame bytes, a bad frame-end
// octet or an unknown type is a protocol failure.
class FrameReader {
 public:
  explicit FrameReader(size_t max_frame = 128 * 1024) : max_frame_(max_frame) {}
  void feed(std::string_view bytes) { buffer_.append(bytes); }
  // The next whole frame, nullopt when more bytes are needed.
  Result<std::optional<Frame>> next();
  // What the server sent before any frame: a protocol header of its own
  // when it speaks another version ("AMQP\0\0\x09\x01" refused).
  std::string_view buffered() const { return buffer_; }

 private:
  size_t max_frame_;
  std::string buffer_;
};

// A connection-class method read from a method frame's payload.
struct MethodFrame {
  uint16_t class_id = 0;
  uint16_t method_id = 0;
  std::string_view arguments;
  bool is(Method m) const { return class_id == kConnectionClass && method_id == static_cast<uint16_t>(m); }
};
Result<MethodFrame> read_method(std::string_view payload);

// Connection.Start's mechanisms ("PLAIN AMQPLAIN"); Connection.Tune's
// limits; Connection.Close's reply code and text.
Result<std::string> start_mechanisms(std::string_view arguments);
struct Tune {
  uint16_t channel_max = 0;
  uint32_t frame_max = 0;
};
Result<Tune> read_tune(std::string_view arguments);
struct Close {
  uint16_t code = 0;
  std::string text;
};
Result<Close> read_close(std::string_view arguments);

}  // namespace preflight::amqp
