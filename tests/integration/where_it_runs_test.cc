// The binary where it runs: warn mode as a container entrypoint, the startup
// budget and loopback targets on Cloud Run, and a proxy in the path.
#include <gtest/gtest.h>

#include "binary_harness.h"
#include "certs.h"
#include "fixture_server.h"
#include "refused_port.h"

namespace preflight::testing {
namespace {

std::string tcp_config(const std::string& url, const std::string& timeout = "200ms") {
  return fmt::format(R"({{"phases":[{{"name":"cache","timeout":"{}","checks":[{{"name":"redis","type":"tcp","url":"{}"}}]}}]}})",
                     timeout, url);
}

class WhereItRuns : public ::testing::Test {
 protected:
  TempDir dir;
  RefusedPort nothing;
  std::string refused_config() { return dir.write("cfg.json", tcp_config(fmt::format("tcp://127.0.0.1:{}", nothing.port()))); }
};

TEST_F(WhereItRuns, WarnModeReportsTheFailureLoudlyAndStartsTheCommandAnyway) {
  auto r = run_clean(cmd({"-c", refused_config(), "--mode", "warn", "--", "/bin/sh", "-c", "echo command-started"}));
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("command-started"), std::string::npos) << r.out;
  EXPECT_NE(r.err.find("WARN MODE: required check cache/redis FAILED (connection_refused"), std::string::npos) << r.err;
  auto warn_line = r.out.find("WARN MODE:");
  auto critical_line = r.out.find("CRITICAL STARTUP FAILURE: phase cache failed. Failed services: [redis].");
  ASSERT_NE(warn_line, std::string::npos) << r.out;
  ASSERT_NE(critical_line, std::string::npos) << "existing alerts still match: " << r.out;
  EXPECT_LT(warn_line, critical_line);
}

TEST_F(WhereItRuns, WarnModeFromTheEnvironmentKeepsTheFailureInTheJsonReport) {
  auto r = run_clean(cmd({"-c", refused_config(), "-o", "json"}), {{"PREFLIGHT_MODE", "warn"}});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  json doc = json::parse(r.out);
  EXPECT_EQ(doc["status"], "failed");
  EXPECT_EQ(doc["exit_code"], 0);
  EXPECT_EQ(doc["failed_checks"], json::array({"cache/redis"}));
}

TEST_F(WhereItRuns, TheOptionOverridesTheEnvironmentAndABadModeIsAUsageError) {
  auto enforced = run_clean(cmd({"-c", refused_config(), "--mode", "enforce"}), {{"PREFLIGHT_MODE", "warn"}});
  EXPECT_EQ(enforced.exit_code, 3);
  auto bad_env = run_clean(cmd({"-c", refused_config()}), {{"PREFLIGHT_MODE", "lenient"}});
  EXPECT_EQ(bad_env.exit_code, 2);
  EXPECT_NE(bad_env.err.find("PREFLIGHT_MODE=\"lenient\""), std::string::npos) << bad_env.err;
  auto bad_option = run_clean(cmd({"-c", refused_config(), "--mode", "lenient"}));
  EXPECT_EQ(bad_option.exit_code, 2);
  EXPECT_NE(bad_option.err.find("--mode"), std::string::npos) << bad_option.err;
}

TEST_F(WhereItRuns, PhaseTimeoutsOverCloudRunsStartupWindowAreWarned) {
  auto config = dir.write("cfg.json", tcp_config("tcp://10.0.0.3:6379", "300s"));
  auto r = run_clean(cmd({"lint", "-c", config}), {{"K_SERVICE", "api"}});
  EXPECT_EQ(r.exit_code, 0) << "a warning, not a failure: " << r.err;
  // On Cloud Run the logs are the report: the warning is a log entry.
  EXPECT_NE(r.err.find("add up to 300.00 s (cache 300.00 s), more than the startup budget of 240.00 s"), std::string::npos)
      << r.err;
  auto shortened = run_clean(cmd({"lint", "-c", config, "--phase-timeout", "cache=60s"}), {{"K_SERVICE", "api"}});
  EXPECT_EQ(shortened.err.find("startup budget"), std::string::npos) << shortened.err;
  EXPECT_NE(shortened.err.find("READY"), std::string::npos) << shortened.err;
}

TEST_F(WhereItRuns, LintForCloudRunWarnsAboutLoopbackTargets) {
  auto config = dir.write("cfg.json", tcp_config("tcp://${REDIS_HOST}:6379"));
  auto env = dir.write(".env", "REDIS_HOST=localhost\n");
  auto laptop = run_clean(cmd({"lint", "-c", config, "-e", env}));
  EXPECT_EQ(laptop.out.find("Cloud Run"), std::string::npos) << laptop.out;
  auto deploy = run_clean(cmd({"lint", "-c", config, "-e", env, "--target", "cloudrun"}));
  EXPECT_EQ(deploy.exit_code, 0) << deploy.err;
  EXPECT_NE(deploy.out.find(fmt::format("targets localhost (from REDIS_HOST, {}:1) while running on Cloud Run", env)),
            std::string::npos)
      << deploy.out;
}

TEST_F(WhereItRuns, AFailureThroughAProxySaysTheProxyIsInThePath) {
  FixtureServer health(Behaviour::http, {.http = [](int, const std::string&) { return http_response(200, "ok"); }});
  auto config = dir.write("cfg.json", fmt::format(
      R"({{"phases":[{{"name":"services","timeout":"300ms","checks":[{{"name":"auth","type":"http","url":"http://127.0.0.1:{}/health"}}]}}]}})",
      health.port()));
  auto direct = run_clean(cmd({"-c", config}));
  EXPECT_EQ(direct.exit_code, 0) << direct.out << direct.err;
  RefusedPort no_proxy_listens;
  std::string proxy = fmt::format("http://user:{}@127.0.0.1:{}", kCanary, no_proxy_listens.port());
  auto proxied = run_clean(cmd({"-c", config, "-o", "json"}), {{"http_proxy", proxy}});
  EXPECT_EQ(proxied.exit_code, 3) << proxied.out;
  std::string hint = json::parse(proxied.out)["phases"][0]["checks"][0]["error"]["hint"];
  EXPECT_NE(hint.find("a proxy is in the path (http_proxy=http://user:***@127.0.0.1:"), std::string::npos) << hint;
  expect_no_canary("stdout", proxied.out);
  auto exempted = run_clean(cmd({"-c", config}), {{"http_proxy", proxy}, {"no_proxy", "127.0.0.1"}});
  EXPECT_EQ(exempted.exit_code, 0) << exempted.out;
}

// The Cloud SQL Auth Proxy as a sidecar: its port refuses until it
// listens, and it does not speak PostgreSQL's SSL.
TEST_F(WhereItRuns, OnCloudRunALoopbackRefusalNamesTheSidecarAndItsOrdering) {
  auto r = run_clean(cmd({"-c", refused_config(), "--target", "cloudrun", "--once"}));
  EXPECT_EQ(r.exit_code, 3) << r.err;
  EXPECT_NE(r.out.find("only a sidecar container listens there. If one should (the Cloud SQL Auth Proxy, pgbouncer), it is "
                       "not listening yet"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("run.googleapis.com/container-dependencies"), std::string::npos) << r.out;
  // Off Cloud Run the same refusal is an ordinary one.
  auto local = run_clean(cmd({"-c", refused_config(), "--once"}));
  EXPECT_EQ(local.out.find("sidecar"), std::string::npos) << local.out;
}

TEST_F(WhereItRuns, LintFlagsSslmodeRequireThroughTheSocketOrTheProxySidecar) {
  auto config = dir.write("db.json", R"({"phases":[{"name":"db","timeout":"1s","checks":[
      {"name":"sock","type":"postgres","url":"postgresql://app@/app?host=/cloudsql/p:r:i&sslmode=require"},
      {"name":"proxy","type":"postgres","url":"postgresql://app@127.0.0.1:5432/app?sslmode=verify-full"},
      {"name":"fine","type":"postgres","url":"postgresql://app@/app?host=/cloudsql/p:r:i&sslmode=disable"}]}]})");
  auto r = run_clean(cmd({"lint", "-c", config, "--target", "cloudrun"}));
  EXPECT_NE(r.out.find("db/sock: sslmode=require over the Unix socket /cloudsql/p:r:i/.s.PGSQL.5432"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("db/proxy: sslmode=verify-full to 127.0.0.1:5432 on Cloud Run: that port is a sidecar"), std::string::npos)
      << r.out;
  EXPECT_EQ(r.out.find("db/fine: sslmode"), std::string::npos) << r.out;
  // Off Cloud Run a loopback server may well have SSL: only the socket is flagged.
  auto local = run_clean(cmd({"lint", "-c", config}));
  EXPECT_NE(local.out.find("db/sock: sslmode=require"), std::string::npos) << local.out;
  EXPECT_EQ(local.out.find("db/proxy: sslmode"), std::string::npos) << local.out;
}

