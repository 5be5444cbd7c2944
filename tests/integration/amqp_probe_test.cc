// The amqp check against a real RabbitMQ (Debian's rabbitmq-server), which
// takes seconds to start: one broker for the suite, each form and failure
// class a row of one test. Fixtures for what a broker does not do.
#include <gtest/gtest.h>

#include "binary_harness.h"
#include "fixture_server.h"
#include "harness.h"
#include "rabbitmq_server.h"

namespace preflight::testing {
namespace {

std::string amqp_check(const std::string& url) { return fmt::format(R"({{"name":"broker","type":"amqp","url":"{}"}})", url); }

TEST(Amqp, LoginAndVirtualHostAgainstARealBroker) {
  RabbitmqServer broker;
  if (!broker.unavailable_reason().empty()) GTEST_SKIP() << broker.unavailable_reason();
  const std::string user = RabbitmqServer::kUser, pw = RabbitmqServer::kPassword, vhost = RabbitmqServer::kVhost;
  const int port = broker.port();
  for (const std::string& url : {fmt::format("amqp://{}:{}@127.0.0.1:{}/{}", user, pw, port, vhost),
                                 fmt::format("pyamqp://{}:{}@localhost:{}/{}", user, pw, port, vhost),  // Celery
                                 fmt::format("librabbitmq://{}:{}@127.0.0.1:{}/{}", user, pw, port, vhost)}) {
    auto r = run_one(amqp_check(url), "5s", true);
    EXPECT_EQ(r.report.status, CheckStatus::passed) << url << "\n" << describe(r.report);
  }

  auto wrong = run_one(amqp_check(fmt::format("amqp://{}:stale-rabbit-pw@127.0.0.1:{}/{}", user, port, vhost)), "5s");
  ASSERT_TRUE(wrong.report.error);
  EXPECT_EQ(wrong.report.error->kind, FailureKind::auth) << describe(wrong.report);
  EXPECT_EQ(wrong.report.error->code, "ACCESS_REFUSED") << describe(wrong.report);
  EXPECT_EQ(wrong.report.attempts, 1);
  EXPECT_EQ(describe(wrong.report).find("stale-rabbit-pw"), std::string::npos) << describe(wrong.report);
  EXPECT_EQ(wrong.report.error->hint.find("roles/run.invoker"), std::string::npos) << "an AMQP 403 is not HTTP's";

  auto guest = run_one(amqp_check(fmt::format("amqp://127.0.0.1:{}//", port)), "5s", true);
  ASSERT_TRUE(guest.report.error);
  EXPECT_EQ(guest.report.error->kind, FailureKind::auth) << describe(guest.report);
  EXPECT_NE(guest.report.error->hint.find("guest/guest was sent"), std::string::npos) << describe(guest.report);

  auto no_vhost = run_one(amqp_check(fmt::format("amqp://{}:{}@127.0.0.1:{}/no-such-vhost", user, pw, port)), "5s");
  ASSERT_TRUE(no_vhost.report.error);
  EXPECT_EQ(no_vhost.report.error->kind, FailureKind::invalid_config) << describe(no_vhost.report);
  EXPECT_EQ(no_vhost.report.error->code, "NOT_ALLOWED") << describe(no_vhost.report);
  EXPECT_NE(no_vhost.report.error->hint.find("virtual host"), std::string::npos) << describe(no_vhost.report);

  // Celery's broker URL in the default profile, and the secret never shown.
  auto profile = run_clean(cmd({"--once"}), {{"CELERY_BROKER_URL", fmt::format("amqp://{}:{}@127.0.0.1:{}/{}", user, pw, port, vhost)}});
  EXPECT_EQ(profile.exit_code, 0) << profile.out << profile.err;
  EXPECT_NE(profile.out.find("amqp"), std::string::npos) << profile.out;
  EXPECT_EQ((profile.out + profile.err).find(pw), std::string::npos) << profile.out << profile.err;
}

TEST(AmqpProbe, AnHttpServerOnTheBrokerPortIsAProtocolFailure) {
  FixtureServer http(Behaviour::garbage);
  auto r = run_one(amqp_check(fmt::format("amqp://127.0.0.1:{}/", http.port())), "300ms", true);
  ASSERT_TRUE(r.report.error);
  EXPECT_EQ(r.report.error->kind, FailureKind::protocol) << describe(r.report);
}

TEST(AmqpProbe, ACeleryRedisBrokerGetsARedisCheck) {
  auto r = run_clean(cmd({"lint"}), {{"CELERY_BROKER_URL", "redis://127.0.0.1:6379/0"}});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("broker"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("redis"), std::string::npos) << r.out;
}

}  // namespace
}  // namespace preflight::testing
