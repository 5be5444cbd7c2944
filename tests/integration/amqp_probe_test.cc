// The amqp check against a real RabbitMQ (Debian's rabbitmq-server), which
// takes seconds to start: one broker for the suite, each form and failure
// class a row of one test. Fixtures for what a broker does not do.
#include <gtest/gtest.h>

#include "binary_harness.h"
#include "fixture_server.h"
#include "harness.h"
#include "refused_port.h"
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
  EXPECT_NE(no_vhost.report.error->hint.find("the virtual host no-such-vhost, the URL's path, does not exist on this broker"),
            std::string::npos)
      << describe(no_vhost.report);

  // The hint names the variable the broker URL came from and its source
  // (issue: "the broker URL's variable is not named").
  auto stale = run_clean(cmd({"--once"}), {{"CELERY_BROKER_URL", fmt::format("amqp://{}:stale-rabbit-pw@127.0.0.1:{}/{}", user, port, vhost)}});
  EXPECT_EQ(stale.exit_code, 3) << stale.out << stale.err;
  EXPECT_NE(stale.out.find("the password from CELERY_BROKER_URL (env)"), std::string::npos) << stale.out;
  EXPECT_NE(stale.out.find(fmt::format("rabbitmqctl authenticate_user {} PASSWORD", user)), std::string::npos) << stale.out;
  EXPECT_EQ(stale.out.find("stale-rabbit-pw"), std::string::npos) << stale.out;
  auto unknown_vhost = run_clean(cmd({"--once"}), {{"AMQP_URL", fmt::format("amqp://{}:{}@127.0.0.1:{}/orders", user, pw, port)}});
  EXPECT_NE(unknown_vhost.out.find("the virtual host orders, the URL's path (from AMQP_URL, env), does not exist"),
            std::string::npos)
      << unknown_vhost.out;

  // Celery's broker URL in the default profile, and the secret never shown.
  auto profile = run_clean(cmd({"--once"}), {{"CELERY_BROKER_URL", fmt::format("amqp://{}:{}@127.0.0.1:{}/{}", user, pw, port, vhost)}});
  EXPECT_EQ(profile.exit_code, 0) << profile.out << profile.err;
  EXPECT_NE(profile.out.find("amqp"), std::string::npos) << profile.out;
  EXPECT_EQ((profile.out + profile.err).find(pw), std::string::npos) << profile.out << profile.err;

  // kombu's failover list (Celery's "url1;url2"): a broker that cannot be
  // reached is passed over for the next; none reachable names them all.
  RefusedPort down, also_down;
  auto failover = run_clean(cmd({"--once"}), {{"CELERY_BROKER_URL", fmt::format("amqp://{0}:{1}@127.0.0.1:{2}/{3};amqp://{0}:{1}@127.0.0.1:{4}/{3}",
                                                                                user, pw, down.port(), vhost, port)}});
  EXPECT_EQ(failover.exit_code, 0) << failover.out << failover.err;
  auto none = run_one(amqp_check(fmt::format("amqp://{0}:{1}@127.0.0.1:{2}/{3};amqp://{0}:{1}@127.0.0.1:{4}/{3}", user, pw,
                                             down.port(), vhost, also_down.port())),
                      "2s", true);
  ASSERT_TRUE(none.report.error) << describe(none.report);
  EXPECT_NE(none.report.error->message.find("none of the brokers"), std::string::npos) << describe(none.report);
  // The first broker that answers decides: a refused login is not passed over.
  auto refused = run_one(amqp_check(fmt::format("amqp://{0}:stale-rabbit-pw@127.0.0.1:{1}/{2};amqp://{0}:stale-rabbit-pw@127.0.0.1:{3}/{2}",
                                                user, port, vhost, down.port())),
                         "5s", true);
  ASSERT_TRUE(refused.report.error) << describe(refused.report);
  EXPECT_EQ(refused.report.error->kind, FailureKind::auth) << describe(refused.report);
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

namespace preflight::testing {
namespace {

// Every URL of a failover list is read: a later broker's own password is a
// secret too (it was shown as written), and one whose login differs from
// the first's is listed as not checked.
TEST(AmqpProbe, EveryUrlOfAFailoverListIsReadAndItsPasswordHidden) {
  auto r = run_clean(cmd({"lint"}), {{"CELERY_BROKER_URL", std::string("amqp://app:first-pw-123@h1//;amqp://ops:") + kCanary + "@h2//"}});
  expect_no_canary("lint", r.out + r.err);
  EXPECT_NE(r.out.find("broker list (kombu failover)"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("broker URL 2 (its user, password"), std::string::npos) << r.out;
}

}  // namespace
}  // namespace preflight::testing
