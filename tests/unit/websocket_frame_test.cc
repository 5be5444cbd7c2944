#include "probes/websocket/websocket_frame.h"

#include <gtest/gtest.h>

namespace preflight::ws {
namespace {

Frame decode_one(FrameDecoder& d, const std::string& bytes) {
  d.feed(bytes);
  auto f = d.next();
  EXPECT_TRUE(f.ok()) << (f.ok() ? "" : f.error().message);
  EXPECT_TRUE(f.ok() && *f);
  return f.ok() && *f ? **f : Frame{};
}

TEST(WebSocketAccept, MatchesTheRfcExample) {
  EXPECT_EQ(accept_key("dGhlIHNhbXBsZSBub25jZQ=="), "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
}

TEST(WebSocketFrame, MaskedRoundTripAtEveryLengthEncoding) {
  for (size_t len : {0u, 5u, 125u, 126u, 65535u, 65536u}) {
    std::string payload(len, 'a');
    FrameDecoder server(true, 1 << 20);
    Frame f = decode_one(server, encode_frame(Opcode::binary, payload, std::array<uint8_t, 4>{1, 2, 3, 4}));
    EXPECT_EQ(f.payload, payload) << len;
    EXPECT_EQ(f.opcode, Opcode::binary);
  }
}

TEST(WebSocketFrame, NeedsMoreBytesUntilTheFrameIsComplete) {
  FrameDecoder client(false);
  std::string bytes = encode_frame(Opcode::pong, "preflight", std::nullopt);
  client.feed(bytes.substr(0, 3));
  EXPECT_FALSE(*client.next());
  client.feed(bytes.substr(3));
  auto f = client.next();
  ASSERT_TRUE(f.ok() && *f);
  EXPECT_EQ((*f)->opcode, Opcode::pong);
  EXPECT_EQ((*f)->payload, "preflight");
}

TEST(WebSocketFrame, KeepsFragmentFlags) {
  FrameDecoder client(false);
  Frame first = decode_one(client, encode_frame(Opcode::text, "hel", std::nullopt, false));
  EXPECT_FALSE(first.fin);
  Frame rest = decode_one(client, encode_frame(Opcode::continuation, "lo", std::nullopt, true));
  EXPECT_TRUE(rest.fin);
  EXPECT_EQ(rest.opcode, Opcode::continuation);
}

TEST(WebSocketFrame, RejectsOversizedPayloadBeforeBufferingIt) {
  FrameDecoder client(false, 1024);
  client.feed(std::string("\x82\x7f\x00\x00\x01\x00\x00\x00\x00\x00", 10));  // 1 TiB announced
  auto f = client.next();
  ASSERT_FALSE(f.ok());
  EXPECT_NE(f.error().message.find("over the 1024 byte limit"), std::string::npos);
}

TEST(WebSocketFrame, RejectsMalformedFrames) {
  for (const std::string& bad : {std::string("\xC2\x00", 2),    // reserved bit
                                 std::string("\x83\x00", 2),    // unknown opcode 3
                                 std::string("\x09\x00", 2),    // fragmented ping
                                 std::string("\x89\x7e\x00\x7e", 4),  // 126-byte ping
                                 std::string("\x82\x81\x00\x00\x00\x00\x00", 7)}) {  // masked from server
    FrameDecoder client(false);
    client.feed(bad);
    EXPECT_FALSE(client.next().ok()) << static_cast<int>(static_cast<uint8_t>(bad[0]));
  }
}

}  // namespace
}  // namespace preflight::ws
