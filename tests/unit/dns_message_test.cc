// DNS messages against RFC 1035's layout and answers as dnsmasq writes them
// (name compression, CNAME chains).
#include <gtest/gtest.h>

#include "probes/dns/dns_message.h"

namespace preflight::dns {
namespace {

using namespace std::string_literals;

// A response to `query` with `answers` appended (already encoded).
std::string response(const std::string& query, int rcode, int count, const std::string& answers) {
  std::string r = query;
  r[2] = static_cast<char>(0x81);
  r[3] = static_cast<char>(0x80 | rcode);
  r[7] = static_cast<char>(count);
  return r + answers;
}

TEST(DnsMessage, TheQueryIsRfc1035s) {
  auto q = build_query(0x1234, "db.internal.", RecordType::AAAA);
  ASSERT_TRUE(q.ok());
  EXPECT_EQ(*q, "\x12\x34\x01\x00\0\x01\0\0\0\0\0\0\x02" "db\x08" "internal\0\0\x1c\0\x01"s);
}

TEST(DnsMessage, NamesThatAreNotDnsNamesAreRefused) {
  for (const std::string& bad : {""s, "."s, "a..b"s, std::string(64, 'a') + ".com", std::string(254, 'a')}) {
    auto q = build_query(1, bad, RecordType::A);
    ASSERT_FALSE(q.ok()) << bad;
    EXPECT_EQ(q.error().kind, FailureKind::invalid_config);
  }
}

TEST(DnsMessage, AddressesAndAliasesAreReadThroughCompression) {
  std::string q = *build_query(7, "alias.test", RecordType::A);
  // alias.test CNAME web.test (the name is a pointer to the question at
  // offset 12), then web.test A 10.1.2.3 (its name a pointer into the CNAME's data).
  std::string cname = "\xc0\x0c\0\x05\0\x01\0\0\0\x3c\0\x06\x03web\xc0\x12"s;
  std::string a = "\xc0\x2c\0\x01\0\x01\0\0\0\x3c\0\x04\x0a\x01\x02\x03"s;
  auto answer = read_answer(response(q, 0, 2, cname + a), 7, RecordType::A);
  ASSERT_TRUE(answer.ok()) << answer.error().message;
  EXPECT_EQ(answer->records, std::vector<std::string>{"10.1.2.3"});
  EXPECT_EQ(answer->aliases, std::vector<std::string>{"web.test."});
}

TEST(DnsMessage, MxSrvAndTxtAreInPresentationForm) {
  std::string q = *build_query(9, "test", RecordType::MX);
  std::string mx = "\xc0\x0c\0\x0f\0\x01\0\0\0\x3c\0\x09\0\x0a\x04mail\xc0\x0c"s;
  EXPECT_EQ(read_answer(response(q, 0, 1, mx), 9, RecordType::MX)->records, std::vector<std::string>{"mail.test. 10"});
  q = *build_query(9, "t", RecordType::SRV);
  std::string srv = "\xc0\x0c\0\x21\0\x01\0\0\0\x3c\0\x0a\0\x0a\0\x05\x13\xc4\x01s\xc0\x0c"s;
  EXPECT_EQ(read_answer(response(q, 0, 1, srv), 9, RecordType::SRV)->records, std::vector<std::string>{"10 5 5060 s.t."});
  q = *build_query(9, "t", RecordType::TXT);
  std::string txt = "\xc0\x0c\0\x10\0\x01\0\0\0\x3c\0\x08\x03" "abc\x03" "def"s;
  EXPECT_EQ(read_answer(response(q, 0, 1, txt), 9, RecordType::TXT)->records, std::vector<std::string>{"abcdef"});
}

TEST(DnsMessage, TheResponseCodeIsKept) {
  std::string q = *build_query(3, "nope.test", RecordType::A);
  EXPECT_EQ(read_answer(response(q, 3, 0, ""), 3, RecordType::A)->rcode, 3);
  EXPECT_EQ(rcode_name(3), "NXDOMAIN");
  EXPECT_EQ(rcode_name(2), "SERVFAIL");
  EXPECT_EQ(rcode_name(9), "RCODE 9");
}

TEST(DnsMessage, HostileAnswersAreProtocolFailures) {
  std::string q = *build_query(5, "x.test", RecordType::A);
  const std::vector<std::string> bad = {
      "\0\x05"s,                                                     // short
      response(q, 0, 0, "").replace(0, 2, "\0\x06"s),                // another query's ID
      q,                                                             // a query, not a response
      response(q, 0, 1, "\xc0\x0c\0\x01\0\x01\0\0\0\x3c\0\x05\x0a\x01\x02\x03\x04"s),  // an A record of 5 bytes
      response(q, 0, 1, "\xc0\x0c\0\x01\0\x01\0\0\0\x3c\0\x04\x0a"s),                  // runs past the end
      response(q, 0, 1, "\xc0\x30\0\x01\0\x01\0\0\0\x3c\0\x04\x0a\x01\x02\x03"s),      // a pointer forwards (a loop)
  };
  for (const auto& b : bad) {
    auto a = read_answer(b, 5, RecordType::A);
    EXPECT_FALSE(a.ok()) << ::testing::PrintToString(b);
    if (!a.ok()) {
      EXPECT_EQ(a.error().kind, FailureKind::protocol);
    }
  }
}

TEST(DnsMessage, RecordTypesAreNamedEitherCase) {
  EXPECT_EQ(record_type_from_name("srv"), RecordType::SRV);
  EXPECT_EQ(record_type_from_name("AAAA"), RecordType::AAAA);
  EXPECT_FALSE(record_type_from_name("PTR"));
  EXPECT_EQ(record_type_name(RecordType::MX), "MX");
}

}  // namespace
}  // namespace preflight::dns
