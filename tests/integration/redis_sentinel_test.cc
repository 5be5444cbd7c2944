// Redis behind Sentinel, the way redis+sentinel:// URLs (Redis-Sentinel-Url,
// redisvl) reach it: the sentinels are asked for the master, then the master
// gets AUTH and PING. Real redis-server and redis-server --sentinel.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include "binary_harness.h"
#include "process.h"
#include "redis_server.h"
#include "refused_port.h"

namespace preflight::testing {
namespace {

constexpr const char* kSentinelCanary = "canary-Sentinel-5d1e";

class RedisSentinel : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    master_ = new RedisServer({.password = kCanary});
    if (master_->unavailable()) return;
    open_ = new RedisServer({.sentinel_master_name = "mymaster", .sentinel_master_port = master_->port(),
                             .sentinel_auth_pass = kCanary});
    guarded_ = new RedisServer({.password = kSentinelCanary, .sentinel_master_name = "cache",
                                .sentinel_master_port = master_->port(), .sentinel_auth_pass = kCanary});
    // Watches a master that is not running: the sentinel still names it
    // (it marks it down only after down-after-milliseconds, 30 s).
    gone_port_ = new RefusedPort();
    stale_ = new RedisServer({.sentinel_master_name = "gone", .sentinel_master_port = gone_port_->port()});
  }
  static void TearDownTestSuite() {
    delete stale_;
    delete guarded_;
    delete open_;
    delete master_;
    delete gone_port_;
  }
  void SetUp() override {
    if (master_->unavailable()) GTEST_SKIP() << "redis-server is not installed";
  }
  static ProcessResult check(const std::string& url) {
    return run_clean(cmd({"--once"}), {{"REDIS_URL", url}});
  }

  static RedisServer* master_;
  static RedisServer* open_;
  static RedisServer* guarded_;
  static RedisServer* stale_;
  static RefusedPort* gone_port_;  // for the suite's life: the master stays gone
};
RedisServer* RedisSentinel::master_ = nullptr;
RedisServer* RedisSentinel::open_ = nullptr;
RedisServer* RedisSentinel::guarded_ = nullptr;
RedisServer* RedisSentinel::stale_ = nullptr;
RefusedPort* RedisSentinel::gone_port_ = nullptr;

TEST_F(RedisSentinel, TheMasterNamedByTheSentinelIsChecked) {
  auto r = check(fmt::format("redis+sentinel://:{}@127.0.0.1:{}/mymaster/0", kCanary, open_->port()));
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  expect_no_canary("stdout+stderr", r.out + r.err);
}

TEST_F(RedisSentinel, ASentinelThatIsDownIsSkippedForTheNext) {
  RefusedPort down;
  auto r = check(fmt::format("redis+sentinel://:{}@127.0.0.1:{},127.0.0.1:{}/mymaster", kCanary, down.port(),
                             open_->port()));
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
}

TEST_F(RedisSentinel, TheMasterPasswordIsCheckedOnTheMaster) {
  auto r = check(fmt::format("redis+sentinel://:wrong-password@127.0.0.1:{}/mymaster", open_->port()));
  EXPECT_EQ(r.exit_code, 3) << r.out << r.err;
  EXPECT_NE(r.out.find("WRONGPASS"), std::string::npos) << r.out;
}

TEST_F(RedisSentinel, AnUnknownMasterNameFailsAtOnceNamingIt) {
  auto r = check(fmt::format("redis+sentinel://:{}@127.0.0.1:{}/mymastr", kCanary, open_->port()));
  EXPECT_EQ(r.exit_code, 3) << r.out << r.err;
  // What it monitors, asked of it: the name to write instead.
  EXPECT_NE(r.out.find("knows no master named \"mymastr\" (it monitors \"mymaster\")"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("write the name it monitors, \"mymaster\""), std::string::npos) << r.out;
  expect_no_canary("stdout+stderr", r.out + r.err);
}

TEST_F(RedisSentinel, ASentinelWithItsOwnPasswordAsksForSentinelPassword) {
  auto without = check(fmt::format("redis+sentinel://:{}@127.0.0.1:{}/cache", kCanary, guarded_->port()));
  EXPECT_EQ(without.exit_code, 3) << without.out << without.err;
  EXPECT_NE(without.out.find("NOAUTH"), std::string::npos) << without.out;
  EXPECT_NE(without.out.find("sentinel_password"), std::string::npos) << without.out;

  auto with = check(fmt::format("redis+sentinel://:{}@127.0.0.1:{}/cache?sentinel_password={}", kCanary,
                                guarded_->port(), kSentinelCanary));
  EXPECT_EQ(with.exit_code, 0) << with.out << with.err;
  for (const auto& r : {without, with}) {
    expect_no_canary("stdout+stderr", r.out + r.err);
    EXPECT_EQ((r.out + r.err).find(kSentinelCanary), std::string::npos) << r.out << r.err;
  }
}

TEST_F(RedisSentinel, AMasterThatIsNotListeningIsNamedByTheAddressTheSentinelGave) {
  auto r = check(fmt::format("redis+sentinel://127.0.0.1:{}/gone", stale_->port()));
  EXPECT_EQ(r.exit_code, 3) << r.out << r.err;
  EXPECT_NE(r.out.find(fmt::format("127.0.0.1:{}", gone_port_->port())), std::string::npos) << r.out;
}

TEST_F(RedisSentinel, LintShowsTheSentinelsAndTheMasterName) {
  auto r = run_clean(cmd({"lint"}),
                     {{"REDIS_URL", fmt::format("redis+sentinel://:{}@s1:26379,s2/cache/2", kCanary)}});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("sentinels s1:26379,s2:26379 asked for master \"cache\""), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("database 2"), std::string::npos) << r.out;
  expect_no_canary("lint", r.out + r.err);
}

}  // namespace
}  // namespace preflight::testing
