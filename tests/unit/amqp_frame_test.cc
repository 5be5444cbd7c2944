// AMQP 0-9-1 frames as the connection handshake uses them.
#include "probes/amqp/amqp_frame.h"

#include <gtest/gtest.h>

namespace preflight::amqp {
namespace {

TEST(AmqpFrame, AMethodFrameRoundTripsThroughTheReaderInPieces) {
  std::string bytes = open("/my vhost");
  FrameReader reader;
  for (char c : bytes.substr(0, bytes.size() - 1)) {
    reader.feed(std::string(1, c));
    auto f = reader.next();
    ASSERT_TRUE(f.ok());
    EXPECT_FALSE(*f) << "no frame before its last byte";
  }
  reader.feed(bytes.substr(bytes.size() - 1));
  auto f = reader.next();
  ASSERT_TRUE(f.ok() && *f);
  auto m = read_method((*f)->payload);
  ASSERT_TRUE(m.ok());
  EXPECT_TRUE(m->is(Method::open));
  EXPECT_EQ(m->arguments.substr(0, 10), std::string("\x09/my vhost", 10));
}

TEST(AmqpFrame, CloseGivesItsCodeAndText) {
  std::string args = u16(403) + short_string("ACCESS_REFUSED - Login was refused") + u16(10) + u16(11);
  auto close = read_close(args);
  ASSERT_TRUE(close.ok());
  EXPECT_EQ(close->code, 403);
  EXPECT_EQ(close->text, "ACCESS_REFUSED - Login was refused");
  EXPECT_FALSE(read_close(u16(403) + std::string(1, '\x20') + "short").ok()) << "a text shorter than its length";
}

TEST(AmqpFrame, StartGivesTheMechanismsPastTheServerProperties) {
  std::string args = std::string("\x00\x09", 2) + u32(3) + "abc" + long_string("PLAIN AMQPLAIN") + long_string("en_US");
  auto mechanisms = start_mechanisms(args);
  ASSERT_TRUE(mechanisms.ok());
  EXPECT_EQ(*mechanisms, "PLAIN AMQPLAIN");
  EXPECT_FALSE(start_mechanisms(std::string("\x00\x09", 2) + u32(1000) + "abc").ok());
}

TEST(AmqpFrame, ABadFrameEndAnOversizedFrameAndAnUnknownTypeAreRefused) {
  FrameReader bad_end;
  std::string frame = close();
  frame.back() = 'x';
  bad_end.feed(frame);
  EXPECT_FALSE(bad_end.next().ok());
  FrameReader small(16);
  small.feed(close());
  EXPECT_FALSE(small.next().ok());
  FrameReader unknown;
  unknown.feed(std::string("\x07\x00\x00\x00\x00\x00\x00\xce", 8));
  EXPECT_FALSE(unknown.next().ok());
}

}  // namespace
}  // namespace preflight::amqp
