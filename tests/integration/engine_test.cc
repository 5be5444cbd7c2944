// The engine: concurrency within a phase, order across phases, skipping,
// cancellation and a dependency that comes up mid-phase.
#include <signal.h>

#include <atomic>
#include <filesystem>
#include <mutex>
#include <optional>
#include <thread>

#include <gtest/gtest.h>

#include "fixture_server.h"
#include "harness.h"
#include "process.h"
#include "redis_server.h"
#include "refused_port.h"

namespace preflight::testing {
namespace {

Plan plan_of(const std::string& json_text) {
  auto config = parse_config(json_text, "engine.json");
  EXPECT_TRUE(config.ok()) << config.error().message;
  return build_plan(*config, {});
}

std::string tcp(const std::string& name, int port) {
  return fmt::format(R"({{"name":"{}","type":"tcp","url":"tcp://127.0.0.1:{}"}})", name, port);
}

// Records what the engine tells an observer, from whichever thread.
class Recorder final : public EngineObserver {
 public:
  void phase_started(const PlannedPhase& phase, Millis) override { add("start " + phase.name); }
  void attempt_failed(size_t check, int attempt, const Failure&) override {
    std::lock_guard lock(mu_);
    if (attempt == 1) events_.push_back(fmt::format("check {} failed once", check));
    ++failed_attempts_;
  }
  void check_finished(size_t check, const CheckReport& r) override { add(fmt::format("check {} {}", check, to_string(r.status))); }
  void phase_finished(const PhaseReport& r) override { add("end " + r.name); }
  std::vector<std::string> events() {
    std::lock_guard lock(mu_);
    return events_;
  }
  int failed_attempts() {
    std::lock_guard lock(mu_);
    return failed_attempts_;
  }

 private:
  void add(std::string e) {
    std::lock_guard lock(mu_);
    events_.push_back(std::move(e));
  }
  std::mutex mu_;
  std::vector<std::string> events_;
  int failed_attempts_ = 0;
};

// Answers "READONLY" twice, then hangs until the deadline: a dependency
// whose real state is known before the last attempt runs out of time.
class ReadonlyThenStall final : public Probe {
 public:
  Status attempt(Deadline deadline, const CancelToken& cancel) const override {
    if (++calls_ <= 2) return fail(FailureKind::unhealthy, "redis answered PING with \"-READONLY You can't write\"");
    cancel.sleep_until(deadline);
    return fail(FailureKind::timeout, "connect to 127.0.0.1:6379 timed out");
  }

 private:
  mutable std::atomic<int> calls_{0};
};

TEST(Engine, AnAttemptCutByTheDeadlineDoesNotHideTheCauseSeenBeforeIt) {
  Plan plan;
  PlannedCheck check;
  check.name = "redis";
  check.type = "redis";
  check.probe = std::make_shared<ReadonlyThenStall>();
  plan.phases.push_back({.name = "cache", .timeout = Millis(400), .checks = {check}});
  auto phases = run_phases(plan, {}, {});
  const CheckReport& r = phases[0].checks[0];
  ASSERT_TRUE(r.error);
  EXPECT_EQ(r.error->kind, FailureKind::unhealthy) << describe(r);
  EXPECT_NE(r.error->message.find("READONLY"), std::string::npos) << describe(r);
  EXPECT_NE(r.error->message.find("still running at the deadline"), std::string::npos) << describe(r);
  EXPECT_EQ(r.attempts, 3);
}

size_t threads_in_this_process() {
  size_t n = 0;
  for ([[maybe_unused]] const auto& task : std::filesystem::directory_iterator("/proc/self/task")) ++n;
  return n;
}

// Fails twice, then passes; notes how many attempts ran at once and how
// many threads the process had meanwhile.
class PassesOnTheThirdAttempt final : public Probe {
 public:
  struct Seen {
    std::atomic<int> in_flight{0}, most_in_flight{0};
    std::atomic<size_t> most_threads{0};
  };
  explicit PassesOnTheThirdAttempt(Seen& seen) : seen_(seen) {}
  Status attempt(Deadline, const CancelToken&) const override {
    int now = ++seen_.in_flight;
    raise_to(seen_.most_in_flight, now);
    raise_to(seen_.most_threads, threads_in_this_process());
    --seen_.in_flight;
    if (++calls_ <= 2) return fail(FailureKind::unhealthy, "not yet");
    return {};
  }

 private:
  template <typename T>
  static void raise_to(std::atomic<T>& most, T value) {
    for (T seen = most.load(); value > seen && !most.compare_exchange_weak(seen, value);) {
    }
  }
  Seen& seen_;
  mutable std::atomic<int> calls_{0};
};

// A thread per check made 10,000 checks cost 250 MiB though at most ~320
// attempts could be open at once: a check waiting for its first attempt,
// or between two, now holds no thread.
TEST(Engine, ChecksWaitingForTheirTurnHoldNoThread) {
  constexpr int kChecks = 400, kCapacity = 8;
  PassesOnTheThirdAttempt::Seen seen;
  Plan plan;
  plan.phases.push_back({.name = "many", .timeout = Millis(60'000)});
  for (int i = 0; i < kChecks; ++i) {
    PlannedCheck check;
    check.name = fmt::format("c{}", i);
    check.type = "tcp";
    check.probe = std::make_shared<PassesOnTheThirdAttempt>(seen);
    plan.phases[0].checks.push_back(std::move(check));
  }
  EngineOptions options;
  options.max_attempts_in_flight = kCapacity;
  options.backoff.initial = options.backoff.max = Millis(1);
  const size_t threads_before = threads_in_this_process();
  auto phases = run_phases(plan, options, {});
  ASSERT_EQ(phases[0].status, PhaseStatus::passed);
  for (const auto& check : phases[0].checks) EXPECT_EQ(check.attempts, 3) << check.name;
  EXPECT_LE(seen.most_in_flight.load(), kCapacity);
  EXPECT_GT(seen.most_in_flight.load(), 1) << "the checks still run concurrently";
  EXPECT_LE(seen.most_threads.load(), threads_before + kCapacity) << "at most one thread per attempt in flight";
}

TEST(Engine, AnObserverSeesPhasesAttemptsAndResultsInOrder) {
  FixtureServer up(Behaviour::silent);
  RefusedPort down;
  Plan plan = plan_of(fmt::format(R"({{"phases":[{{"name":"p","timeout":"300ms","checks":[{}]}},{{"name":"q","checks":[{}]}}]}})",
                                  tcp("down", down.port()), tcp("up", up.port())));
  Recorder recorder;
  EngineOptions options;
  options.observer = &recorder;
  options.keep_going = true;
  auto phases = run_phases(plan, options, {});
  EXPECT_EQ(recorder.events(), (std::vector<std::string>{"start p", "check 0 failed once", "check 0 failed", "end p",
                                                         "start q", "check 0 passed", "end q"}));
  EXPECT_EQ(recorder.failed_attempts(), phases[0].checks[0].attempts);
}

TEST(Engine, ChecksOfAPhaseRunConcurrently) {
  FixtureServer a(Behaviour::blackhole), b(Behaviour::blackhole), c(Behaviour::blackhole);
  Plan plan = plan_of(fmt::format(R"({{"phases":[{{"name":"p","timeout":"800ms","checks":[{},{},{}]}}]}})",
                                  tcp("a", a.port()), tcp("b", b.port()), tcp("c", c.port())));
  auto phases = run_phases(plan, {}, {});
  ASSERT_EQ(phases[0].checks.size(), 3u);
  for (const auto& check : phases[0].checks) EXPECT_EQ(check.error->kind, FailureKind::timeout);
  EXPECT_LT(phases[0].elapsed_ms, 800 + kDeadlineSlackMs) << "three stalls in parallel cost one deadline, not three";
}

TEST(Engine, LaterPhasesAreSkippedAfterAFailureUnlessKeepGoing) {
  FixtureServer up(Behaviour::silent);
  RefusedPort down;
  std::string text = fmt::format(
      R"({{"phases":[{{"name":"first","timeout":"200ms","checks":[{}]}},{{"name":"second","timeout":"200ms","checks":[{}]}}]}})",
      tcp("down", down.port()), tcp("up", up.port()));
  Plan plan = plan_of(text);
  auto stopped = run_phases(plan, {}, {});
  EXPECT_EQ(stopped[0].status, PhaseStatus::failed);
  EXPECT_EQ(stopped[1].status, PhaseStatus::skipped);
  EXPECT_EQ(stopped[1].checks[0].status, CheckStatus::skipped);
  EngineOptions keep_going;
  keep_going.keep_going = true;
  auto all = run_phases(plan, keep_going, {});
  EXPECT_EQ(all[1].status, PhaseStatus::passed);
}

TEST(Engine, OnlySelectedPhasesRunAndTimeoutsCanBeOverridden) {
  RefusedPort x, y;
  Plan plan = plan_of(fmt::format(
      R"({{"phases":[{{"name":"a","timeout":"5s","checks":[{}]}},{{"name":"b","timeout":"5s","checks":[{}]}}]}})",
      tcp("x", x.port()), tcp("y", y.port())));
  apply_phase_selection(plan, {"b"}, {{"b", Millis(300)}});
  EXPECT_EQ(plan.phases[1].timeout_origin, "--phase-timeout b=300ms");
  auto phases = run_phases(plan, {}, {});
  EXPECT_EQ(phases[0].status, PhaseStatus::skipped);
  EXPECT_EQ(phases[1].status, PhaseStatus::failed);
  EXPECT_EQ(phases[1].timeout, Millis(300));
  EXPECT_LT(phases[1].elapsed_ms, 300 + kDeadlineSlackMs);
}

TEST(Engine, CancellationStopsEveryCheckPromptly) {
  FixtureServer silent(Behaviour::silent), blackhole(Behaviour::blackhole);
  RefusedPort refused, never;
  Plan plan = plan_of(fmt::format(
      R"({{"phases":[{{"name":"p","timeout":"30s","checks":[{},{},{}]}},{{"name":"later","checks":[{}]}}]}})",
      R"({"name":"silent","type":"redis","url":"redis://127.0.0.1:)" + std::to_string(silent.port()) + R"("})",
      tcp("blackhole", blackhole.port()), tcp("refused", refused.port()), tcp("never", never.port())));
  CancelSource source;
  std::thread canceller([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    source.cancel();
  });
  auto start = Clock::now();
  auto phases = run_phases(plan, {}, CancelToken(source));
  double ms = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
  canceller.join();
  EXPECT_LT(ms, 300 + kDeadlineSlackMs);
  for (const auto& check : phases[0].checks) {
    ASSERT_TRUE(check.error) << check.name;
    EXPECT_EQ(check.error->kind, FailureKind::interrupted) << check.name << ": " << check.error->message;
  }
  EXPECT_EQ(phases[1].status, PhaseStatus::skipped);
}

TEST(Engine, PassesSoonAfterADependencyComesUpMidPhase) {
  // Refused until redis-server takes the port: held until just before it
  // starts, so that no other test's server can take it in the 700 ms.
  std::optional<RefusedPort> refused(std::in_place);
  const int port = refused->port();
  Plan plan = plan_of(fmt::format(R"({{"phases":[{{"name":"p","timeout":"5s","checks":[{}]}}]}})",
                                  R"({"name":"redis","type":"redis","url":"redis://127.0.0.1:)" + std::to_string(port) + R"("})"));
  std::unique_ptr<Process> redis;
  Clock::time_point up_at;
  std::thread starter([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(700));
    refused.reset();
    redis = std::make_unique<Process>(std::vector<std::string>{"redis-server", "--port", std::to_string(port), "--bind",
                                                               "127.0.0.1", "--save", "", "--appendonly", "no"});
    up_at = Clock::now();
  });
  auto phases = run_phases(plan, {}, {});
  auto done = Clock::now();
  starter.join();
  EXPECT_EQ(phases[0].checks[0].status, CheckStatus::passed);
  double after_up_ms = std::chrono::duration<double, std::milli>(done - up_at).count();
  // redis-server needs some ms to listen; the cap of the backoff is 30 ms.
  EXPECT_LT(after_up_ms, 600) << "seen soon after it came up";
  EXPECT_GT(phases[0].checks[0].attempts, 3);
  redis->signal(SIGTERM);
  redis->wait(std::chrono::seconds(2));
}

TEST(Engine, BlockedChecksFailWithoutAttempts) {
  auto config = parse_config(R"({"phases":[{"name":"p","checks":[{"name":"r","type":"redis","url":"redis://${NOPE}:1"}]}]})", "e.json");
  Plan plan = build_plan(*config, {});
  auto phases = run_phases(plan, {}, {});
  EXPECT_EQ(phases[0].checks[0].attempts, 0);
  EXPECT_EQ(phases[0].checks[0].error->kind, FailureKind::unset_variable);
}

TEST(Engine, ARequiredCheckFailedOfflineDecidesTheRunBeforeAnyProbe) {
  FixtureServer silent(Behaviour::silent);
  auto config = parse_config(fmt::format(R"({{"phases":[
    {{"name":"database","timeout":"2s","checks":[{{"name":"slow","type":"tcp","url":"tcp://127.0.0.1:{}"}},
                                                {{"name":"db","type":"redis","url":"redis://127.0.0.1:{}"}}]}},
    {{"name":"cache","timeout":"2s","checks":[{{"name":"r","type":"redis","url":"redis://${{NOPE}}:1"}},
                                             {{"name":"other","type":"tcp","url":"tcp://127.0.0.1:{}"}}]}}]}})",
                                         silent.port(), silent.port(), silent.port()), "e.json");
  Plan plan = build_plan(*config, {});
  auto start = Clock::now();
  auto phases = run_phases(plan, {}, {});
  EXPECT_LT(ms_since(start), 500) << "the 2 s silent server was not waited for";
  EXPECT_EQ(silent.connections(), 0);
  EXPECT_EQ(phases[0].status, PhaseStatus::skipped);
  EXPECT_EQ(phases[1].status, PhaseStatus::failed);
  EXPECT_EQ(phases[1].checks[0].error->kind, FailureKind::unset_variable);
  EXPECT_EQ(phases[1].checks[1].status, CheckStatus::skipped);

  EngineOptions keep_going;
  keep_going.keep_going = true;
  apply_phase_selection(plan, {}, {{"database", Millis(200)}, {"cache", Millis(200)}});
  phases = run_phases(plan, keep_going, {});
  EXPECT_GT(silent.connections(), 0) << "--keep-going probes every phase";
  EXPECT_EQ(phases[0].status, PhaseStatus::failed);
  EXPECT_EQ(phases[1].checks[1].status, CheckStatus::passed) << "probed: a tcp check only connects";
}

TEST(Engine, AnOptionalCheckFailedOfflineDecidesNothing) {
  FixtureServer up(Behaviour::fake_redis);
  auto config = parse_config(fmt::format(R"({{"phases":[
    {{"name":"p","checks":[{{"name":"up","type":"redis","url":"redis://127.0.0.1:{}"}},
                          {{"name":"opt","type":"redis","url":"redis://${{NOPE}}:1","required":false}}]}}]}})",
                                         up.port()), "e.json");
  Plan plan = build_plan(*config, {});
  auto phases = run_phases(plan, {}, {});
  EXPECT_EQ(phases[0].checks[0].status, CheckStatus::passed);
  EXPECT_EQ(phases[0].checks[1].status, CheckStatus::warned);
}

}  // namespace
}  // namespace preflight::testing
