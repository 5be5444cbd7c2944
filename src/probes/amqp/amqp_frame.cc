#include "probes/amqp/amqp_frame.h"

#include <fmt/format.h>

namespace preflight::amqp {
namespace {

constexpr uint8_t kFrameEnd = 0xCE;

// Reads big-endian numbers and strings off the front of a view.
class Cursor {
 public:
  explicit Cursor(std::string_view bytes) : bytes_(bytes) {}
  bool u8(uint8_t& v) { return take(1, [&](const unsigned char* p) { v = p[0]; }); }
  bool u16(uint16_t& v) { return take(2, [&](const unsigned char* p) { v = static_cast<uint16_t>(p[0] << 8 | p[1]); }); }
  bool u32(uint32_t& v) {
    return take(4, [&](const unsigned char* p) {
      v = static_cast<uint32_t>(p[0]) << 24 | static_cast<uint32_t>(p[1]) << 16 | static_cast<uint32_t>(p[2]) << 8 | p[3];
    });
  }
  bool bytes(size_t n, std::string_view& out) {
    if (bytes_.size() < n) return false;
    out = bytes_.substr(0, n);
    bytes_.remove_prefix(n);
    return true;
  }
  bool short_string(std::string& out) {
    uint8_t n = 0;
    std::string_view s;
    if (!u8(n) || !bytes(n, s)) return false;
    out = std::string(s);
    return true;
  }
  bool long_string(std::string& out) {
    uint32_t n = 0;
    std::string_view s;
    if (!u32(n) || !bytes(n, s)) return false;
    out = std::string(s);
    return true;
  }

 private:
  template <typename F>
  bool take(size_t n, F&& read) {
    if (bytes_.size() < n) return false;
    read(reinterpret_cast<const unsigned char*>(bytes_.data()));
    bytes_.remove_prefix(n);
    return true;
  }
  std::string_view bytes_;
};

Failure malformed(std::string_view what) {
  return {FailureKind::protocol, fmt::format("the server sent a malformed {}", what), {}, Stage::reply, {}};
}

// A field table entry: name, type and value.
std::string entry(std::string_view name, char type, std::string_view value) {
  return short_string(name) + type + std::string(value);
}

std::string table(std::string_view entries) { return u32(static_cast<uint32_t>(entries.size())) + std::string(entries); }

}  // namespace

std::string u16(uint16_t v) { return {static_cast<char>(v >> 8), static_cast<char>(v & 0xFF)}; }
std::string u32(uint32_t v) {
  return {static_cast<char>(v >> 24), static_cast<char>(v >> 16 & 0xFF), static_cast<char>(v >> 8 & 0xFF), static_cast<char>(v & 0xFF)};
}
std::string short_string(std::string_view s) {
  s = s.substr(0, 255);
  return static_cast<char>(s.size()) + std::string(s);
}
std::string long_string(std::string_view s) { return u32(static_cast<uint32_t>(s.size())) + std::string(s); }

std::string method_frame(Method method, std::string_view arguments) {
  std::string payload = u16(kConnectionClass) + u16(static_cast<uint16_t>(method)) + std::string(arguments);
  return static_cast<char>(FrameType::method) + u16(0) + u32(static_cast<uint32_t>(payload.size())) + payload +
         static_cast<char>(kFrameEnd);
}

std::string start_ok(std::string_view user, std::string_view password) {
  // authentication_failure_close: RabbitMQ then says why it refuses a login
  // (Connection.Close 403) instead of only closing the socket.
  std::string capabilities = table(entry("authentication_failure_close", 't', std::string(1, '\1')));
  std::string properties = table(entry("product", 'S', long_string("preflight")) + entry("capabilities", 'F', capabilities));
  std::string response = std::string(1, '\0') + std::string(user) + '\0' + std::string(password);
  return method_frame(Method::start_ok, properties + short_string("PLAIN") + long_string(response) + short_string("en_US"));
}

std::string tune_ok(uint16_t channel_max, uint32_t frame_max) {
  return method_frame(Method::tune_ok, u16(channel_max) + u32(frame_max) + u16(0));  // heartbeat 0: none
}

std::string open(std::string_view vhost) { return method_frame(Method::open, short_string(vhost) + short_string("") + '\0'); }

std::string close() { return method_frame(Method::close, u16(200) + short_string("preflight is done") + u16(0) + u16(0)); }

Result<std::optional<Frame>> FrameReader::next() {
  if (buffer_.size() < 7) return std::optional<Frame>{};
  Cursor c(buffer_);
  uint8_t type = 0;
  uint16_t channel = 0;
  uint32_t size = 0;
  c.u8(type);
  c.u16(channel);
  c.u32(size);
  if (type != 1 && type != 2 && type != 3 && type != 8) return Unexpected<Failure>{malformed("frame (an unknown frame type)")};
  if (size > max_frame_) return Unexpected<Failure>{malformed(fmt::format("frame ({} bytes, over {})", size, max_frame_))};
  if (buffer_.size() < 7 + static_cast<size_t>(size) + 1) return std::optional<Frame>{};
  if (static_cast<uint8_t>(buffer_[7 + size]) != kFrameEnd) return Unexpected<Failure>{malformed("frame (no frame-end octet)")};
  Frame f{static_cast<FrameType>(type), channel, buffer_.substr(7, size)};
  buffer_.erase(0, 7 + static_cast<size_t>(size) + 1);
  return std::optional<Frame>{std::move(f)};
}

Result<MethodFrame> read_method(std::string_view payload) {
  Cursor c(payload);
  MethodFrame m;
  if (!c.u16(m.class_id) || !c.u16(m.method_id)) return Unexpected<Failure>{malformed("method frame")};
  m.arguments = payload.substr(4);
  return m;
}

Result<std::string> start_mechanisms(std::string_view arguments) {
  Cursor c(arguments);
  uint8_t major = 0, minor = 0;
  uint32_t properties_size = 0;
  std::string_view properties;
  std::string mechanisms;
  if (!c.u8(major) || !c.u8(minor) || !c.u32(properties_size) || !c.bytes(properties_size, properties) || !c.long_string(mechanisms)) {
    return Unexpected<Failure>{malformed("Connection.Start")};
  }
  return mechanisms;
}

Result<Tune> read_tune(std::string_view arguments) {
  Cursor c(arguments);
  Tune t;
  if (!c.u16(t.channel_max) || !c.u32(t.frame_max)) return Unexpected<Failure>{malformed("Connection.Tune")};
  return t;
}

Result<Close> read_close(std::string_view arguments) {
  Cursor c(arguments);
  Close close;
  if (!c.u16(close.code) || !c.short_string(close.text)) return Unexpected<Failure>{malformed("Connection.Close")};
  return close;
}

}  // namespace preflight::amqp
