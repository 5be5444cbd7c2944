// "retry" on a check or a phase, through the binary: the schedule is
// measured where the attempts arrive (the server's clock), the give-up
// message states it, and what is malformed is exit 2 naming where.
#include <chrono>
#include <mutex>
#include <vector>

#include <gtest/gtest.h>

#include "binary_harness.h"
#include "fixture_server.h"

namespace preflight::testing {
namespace {

using Clock = std::chrono::steady_clock;

// An HTTP server that answers 503 and notes when each request arrived.
class Unavailable {
 public:
  Unavailable()
      : server_(Behaviour::http, {.http = [this](int, const std::string&) {
                  std::lock_guard lock(mutex_);
                  arrivals_.push_back(Clock::now());
                  return http_response(503, "starting");
                }}) {}
  int port() const { return server_.port(); }
  // Milliseconds between consecutive requests.
  std::vector<double> gaps() {
    std::lock_guard lock(mutex_);
    std::vector<double> out;
    for (size_t i = 1; i < arrivals_.size(); ++i) {
      out.push_back(std::chrono::duration<double, std::milli>(arrivals_[i] - arrivals_[i - 1]).count());
    }
    return out;
  }
  size_t requests() {
    std::lock_guard lock(mutex_);
    return arrivals_.size();
  }

 private:
  std::mutex mutex_;
  std::vector<Clock::time_point> arrivals_;
  FixtureServer server_;  // last: stopped before what its callback uses
};

ProcessResult run_config(TempDir& dir, const std::string& phase_retry, const std::string& check_retry, int port,
                         const std::string& timeout = "10s") {
  const std::string config = dir.write(
      "c.json",
      fmt::format(R"({{"phases":[{{"name":"p","timeout":"{}"{},"checks":[{{"name":"svc","type":"http",)"
                  R"("url":"http://127.0.0.1:{}/health"{}}}]}}]}})",
                  timeout, phase_retry.empty() ? "" : ",\"retry\":" + phase_retry, port,
                  check_retry.empty() ? "" : ",\"retry\":" + check_retry));
  return run_clean(cmd({"-c", config}));
}

// Bug guarded: the settings read but not followed (the default 10-30 ms
// delays, a factor or cap ignored, the attempt cap ignored). A gap is at
// least its delay (the sleep cannot end early); the upper bounds leave
// 300 ms for an attempt on a busy machine under a sanitizer and still
// fall short of the next doubling.
TEST(RetrySchedule, DelaysGrowByTheFactorStopAtTheCapAndAttemptsStopAtTheLimit) {
  TempDir dir;
  Unavailable server;
  auto r = run_config(dir, "", R"({"interval":"100ms","factor":2,"max_interval":"400ms","jitter":0,"attempts":5})",
                      server.port());
  EXPECT_EQ(r.exit_code, 3) << r.out << r.err;
  EXPECT_EQ(server.requests(), 5u) << r.out;
  const std::vector<double> nominal = {100, 200, 400, 400};
  const std::vector<double> gaps = server.gaps();
  ASSERT_EQ(gaps.size(), nominal.size()) << r.out;
  for (size_t i = 0; i < gaps.size(); ++i) {
    EXPECT_GE(gaps[i], nominal[i] - 2) << "gap " << i;
    EXPECT_LT(gaps[i], nominal[i] + 300) << "gap " << i;
  }
  EXPECT_NE(r.out.find("gave up after 5 attempts"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("retry delays 100 ms growing ×2 to 400 ms, at most 5 attempts"), std::string::npos) << r.out;
}

// The phase's settings reach each check; the check's own keys win, one by
// one. Bug guarded: a phase "retry" dropped, or a check's replacing it whole.
TEST(RetrySchedule, APhaseSetsItsChecksScheduleAndACheckKeyWinsOverIt) {
  TempDir dir;
  Unavailable server;
  auto r = run_config(dir, R"({"interval":"150ms","factor":1,"jitter":0,"attempts":9})", R"({"attempts":3})",
                      server.port());
  EXPECT_EQ(r.exit_code, 3) << r.out << r.err;
  EXPECT_EQ(server.requests(), 3u) << "the check's attempts win: " << r.out;
  for (double gap : server.gaps()) EXPECT_GE(gap, 148) << "the phase's interval is kept: " << r.out;
  EXPECT_NE(r.out.find("retry every 150 ms, at most 3 attempts"), std::string::npos) << r.out;
}

// attempts 0 (and no "retry" at all) try until the phase deadline.
TEST(RetrySchedule, WithoutALimitAttemptsGoOnUntilTheDeadline) {
  TempDir dir;
  Unavailable server;
  auto r = run_config(dir, "", R"({"interval":"100ms","factor":1,"jitter":0,"attempts":0})", server.port(), "1s");
  EXPECT_EQ(r.exit_code, 3) << r.out << r.err;
  EXPECT_GE(server.requests(), 4u) << r.out;
  EXPECT_LE(server.requests(), 11u) << r.out;
  EXPECT_EQ(r.out.find("at most"), std::string::npos) << r.out;
}

TEST(RetrySchedule, OnceStillMakesOneAttempt) {
  TempDir dir;
  Unavailable server;
  const std::string config = dir.write(
      "c.json", fmt::format(R"({{"phases":[{{"name":"p","checks":[{{"name":"svc","type":"http",)"
                            R"("url":"http://127.0.0.1:{}/","retry":{{"attempts":4}}}}]}}]}})",
                            server.port()));
  auto r = run_clean(cmd({"-c", config, "--once"}));
  EXPECT_EQ(r.exit_code, 3) << r.out << r.err;
  EXPECT_EQ(server.requests(), 1u) << r.out;
}

TEST(RetrySchedule, AMalformedSettingIsExitTwoNamingWhereItIsWritten) {
  TempDir dir;
  const std::vector<std::tuple<std::string, std::string, std::string>> rows = {
      {R"({"interval":"fast"})", "", "/phases/0/retry/interval: expected a duration of at least 10 ms"},
      {"", R"({"factor":0.5})", "/phases/0/checks/0/retry/factor: expected a number from 1"},
      {"", R"({"jitter":2})", "/phases/0/checks/0/retry/jitter: expected a fraction from 0 (none) to 1"},
      {"", R"({"attempts":-1})", "/phases/0/checks/0/retry/attempts: expected a whole number of attempts"},
      {"", R"({"interval":"1s","max_interval":"500ms"})", "/retry/max_interval: 500 ms is shorter than the interval"},
      {"", R"({"backoff":"2s"})", "/phases/0/checks/0/retry/backoff: unknown key (allowed: interval, max_interval"},
      {"", R"("2s")", "/phases/0/checks/0/retry: expected an object"},
  };
  for (const auto& [phase_retry, check_retry, said] : rows) {
    auto r = run_config(dir, phase_retry, check_retry, 1);
    EXPECT_EQ(r.exit_code, 2) << phase_retry << check_retry << "\n" << r.out << r.err;
    EXPECT_NE(r.err.find(said), std::string::npos) << phase_retry << check_retry << "\n" << r.err;
  }
}

}  // namespace
}  // namespace preflight::testing
