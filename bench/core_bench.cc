// The core figures: time to diagnose the incident config, how far past a
// deadline preflight gives up against stalls, and the healthy-path wall
// time of one Redis check. Prints a table; asserts nothing.
#include <algorithm>
#include <cstdio>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "base/redact.h"
#include "report/render.h"

#include "certs.h"
#include "fixture_server.h"
#include "postgres_server.h"
#include "process.h"
#include "redis_server.h"

using namespace preflight::testing;

namespace {

struct Stats {
  double median, min, max;
};

Stats stats(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return {v[v.size() / 2], v.front(), v.back()};
}

void row(const std::string& name, const std::string& unit, const Stats& s, size_t n) {
  std::printf("%-52s %10.2f %10.2f %10.2f  %-3s n=%zu\n", name.c_str(), s.median, s.min, s.max, unit.c_str(), n);
}

std::string redis_config(const std::string& url, const std::string& timeout, const std::string& extra = "") {
  return fmt::format(R"({{"phases":[{{"name":"cache","timeout":"{}","checks":[{{"name":"redis","type":"redis","url":"{}"{}}}]}}]}})",
                     timeout, url, extra);
}

// Wall time of whole runs, from spawn to exit.
std::vector<double> wall_ms(const std::vector<std::string>& argv, int runs, int expect_exit) {
  std::vector<double> out;
  for (int i = 0; i < runs; ++i) {
    auto r = run(argv, {{"NO_COLOR", "1"}}, std::chrono::seconds(30));
    if (r.exit_code != expect_exit) std::fprintf(stderr, "unexpected exit %d: %s%s\n", r.exit_code, r.out.c_str(), r.err.c_str());
    out.push_back(r.elapsed_ms);
  }
  return out;
}

// How far past the phase deadline the check gave up, from preflight's own
// JSON report (phase elapsed minus timeout).
std::vector<double> overshoot_ms(const std::string& config, int runs) {
  std::vector<double> out;
  for (int i = 0; i < runs; ++i) {
    auto r = run({PREFLIGHT_BINARY, "-c", config, "-o", "json", "-q"}, {}, std::chrono::seconds(30));
    auto j = nlohmann::json::parse(r.out);
    const auto& phase = j["phases"][0];
    if (j["status"] != "failed") std::fprintf(stderr, "a stall was reported as %s!\n", j["status"].get<std::string>().c_str());
    out.push_back(phase["elapsed_ms"].get<double>() - phase["timeout_ms"].get<double>());
  }
  return out;
}

// Microseconds per call of f, over `runs` calls.
template <typename F>
std::vector<double> micros(int runs, F&& f) {
  std::vector<double> out;
  for (int i = 0; i < runs; ++i) {
    auto start = std::chrono::steady_clock::now();
    f();
    out.push_back(std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - start).count());
  }
  return out;
}

// What the scrubber costs: building it from a run's secrets, and one scrub
// of a ten-check report before rendering (the healthy path's whole use).
void scrub_costs(const std::vector<std::string>& secrets) {
  using namespace preflight;
  RunReport report;
  for (int p = 0; p < 4; ++p) {
    PhaseReport phase;
    phase.name = fmt::format("phase{}", p);
    for (int c = 0; c < 3; ++c) {
      CheckReport check;
      check.name = fmt::format("check{}", c);
      check.type = "redis";
      check.target = fmt::format("redis://:***@10.0.{}.{}:6379/0", p, c);
      check.status = CheckStatus::passed;
      phase.checks.push_back(check);
    }
    report.phases.push_back(phase);
  }
  auto build = micros(200, [&] { Redactor r(secrets); });
  row(fmt::format("scrubber: built from {} secrets", secrets.size()), "us", stats(build), build.size());
  Redactor redactor(secrets);
  auto scrub = micros(200, [&] {
    RunReport copy = report;
    scrub_report(copy, redactor);
  });
  row(fmt::format("scrubber: a 12-check report, {} secrets", secrets.size()), "us", stats(scrub), scrub.size());
}

}  // namespace

