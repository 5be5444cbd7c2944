// The dns check against dnsmasq (Debian's package) serving a test zone, and
// against small UDP fixtures for what a working server does not do: answer
// SERVFAIL, answer another query's ID, or never answer.


#include <gtest/gtest.h>

#include "binary_harness.h"
#include "harness.h"
#include "loopback_daemon.h"
#include "refused_port.h"
#include "udp_fixture.h"

namespace preflight::testing {
namespace {

class Dnsmasq : public LoopbackDaemon {
 public:
  Dnsmasq()
      : LoopbackDaemon([](int port) {
          return std::vector<std::string>{
              "/usr/sbin/dnsmasq", "--keep-in-foreground", "--port=" + std::to_string(port), "--listen-address=127.0.0.1",
              "--bind-interfaces", "--no-resolv", "--no-hosts", "--conf-file=/dev/null", "--pid-file=", "--user=root",
              "--local=/test/",  // names under test. that it does not have are NXDOMAIN
              "--host-record=web.test,10.1.2.3,2001:db8::1", "--host-record=v4only.test,10.9.9.9",
              "--mx-host=test,mail.test,10", "--txt-record=web.test,v=spf1 -all",
              "--srv-host=_sip._tcp.test,sip.test,5060,10,5", "--cname=alias.test,web.test"};
        }) {}
};

// The query sent back as a response with `rcode` and no records.
std::string respond(const std::string& query, int rcode) {
  std::string r = query;
  r[2] = static_cast<char>(0x81);  // QR, RD
  r[3] = static_cast<char>(0x80 | rcode);  // RA, RCODE
  return r;
}

std::string dns_check(const std::string& url, const std::string& extra = "") {
  return fmt::format(R"({{"name":"d","type":"dns","url":"{}"{}}})", url, extra);
}

class Dns : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { server_ = new Dnsmasq; }
  static void TearDownTestSuite() { delete server_; }
  void SetUp() override {
    if (server_->unavailable()) GTEST_SKIP() << "dnsmasq is not installed (dnsmasq-base)";
  }
  static std::string at(const std::string& name_and_query) { return fmt::format("dns://127.0.0.1:{}/{}", server_->port(), name_and_query); }
  static Dnsmasq* server_;
};
Dnsmasq* Dns::server_ = nullptr;

TEST_F(Dns, EveryRecordTypeIsAskedForAndFound) {
  for (std::string q : {"web.test", "web.test?type=AAAA", "test?type=MX", "web.test?type=TXT", "_sip._tcp.test?type=SRV",
                               "alias.test?type=CNAME", "alias.test"}) {
    auto r = run_one(dns_check(at(q)), "2s", true);
    EXPECT_EQ(r.report.status, CheckStatus::passed) << q << ": " << describe(r.report);
  }
}

TEST_F(Dns, ExpectedValuesAreComparedInPresentationForm) {
  auto ok = run_one(dns_check(at("test"), R"(,"record":"MX","expect":{"contains":["mail.test. 10"]})"), "2s", true);
  EXPECT_EQ(ok.report.status, CheckStatus::passed) << describe(ok.report);
  auto srv = run_one(dns_check(at("_sip._tcp.test"), R"(,"record":"srv","expect":{"contains":["10 5 5060 sip.test."]})"), "2s", true);
  EXPECT_EQ(srv.report.status, CheckStatus::passed) << describe(srv.report);
  auto txt = run_one(dns_check(at("web.test"), R"(,"record":"TXT","expect":{"contains":["v=spf1 -all"]})"), "2s", true);
  EXPECT_EQ(txt.report.status, CheckStatus::passed) << describe(txt.report);
  // Through the alias to web.test's address.
  auto alias = run_one(dns_check(at("alias.test"), R"(,"expect":{"contains":["10.1.2.3"]})"), "2s", true);
  EXPECT_EQ(alias.report.status, CheckStatus::passed) << describe(alias.report);
  auto moved = run_one(dns_check(at("web.test"), R"(,"expect":{"contains":["10.1.2.4"]})"), "2s", true);
  ASSERT_TRUE(moved.report.error);
  EXPECT_EQ(moved.report.error->kind, FailureKind::unhealthy) << describe(moved.report);
  EXPECT_NE(moved.report.error->message.find("[10.1.2.3]"), std::string::npos) << describe(moved.report);
}

TEST_F(Dns, NxdomainAndNoDataAreToldApart) {
  auto missing = run_one(dns_check(at("nope.test")), "300ms", true);
  ASSERT_TRUE(missing.report.error);
  EXPECT_EQ(missing.report.error->kind, FailureKind::dns) << describe(missing.report);
  EXPECT_EQ(missing.report.error->code, "NXDOMAIN");
  auto v4only = run_one(dns_check(at("v4only.test?type=AAAA")), "300ms", true);
  ASSERT_TRUE(v4only.report.error);
  EXPECT_EQ(v4only.report.error->kind, FailureKind::dns) << describe(v4only.report);
  EXPECT_EQ(v4only.report.error->code, "NODATA");
  EXPECT_NE(v4only.report.error->message.find("exists but has no AAAA record"), std::string::npos) << describe(v4only.report);
}

TEST(DnsProbe, ServfailIsNamedAsTheServersFailureNotTheNames) {
  UdpFixture servfail([](const std::string& q) { return respond(q, 2); });
  auto r = run_one(dns_check(fmt::format("dns://127.0.0.1:{}/db.internal", servfail.port())), "300ms", true);
  ASSERT_TRUE(r.report.error);
  EXPECT_EQ(r.report.error->kind, FailureKind::dns) << describe(r.report);
  EXPECT_EQ(r.report.error->code, "SERVFAIL");
  EXPECT_NE(r.report.error->hint.find("may well exist"), std::string::npos) << describe(r.report);
}

TEST(DnsProbe, ASilentServerIsATimeoutAfterRetransmissions) {
  UdpFixture silent([](const std::string&) { return std::string(); });
  auto r = run_one(dns_check(fmt::format("dns://127.0.0.1:{}/db.internal", silent.port())), "1500ms", true);
  ASSERT_TRUE(r.report.error);
  EXPECT_EQ(r.report.error->kind, FailureKind::timeout) << describe(r.report);
  EXPECT_EQ(to_string(r.report.error->stage), "resolve");
  // One query, then one more after the 1 s retransmission interval.
  EXPECT_EQ(silent.queries(), 2) << describe(r.report);
  EXPECT_LT(r.phase_ms, 1500 + kDeadlineSlackMs);
}

TEST(DnsProbe, AnAnswerToAnotherQueryIsIgnored) {
  // A spoofed or late answer with the wrong ID, then silence: never taken
  // as the answer.
  UdpFixture wrong_id([](const std::string& q) {
    std::string r = respond(q, 3);
    r[0] = static_cast<char>(r[0] ^ 0x55);
    return r;
  });
  auto r = run_one(dns_check(fmt::format("dns://127.0.0.1:{}/db.internal", wrong_id.port())), "300ms", true);
  ASSERT_TRUE(r.report.error);
  EXPECT_EQ(r.report.error->kind, FailureKind::timeout) << describe(r.report);
}

TEST(DnsProbe, NothingListeningIsRefusedAtOnce) {
  RefusedPort nothing(RefusedPort::Protocol::udp);
  auto r = run_one(dns_check(fmt::format("dns://127.0.0.1:{}/db.internal", nothing.port())), "1s", true);
  ASSERT_TRUE(r.report.error);
  EXPECT_EQ(r.report.error->kind, FailureKind::connection_refused) << describe(r.report);
  EXPECT_LT(r.phase_ms, 500);  // an ICMP answer, not the deadline (generous for a loaded machine)
}

TEST(DnsProbe, BadInputIsRefusedOffline) {
  auto config = parse_config(fmt::format(R"({{"phases":[{{"name":"p","checks":[{}]}}]}})", dns_check("dns://db.internal", R"(,"record":"PTRX")")),
                             "c.json");
  ASSERT_FALSE(config.ok());
  EXPECT_NE(config.error().message.find("record: expected one of A, AAAA"), std::string::npos) << config.error().message;
  auto named = run_one(dns_check("dns://db.internal", R"(,"server":"ns1.example.com")"), "300ms", true);
  ASSERT_TRUE(named.report.error);
  EXPECT_EQ(named.report.error->kind, FailureKind::invalid_config) << describe(named.report);
  EXPECT_NE(named.report.error->message.find("not an IP address"), std::string::npos) << describe(named.report);
  auto long_label = run_one(dns_check("dns://" + std::string(64, 'a') + ".internal"), "300ms", true);
  ASSERT_TRUE(long_label.report.error);
  EXPECT_EQ(long_label.report.error->kind, FailureKind::invalid_config) << describe(long_label.report);
}

}  // namespace
}  // namespace preflight::testing
