// A Redis replica passes PING but refuses writes: a check that wants the
// primary ("role": "primary", the default profile's) says so. Real
// redis-server primary and replica.
#include <gtest/gtest.h>

#include "binary_harness.h"
#include "harness.h"
#include "redis_server.h"

namespace preflight::testing {
namespace {

TEST(RedisRole, AReplicaFailsACheckForThePrimaryAndPassesOneForAny) {
  RedisServer primary({.password = kCanary});
  if (primary.unavailable()) GTEST_SKIP() << "redis-server is not installed";
  RedisServer replica({.password = kCanary, .replica_of = primary.port()});
  auto check = [&](int port, const std::string& role) {
    return run_one(fmt::format(R"({{"name":"r","type":"redis","url":"redis://:{}@127.0.0.1:{}"{}}})", kCanary, port,
                               role.empty() ? "" : fmt::format(R"(,"role":"{}")", role)),
                   "1s", true);
  };
  EXPECT_EQ(check(primary.port(), "primary").report.status, CheckStatus::passed);
  EXPECT_EQ(check(replica.port(), "any").report.status, CheckStatus::passed);
  EXPECT_EQ(check(replica.port(), "").report.status, CheckStatus::passed) << "a config check takes any role by default";
  auto r = check(replica.port(), "primary");
  ASSERT_TRUE(r.report.error) << describe(r.report);
  EXPECT_EQ(r.report.error->kind, FailureKind::unhealthy) << describe(r.report);
  EXPECT_EQ(r.report.error->code, "ROLE");
  EXPECT_NE(r.report.error->message.find("replica (read-only)"), std::string::npos) << describe(r.report);

  // The default profile wants the primary.
  auto profile = run_clean(cmd({"--once"}), {{"REDIS_URL", fmt::format("redis://127.0.0.1:{}", replica.port())},
                                             {"REDIS_PASSWORD", kCanary}});
  EXPECT_EQ(profile.exit_code, 3) << profile.out << profile.err;
  EXPECT_NE(profile.out.find("point it at the primary"), std::string::npos) << profile.out;
  expect_no_canary("default profile", profile.out + profile.err);

  // After a failover, REDIS_HOST and REDIS_PORT still name the old primary:
  // the hint says which variables, from where.
  auto split = run_clean(cmd({"--once"}), {{"REDIS_HOST", "127.0.0.1"},
                                           {"REDIS_PORT", std::to_string(replica.port())},
                                           {"REDIS_PASSWORD", kCanary}});
  EXPECT_EQ(split.exit_code, 3) << split.out << split.err;
  EXPECT_NE(split.out.find(fmt::format("127.0.0.1:{} reaches a replica (the host is from REDIS_HOST (env); the port is "
                                       "from REDIS_PORT (env))",
                                       replica.port())),
            std::string::npos)
      << split.out;
  expect_no_canary("REDIS_HOST and REDIS_PORT", split.out + split.err);
}

}  // namespace
}  // namespace preflight::testing
