#include "mysql_wire.h"

namespace preflight::testing {
namespace {

// CLIENT_LONG_PASSWORD, CONNECT_WITH_DB, PROTOCOL_41, TRANSACTIONS,
// SECURE_CONNECTION, MULTI_RESULTS, PLUGIN_AUTH.
constexpr uint32_t kCapabilities = 0x1 | 0x8 | 0x200 | 0x2000 | 0x8000 | 0x20000 | 0x80000;
constexpr std::string_view kScramble = "0123456789abcdefghij";  // 20 bytes

void put_le(std::string& out, uint32_t value, int bytes) {
  for (int i = 0; i < bytes; ++i) out += static_cast<char>((value >> (8 * i)) & 0xff);
}

}  // namespace

std::string mysql_packet(uint8_t sequence, std::string_view payload) {
  std::string out;
  put_le(out, static_cast<uint32_t>(payload.size()), 3);
  out += static_cast<char>(sequence);
  out.append(payload);
  return out;
}

std::optional<MysqlPacket> pop_mysql_packet(std::string& buffer) {
  if (buffer.size() < 4) return std::nullopt;
  const size_t length = static_cast<uint8_t>(buffer[0]) | static_cast<uint8_t>(buffer[1]) << 8 | static_cast<uint8_t>(buffer[2]) << 16;
  if (buffer.size() < 4 + length) return std::nullopt;
  MysqlPacket p{static_cast<uint8_t>(buffer[3]), buffer.substr(4, length)};
  buffer.erase(0, 4 + length);
  return p;
}

std::string mysql_greeting(std::string_view plugin) {
  std::string p;
  p += '\x0a';
  p += "5.5.5-10.11.0-MariaDB-fixture";
  p += '\0';
  put_le(p, 7, 4);  // thread id
  p.append(kScramble.substr(0, 8));
  p += '\0';
  put_le(p, kCapabilities & 0xffff, 2);
  p += '\x21';      // utf8_general_ci
  put_le(p, 2, 2);  // SERVER_STATUS_AUTOCOMMIT
  put_le(p, kCapabilities >> 16, 2);
  p += static_cast<char>(kScramble.size() + 1);
  p.append(10, '\0');
  p.append(kScramble.substr(8));
  p += '\0';
  p.append(plugin);
  p += '\0';
  return mysql_packet(0, p);
}

std::string mysql_auth_switch(uint8_t sequence, std::string_view plugin) {
  std::string p = "\xfe";
  p.append(plugin);
  p += '\0';
  p.append(kScramble);
  p += '\0';
  return mysql_packet(sequence, p);
}

std::string mysql_access_denied(uint8_t sequence) {
  std::string p = "\xff";
  put_le(p, 1045, 2);
  p += "#28000Access denied for user 'app'@'127.0.0.1' (using password: YES)";
  return mysql_packet(sequence, p);
}

}  // namespace preflight::testing
