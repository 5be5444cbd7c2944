#include "probes/redis/resp.h"

#include <gtest/gtest.h>

#include "base/redact.h"

namespace preflight::resp {
namespace {

const Redactor kNoSecrets;

TEST(RespFormat, FormatsCommandAsArrayOfBulkStrings) {
  EXPECT_EQ(format_command({"AUTH", "p w"}), "*2\r\n$4\r\nAUTH\r\n$3\r\np w\r\n");
}

TEST(RespReader, NeedsMoreBytesUntilTheLineEnds) {
  Reader r(kNoSecrets);
  r.feed("+PO");
  auto a = r.next();
  ASSERT_TRUE(a.ok());
  EXPECT_FALSE(*a);
  r.feed("NG\r\n");
  auto b = r.next();
  ASSERT_TRUE(b.ok());
  ASSERT_TRUE(*b);
  EXPECT_EQ((*b)->type, Reply::Type::status);
  EXPECT_EQ((*b)->text, "PONG");
}

TEST(RespReader, ReadsPipelinedRepliesInOrder) {
  Reader r(kNoSecrets);
  r.feed("+OK\r\n-LOADING Redis is loading\r\n:42\r\n");
  EXPECT_EQ((*r.next())->type, Reply::Type::status);
  auto e = *r.next();
  EXPECT_EQ(e->type, Reply::Type::error);
  EXPECT_EQ(e->text, "LOADING Redis is loading");
  EXPECT_EQ((*r.next())->integer, 42);
  EXPECT_FALSE(*r.next());
}

TEST(RespReader, RejectsNonRespBytesQuotingThem) {
  Reader r(kNoSecrets);
  r.feed("HTTP/1.1 400 Bad Request\r\n");
  auto e = r.next();
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.error().kind, FailureKind::protocol);
  EXPECT_NE(e.error().message.find("HTTP/1.1 400"), std::string::npos);
}

TEST(RespReader, GivesUpOnEndlessReply) {
  Reader r(kNoSecrets, 1024);
  r.feed("+");
  std::string chunk(512, 'P');
  bool failed = false;
  for (int i = 0; i < 10 && !failed; ++i) {
    r.feed(chunk);
    failed = !r.next().ok();
  }
  EXPECT_TRUE(failed);
}

}  // namespace
// Found by fuzz_resp: the header alone made hiredis allocate 1.6 GB.
TEST(Reader, AHugeArrayHeaderIsRefusedBeforeAnythingIsAllocated) {
  Reader reader(kNoSecrets);
  reader.feed("*199999999\r\n");
  auto r = reader.next();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, FailureKind::protocol);
  EXPECT_NE(r.error().message.find("more than 1024 elements"), std::string::npos) << r.error().message;
  Reader small(kNoSecrets);
  small.feed("*2\r\n+a\r\n:1\r\n");
  auto ok = small.next();
  ASSERT_TRUE(ok.ok() && *ok);
  EXPECT_EQ((*ok)->type, Reply::Type::array);
}

TEST(RespReader, QuotesWhatItCannotReadScrubbedWithItsRedactor) {
  const Redactor redactor({"canary-secret-123"});
  Reader r(redactor);
  // Not RESP: a server that echoes the AUTH line back as plain text, the
  // secret straddling the quote's 40-byte cut.
  r.feed(std::string(30, 'a') + "canary-secret-123 and more after it\r\n");
  auto e = r.next();
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.error().message.find("canary"), std::string::npos) << e.error().message;
  // The mask takes the word the secret is in.
  EXPECT_NE(e.error().message.find("\"*** and more"), std::string::npos) << e.error().message;
}

}  // namespace preflight::resp
