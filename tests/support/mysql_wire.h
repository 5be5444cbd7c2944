// The few MySQL protocol packets a misbehaving fixture needs: a server's
// greeting naming its authentication plugin, an AuthSwitchRequest and an
// access-denied error (MariaDB's "Client/Server Protocol" pages).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace preflight::testing {

struct MysqlPacket {
  uint8_t sequence = 0;
  std::string payload;
};

// A packet: 3-byte little-endian length, sequence number, payload.
std::string mysql_packet(uint8_t sequence, std::string_view payload);
// Pops one whole packet from the front of `buffer`.
std::optional<MysqlPacket> pop_mysql_packet(std::string& buffer);
// Protocol 10 handshake (sequence 0) asking for `plugin`.
std::string mysql_greeting(std::string_view plugin);
// 0xFE: the server switches the client to `plugin`.
std::string mysql_auth_switch(uint8_t sequence, std::string_view plugin);
// ERR 1045 (28000), as MariaDB words it.
std::string mysql_access_denied(uint8_t sequence);

}  // namespace preflight::testing