TEST_F(WhereItRuns, LintForCloudRunFlagsAPortFromAnEnvFileButNotCloudRunsOwn) {
  auto env = dir.write(".env", "REDIS_URL=redis://10.0.0.3:6379\nPORT=3000\n");
  auto r = run_clean(cmd({"lint", "-e", env, "--target", "cloudrun"}));
  EXPECT_NE(r.out.find(fmt::format("PORT is set by {}:2: Cloud Run sets PORT", env)), std::string::npos) << r.out;
  // PORT in the environment is Cloud Run's own.
  auto own = run_clean(cmd({"lint", "--target", "cloudrun"}), {{"PORT", "8080"}, {"REDIS_URL", "redis://10.0.0.3:6379"}});
  EXPECT_EQ(own.out.find("PORT is set"), std::string::npos) << own.out;
  // Off Cloud Run, PORT is anyone's.
  auto local = run_clean(cmd({"lint", "-e", env}));
  EXPECT_EQ(local.out.find("PORT is set"), std::string::npos) << local.out;
}

// Memorystore's server CA, and any other, is replaced before it expires:
// the day it does, every TLS check against the server fails at once.
TEST_F(WhereItRuns, LintWarnsOfACaFileThatExpiresWithinThirtyDays) {
  auto soon = dir.path() + "/soon.crt";
  auto made = run({"openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout",
                   dir.path() + "/soon.key", "-out", soon, "-days", "10", "-subj", "/CN=memorystore-ca"});
  ASSERT_EQ(made.exit_code, 0) << made.err;
  TestPki pki = make_test_pki(dir);
  // During a rotation the file holds the old CA and the new one: no warning.
  auto rotation = dir.write("rotation.crt", read_text_file(soon) + read_text_file(pki.ca_cert));
  auto config = dir.write("ca.json", fmt::format(R"({{"phases":[{{"name":"cache","timeout":"1s","checks":[
      {{"name":"soon","type":"redis","url":"rediss://10.0.0.3:6378","ca_file":"{}"}},
      {{"name":"gone","type":"redis","url":"rediss://10.0.0.3:6378","ca_file":"{}"}},
      {{"name":"fine","type":"redis","url":"rediss://10.0.0.3:6378","ca_file":"{}"}},
      {{"name":"rotating","type":"redis","url":"rediss://10.0.0.3:6378","ca_file":"{}"}}]}}]}})",
                                                 soon, pki.expired_cert, pki.ca_cert, rotation));
  auto r = run_clean(cmd({"lint", "-c", config}));
  // 9 or 10 days: made 10 days long a moment ago.
  EXPECT_NE(r.out.find("cache/soon: the CA certificate CN=memorystore-ca in " + soon + " expires in "), std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("Memorystore: the instance's server CA"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("cache/gone: the CA certificate"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("expired"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("cache/fine: the CA"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("cache/rotating:"), std::string::npos) << r.out;
}

TEST_F(WhereItRuns, LintForCloudRunFlagsAnEnvFileThatDockerignoreLeavesOut) {
  const std::string repo = dir.path() + "/repo";
  dir.write("repo/.dockerignore", "node_modules\n**/.env*\n!.env.example\n");
  dir.write("repo/deploy/.env.production", "REDIS_URL=redis://10.0.0.3:6379\n");
  auto config = dir.write("repo/deploy/preflight.json", R"({"env_files":[".env.production"],"phases":[{"name":"cache","checks":[
      {"name":"redis","type":"redis","url":"${REDIS_URL}"}]}]})");
  // PWD is the shell's working directory, not a secret: the paths under it stay readable.
  auto r = run_clean(cmd({"lint", "-c", config, "--target", "cloudrun"}), {{"PWD", repo}});
  EXPECT_NE(r.out.find(fmt::format("the env file {}/deploy/.env.production that the config lists is excluded by {}/.dockerignore",
                                   repo, repo)),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("\"!deploy/.env.production\""), std::string::npos) << r.out;
  dir.write("repo/.dockerignore", "node_modules\n**/.env*\n!deploy/.env.production\n");
  auto kept = run_clean(cmd({"lint", "-c", config, "--target", "cloudrun"}));
  EXPECT_EQ(kept.out.find("is excluded by"), std::string::npos) << kept.out;
}

}  // namespace
}  // namespace preflight::testing