int main() {
  TempDir dir;
  const int kRuns = 20, kStallRuns = 5;
  std::printf("%-52s %10s %10s %10s\n", "scenario", "median", "min", "max");

  auto incident_env = dir.write(".env.staging", "REDIS_HOST=your-redis-instance-ip\n");
  auto incident = dir.write("incident.json", redis_config("redis://${REDIS_HOST}:6379/0", "7.5s"));
  auto w = wall_ms({PREFLIGHT_BINARY, "-c", incident, "-e", incident_env, "-q"}, kRuns, 3);
  row("incident config (your-redis-instance-ip): wall", "ms", stats(w), w.size());

  {
    RedisServer redis({.password = "bench-pw"});
    auto healthy = dir.write("healthy.json", redis_config(fmt::format("redis://:bench-pw@127.0.0.1:{}/0", redis.port()), "2s"));
    auto h = wall_ms({PREFLIGHT_BINARY, "-c", healthy, "-q"}, kRuns, 0);
    row("healthy: one redis check (AUTH+PING): wall", "ms", stats(h), h.size());
  }
  {
    PostgresServer postgres;
    RedisServer redis({.password = "bench-pw"});
    FixtureServer auth(Behaviour::http, {.http = [](int, const std::string&) { return http_response(200, R"({"status":"healthy"})"); }});
    FixtureServer gateway(Behaviour::websocket);
    if (postgres.unavailable_reason().empty()) {
      auto four = dir.write("four.json", fmt::format(R"({{"phases":[
        {{"name":"database","timeout":"5s","checks":[{{"name":"postgres","type":"postgres","url":"postgres://postgres:{}@127.0.0.1:{}/postgres"}}]}},
        {{"name":"cache","timeout":"2s","checks":[{{"name":"redis","type":"redis","url":"redis://:bench-pw@127.0.0.1:{}/0"}}]}},
        {{"name":"services","timeout":"5s","checks":[{{"name":"auth","type":"http","url":"http://127.0.0.1:{}/health","expect":{{"json":{{"/status":"healthy"}}}}}}]}},
        {{"name":"websocket","timeout":"7.5s","checks":[{{"name":"redis","type":"redis","url":"redis://:bench-pw@127.0.0.1:{}/0"}},
                                                       {{"name":"gateway","type":"websocket","url":"ws://127.0.0.1:{}/ws"}}]}}]}})",
          PostgresServer::kPassword, postgres.port(), redis.port(), auth.port(), redis.port(), gateway.port()));
      auto f = wall_ms({PREFLIGHT_BINARY, "-c", four, "-q"}, kRuns, 0);
      row("healthy: four phases (postgres, redis, http, ws): wall", "ms", stats(f), f.size());
    } else {
      std::printf("four phases: skipped (%s)\n", postgres.unavailable_reason().c_str());
    }
  }
  {
    // Every loaded secret is registered, used or not: a CI environment
    // with 30 secret variables, against none.
    RedisServer redis({.password = "bench-pw"});
    auto healthy = dir.write("healthy30.json", redis_config(fmt::format("redis://:bench-pw@127.0.0.1:{}/0", redis.port()), "2s"));
    std::vector<std::string> argv = {"/usr/bin/env"};
    std::vector<std::string> secrets;
    for (int i = 0; i < 30; ++i) {
      secrets.push_back(fmt::format("bench-secret-{:02}-7f3a9c0e4b1d", i));
      argv.push_back(fmt::format("SERVICE_{}_TOKEN={}", i, secrets.back()));
    }
    argv.insert(argv.end(), {PREFLIGHT_BINARY, "-c", healthy, "-q"});
    // Both through env(1), so that only the variables differ.
    auto none = wall_ms({"/usr/bin/env", PREFLIGHT_BINARY, "-c", healthy, "-q"}, kRuns, 0);
    row("healthy: one redis check, via env(1): wall", "ms", stats(none), none.size());
    auto h = wall_ms(argv, kRuns, 0);
    row("healthy: the same, 30 more secret variables: wall", "ms", stats(h), h.size());
    scrub_costs({"bench-pw"});
    scrub_costs(secrets);
  }
  auto v = wall_ms({PREFLIGHT_BINARY, "--version"}, kRuns, 0);
  row("preflight --version: wall", "ms", stats(v), v.size());

  {
    FixtureServer blackhole(Behaviour::blackhole);
    auto cfg = dir.write("bh.json", redis_config(fmt::format("redis://127.0.0.1:{}/0", blackhole.port()), "1.5s"));
    auto o = overshoot_ms(cfg, kStallRuns);
    row("blackhole, 1.5 s deadline: gave up past deadline", "ms", stats(o), o.size());
  }
  {
    FixtureServer silent(Behaviour::silent);
    auto cfg = dir.write("silent.json", redis_config(fmt::format("redis://127.0.0.1:{}/0", silent.port()), "1.5s"));
    auto o = overshoot_ms(cfg, kStallRuns);
    row("accepts, never replies, 1.5 s deadline: past deadline", "ms", stats(o), o.size());
    auto tls_cfg = dir.write("tls.json", redis_config(fmt::format("rediss://127.0.0.1:{}/0", silent.port()), "1.5s"));
    auto t = overshoot_ms(tls_cfg, kStallRuns);
    row("TLS handshake stalls, 1.5 s deadline: past deadline", "ms", stats(t), t.size());
  }
  // Every probe against both stalls.
  const std::vector<std::pair<std::string, std::string>> probes = {
      {"tcp", "tcp://127.0.0.1:{}"},          {"redis", "redis://127.0.0.1:{}/0"},
      {"postgres", "postgres://u:p@127.0.0.1:{}/db"}, {"http", "http://127.0.0.1:{}/health"},
      {"websocket", "ws://127.0.0.1:{}/ws"}};
  for (Behaviour stall : {Behaviour::blackhole, Behaviour::silent}) {
    FixtureServer server(stall);
    for (const auto& [type, url_format] : probes) {
      if (type == "tcp" && stall == Behaviour::silent) continue;  // a silent server is up, for tcp
      std::string url = fmt::format(fmt::runtime(url_format), server.port());
      auto cfg = dir.write(type + ".json",
                           fmt::format(R"({{"phases":[{{"name":"p","timeout":"1.5s","checks":[{{"name":"c","type":"{}","url":"{}"}}]}}]}})", type, url));
      auto o = overshoot_ms(cfg, kStallRuns);
      row(fmt::format("{} vs {}, 1.5 s deadline: past deadline", type, stall == Behaviour::blackhole ? "blackhole" : "silent server"),
          "ms", stats(o), o.size());
    }
  }
  {
    FixtureServer trickle(Behaviour::trickle);
    auto cfg = dir.write("trickle.json", redis_config(fmt::format("redis://127.0.0.1:{}/0", trickle.port()), "1.5s"));
    auto o = overshoot_ms(cfg, kStallRuns);
    row("reply trickles 1 byte/200 ms, 1.5 s deadline: past", "ms", stats(o), o.size());
  }
  return 0;
}
