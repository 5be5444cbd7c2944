// The response head of a WebSocket upgrade and the reason in a refusal's body.
#include "probes/http/http_head.h"

#include <gtest/gtest.h>

namespace preflight::http {
namespace {

TEST(HttpHead, StatusAndHeadersWithLowerCaseNamesAndTrimmedValues) {
  auto head = parse_head("HTTP/1.1 403 Forbidden\r\nContent-Length:  12 \r\nX-Reason: origin\r\nno colon here");
  EXPECT_EQ(head.status, 403);
  EXPECT_EQ(head.status_line, "HTTP/1.1 403 Forbidden");
  EXPECT_EQ(head.header("content-length"), "12");
  EXPECT_EQ(head.header("x-reason"), "origin");
  EXPECT_EQ(head.header("missing"), "");
}

TEST(HttpHead, NotHttpHasStatusZero) {
  EXPECT_EQ(parse_head("-ERR wrong protocol").status, 0);
  EXPECT_EQ(parse_head("HTTP/1.1").status, 0);
}

TEST(HttpHead, ContentLengthBoundsTheBodyAndSaysWhenItIsAllThere) {
  auto head = parse_head("HTTP/1.1 403 Forbidden\r\nContent-Length: 9");
  EXPECT_FALSE(body_prefix_complete(head, "no to", 200));
  EXPECT_TRUE(body_prefix_complete(head, "no token!", 200));
  EXPECT_EQ(body_prefix(head, "no token!HTTP/1.1 next", 200), "no token!");
  EXPECT_TRUE(body_prefix_complete(head, "no to", 5)) << "only the first `cap` bytes are wanted";
}

TEST(HttpHead, AChunkedBodyIsShownWithoutItsFramingAndEndsAtTheLastChunk) {
  auto head = parse_head("HTTP/1.1 403 Forbidden\r\nTransfer-Encoding: chunked");
  EXPECT_EQ(body_prefix(head, "7\r\norigin \r\ne;ext=1\r\nnot allowed: x\r\n0\r\n\r\n", 200), "origin not allowed: x");
  EXPECT_FALSE(body_prefix_complete(head, "7\r\norigin \r\n", 200));
  EXPECT_TRUE(body_prefix_complete(head, "7\r\norigin \r\n0\r\n\r\n", 200));
  EXPECT_EQ(body_prefix(head, "7\r\norigin \r\ne\r\nnot al", 200), "origin not al") << "a chunk in part";
  EXPECT_EQ(body_prefix(head, "zz\r\nbad", 200), "") << "framing that is not hex shows nothing";
  EXPECT_EQ(body_prefix(head, "7\r\norigin \r\n", 3), "ori");
  // Found by fuzz_http_head: a chunk size of 16 f's made size + 2 wrap to 1,
  // and the same bytes were read again and again.
  EXPECT_EQ(body_prefix(head, "ffffffffffffffff\r\nabc\r\n", 200), "abc\r\n");
}

TEST(HttpHead, NoLengthAndNoChunksWaitsForTheCapOrTheClose) {
  auto head = parse_head("HTTP/1.1 400 Bad Request\r\nConnection: close");
  EXPECT_FALSE(body_prefix_complete(head, "bad upgrade", 200));
  EXPECT_TRUE(body_prefix_complete(head, "bad upgrade", 3));
  EXPECT_EQ(body_prefix(head, "bad upgrade", 200), "bad upgrade");
}

}  // namespace
}  // namespace preflight::http
