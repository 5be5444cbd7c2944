// Diagnosis of failures that no loopback fixture can produce (a private
// address that times out only means something on Cloud Run).
#include "report/diagnose.h"

#include <gtest/gtest.h>

namespace preflight {
namespace {

struct Case {
  Plan plan;
  CheckReport report;
};

Case timed_out(const std::string& host_value) {
  VariableSet vars;
  vars.define("REDIS_HOST", Variable{host_value, ".env.production:12", false, false, std::nullopt});
  auto config = parse_config(R"({"phases":[{"name":"cache","checks":[{"name":"redis","type":"redis","url":"redis://${REDIS_HOST}:6379"}]}]})", "c.json");
  Case c{build_plan(*config, vars), {}};
  c.report.error = Failure{FailureKind::timeout, "connecting to 10.0.0.3:6379 timed out", {}};
  return c;
}

TEST(Diagnose, PrivateAddressTimingOutOnCloudRunPointsAtTheVpcPath) {
  Case c = timed_out("10.0.0.3");
  diagnose(c.report, c.plan.phases[0].checks[0], detect_platform({{"K_SERVICE", "api"}}, ""));
  EXPECT_NE(c.report.error->hint.find("Direct VPC egress"), std::string::npos) << c.report.error->hint;
  EXPECT_NE(c.report.error->hint.find("REDIS_HOST, .env.production:12"), std::string::npos) << c.report.error->hint;
}

TEST(Diagnose, TheSameTimeoutOffCloudRunIsNotBlamedOnTheVpc) {
  Case c = timed_out("10.0.0.3");
  diagnose(c.report, c.plan.phases[0].checks[0], detect_platform({}, ""));
  EXPECT_EQ(c.report.error->hint.find("VPC"), std::string::npos) << c.report.error->hint;
}

TEST(Diagnose, AHintAlreadyGivenIsKept) {
  Case c = timed_out("10.0.0.3");
  c.report.error->hint = "the probe's own";
  diagnose(c.report, c.plan.phases[0].checks[0], detect_platform({{"K_SERVICE", "api"}}, ""));
  EXPECT_EQ(c.report.error->hint, "the probe's own");
}

// `f` as the probe that read the server's words names it.
Failure because(Failure f, Cause cause) {
  f.cause = cause;
  return f;
}

// A check whose url and variables are given, failing with `failure`.
Case failing(const std::string& check_json, std::vector<std::tuple<std::string, std::string, std::string>> defs,
             Failure failure) {
  VariableSet vars;
  for (const auto& [name, value, source] : defs) vars.define(name, Variable{value, source, name_looks_secret(name), false, std::nullopt});
  auto config = parse_config(R"({"phases":[{"name":"p","checks":[)" + check_json + "]}]}", "c.json");
  Case c{build_plan(*config, vars), {}};
  c.report.error = std::move(failure);
  diagnose(c.report, c.plan.phases[0].checks[0], detect_platform({}, ""));
  return c;
}

TEST(Diagnose, NothingListeningNamesWhereTheHostAndThePortCameFrom) {
  auto c = failing(R"({"name":"r","type":"redis","url":"redis://${REDIS_HOST}:${REDIS_PORT}"})",
                   {{"REDIS_HOST", "10.0.0.3", "env"}, {"REDIS_PORT", "6380", ".env:4"}},
                   {FailureKind::connection_refused, "connection to 10.0.0.3:6380 refused", {}});
  EXPECT_NE(c.report.error->hint.find("The host is from REDIS_HOST (env); port 6380 is from REDIS_PORT (.env:4)"),
            std::string::npos) << c.report.error->hint;
  auto d = failing(R"({"name":"r","type":"redis","url":"redis://${REDIS_HOST}"})", {{"REDIS_HOST", "10.0.0.3", "env"}},
                   {FailureKind::connection_refused, "connection to 10.0.0.3:6379 refused", {}});
  EXPECT_NE(d.report.error->hint.find("port 6379 is the client's default: if the service listens on another port, set it"),
            std::string::npos) << d.report.error->hint;
}

// PostgreSQL answers a wrong user with the words of a wrong password.
TEST(Diagnose, PasswordAuthenticationFailedNamesTheUserAndThePassword) {
  auto c = failing(R"({"name":"db","type":"postgres","url":"postgresql://${DB_USER}:${DB_PASSWORD}@10.0.0.5/app"})",
                   {{"DB_USER", "app", ".env:2"}, {"DB_PASSWORD", "pw-canary", "/run/secrets/db"}},
                   because({FailureKind::auth, "postgres: FATAL:  password authentication failed for user \"app\"", {}},
                           Cause::credentials_rejected));
  const std::string& hint = c.report.error->hint;
  EXPECT_NE(hint.find("the password from DB_PASSWORD (/run/secrets/db) was rejected"), std::string::npos) << hint;
  EXPECT_NE(hint.find("a user that does not exist too: the user app is from DB_USER (.env:2)"), std::string::npos) << hint;
  auto role = failing(R"({"name":"db","type":"postgres","url":"postgresql://${DB_USER}@10.0.0.5/app"})",
                      {{"DB_USER", "ap", ".env:2"}},
                      because({FailureKind::auth, "postgres: FATAL:  role \"ap\" does not exist", {}}, Cause::unknown_user));
  EXPECT_NE(role.report.error->hint.find("the server has no user ap (from DB_USER (.env:2))"), std::string::npos)
      << role.report.error->hint;
}

// The incident class of a rotated secret: the file holds the new password,
// an old environment variable wins.
TEST(Diagnose, ARejectedPasswordThatShadowsAnotherValueSaysSo) {
  auto c = failing(R"({"name":"r","type":"redis","url":"redis://10.0.0.3","password":"${REDIS_PASSWORD}"})",
                   {{"REDIS_PASSWORD", "new-canary", "/secrets/redis-password"}, {"REDIS_PASSWORD", "old-canary", "env"}},
                   because({FailureKind::auth, "redis answered AUTH with \"-WRONGPASS invalid password\"", {}},
                           Cause::credentials_rejected));
  const std::string& hint = c.report.error->hint;
  EXPECT_NE(hint.find("the password from REDIS_PASSWORD (env) was rejected"), std::string::npos) << hint;
  EXPECT_NE(hint.find("it overrides a different value in /secrets/redis-password"), std::string::npos) << hint;
}

TEST(Diagnose, ADatabaseIndexOutOfRangeNamesTheDatabaseNotThePort) {
  auto c = failing(R"({"name":"r","type":"redis","url":"${REDIS_URL}"})", {{"REDIS_URL", "redis://10.0.0.3/20", "env"}},
                   because({FailureKind::invalid_config, "redis answered SELECT with \"-ERR DB index is out of range\"", {}},
                           Cause::no_such_database));
  EXPECT_NE(c.report.error->hint.find("fewer databases than index 20"), std::string::npos) << c.report.error->hint;
  EXPECT_NE(c.report.error->hint.find("from REDIS_URL (env)"), std::string::npos) << c.report.error->hint;
}

TEST(Diagnose, AnUnsetVariableNextToANearNameAsksAboutTheTypo) {
  VariableSet vars;
  vars.define("REDIS_PASWORD", Variable{"pw", ".env:3", true, false, std::nullopt});
  auto config = parse_config(R"({"phases":[{"name":"p","checks":[{"name":"r","type":"redis","url":"redis://10.0.0.3","password":"${REDIS_PASSWORD}"}]}]})", "c.json");
  Plan plan = build_plan(*config, vars);
  ASSERT_FALSE(plan.findings.empty());
  EXPECT_NE(plan.findings[0].hint.find("REDIS_PASSWORD is not set, but REDIS_PASWORD is (.env:3): a typo"), std::string::npos)
      << plan.findings[0].hint;
}

// Server states that "retrying is right" alone misreads.
TEST(Diagnose, AConnectionLimitAndAStandbyAreNamed) {
  auto limit = failing(R"({"name":"db","type":"postgres","url":"postgresql://app@10.0.0.5/app"})", {},
                       because({FailureKind::unhealthy, "postgres: FATAL:  sorry, too many clients already", {}},
                               Cause::connection_limit));
  EXPECT_NE(limit.report.error->hint.find("max_connections"), std::string::npos) << limit.report.error->hint;
  auto redis = failing(R"({"name":"r","type":"redis","url":"redis://10.0.0.3"})", {},
                       because({FailureKind::unhealthy, "redis answered PING with \"-ERR max number of clients reached\"", {}},
                               Cause::connection_limit));
  EXPECT_NE(redis.report.error->hint.find("maxclients"), std::string::npos) << redis.report.error->hint;
  auto standby = failing(R"({"name":"db","type":"postgres","url":"postgresql://app@10.0.0.5/app"})", {},
                         because({FailureKind::unhealthy, "postgres: FATAL:  the database system is in recovery mode", {}},
                                 Cause::standby));
  EXPECT_NE(standby.report.error->hint.find("standby in recovery"), std::string::npos) << standby.report.error->hint;
}

// A refused upgrade is about the token and the caller, not a password.
TEST(Diagnose, A403OrA401IsAboutTheCallerNamingTheTokensVariable) {
  auto c = failing(R"({"name":"w","type":"websocket","url":"ws://10.0.0.7/ws","headers":{"Authorization":"Bearer ${WS_TOKEN}"}})",
                   {{"WS_TOKEN", "tok-canary", "env"}},
                   because({FailureKind::auth, "10.0.0.7:80 refused the WebSocket upgrade: \"HTTP/1.1 403 Forbidden\"", {},
                            Stage::reply, "403"},
                           Cause::forbidden));
  const std::string& hint = c.report.error->hint;
  EXPECT_NE(hint.find("does not allow it (403) (the token from WS_TOKEN, env)"), std::string::npos) << hint;
  EXPECT_EQ(hint.find("password"), std::string::npos) << hint;
}

// A plain client on a TLS port, and TLS to a plain port, in the words of
// the check's own protocol (a postgres check never hears of rediss://).
TEST(Diagnose, TlsOnTheWrongSideNamesTheTypesOwnSchemes) {
  auto plain = failing(R"({"name":"r","type":"redis","url":"redis://10.0.0.3:6378"})", {},
                       {FailureKind::protocol, "the reply is not Redis protocol (RESP)", {}, Stage::reply, {}});
  EXPECT_NE(plain.report.error->hint.find("or does it want TLS (rediss:// vs redis://)"), std::string::npos)
      << plain.report.error->hint;
  auto https = failing(R"({"name":"h","type":"http","url":"https://10.0.0.9/health"})", {},
                       {FailureKind::tls, "TLS with 10.0.0.9:443 failed: wrong version number", {}, Stage::tls, {}});
  EXPECT_NE(https.report.error->hint.find("(https:// vs http://)"), std::string::npos) << https.report.error->hint;
  auto pg = failing(R"({"name":"d","type":"postgres","url":"postgresql://app@10.0.0.5/app?sslmode=require"})", {},
                    {FailureKind::tls, "postgres: SSL error: wrong version number", {}, Stage::tls, {}});
  EXPECT_EQ(pg.report.error->hint.find("rediss"), std::string::npos) << pg.report.error->hint;
}

// A 404 is a wrong path: no retry helps, so the hint names the path's pieces
// and where each came from.
TEST(Diagnose, A404NamesThePathAndTheVariableItCameFrom) {
  auto c = failing(R"({"name":"auth","type":"http","url":"${AUTH_URL}","health_path":"/healthz"})",
                   {{"AUTH_URL", "http://10.0.0.9:8080/api", ".env:7"}},
                   because({FailureKind::invalid_config, "http://10.0.0.9:8080/api/healthz answered HTTP 404: \"\"", {},
                            Stage::reply, "404"},
                           Cause::no_such_path));
  EXPECT_NE(c.report.error->hint.find("no such path (404): the URL's path is /api (from AUTH_URL, .env:7), and "
                                      "\"health_path\" /healthz is joined to it"),
            std::string::npos)
      << c.report.error->hint;
  auto m = failing(R"({"name":"auth","type":"http","url":"http://10.0.0.9/health","method":"post"})", {},
                   because({FailureKind::invalid_config, "http://10.0.0.9/health answered HTTP 405: \"\"", {}, Stage::reply, "405"},
                           Cause::wrong_method));
  EXPECT_NE(m.report.error->hint.find("not to post (405)"), std::string::npos) << m.report.error->hint;
}

// "Raise the phase timeout" names where it was set, or it cannot be followed.
TEST(Diagnose, RaisingThePhaseTimeoutSaysWhereItWasSet) {
  VariableSet vars;
  auto config = parse_config(R"({"phases":[{"name":"p","timeout":"2s","checks":[{"name":"h","type":"http","url":"http://10.0.0.9/health"}]}]})",
                             "/etc/preflight.json");
  Plan plan = build_plan(*config, vars);
  CheckReport report;
  report.error = Failure{FailureKind::unhealthy, "http://10.0.0.9/health answered HTTP 502", {}, Stage::reply, "502"};
  diagnose(report, plan.phases[0].checks[0], detect_platform({}, ""), plan.phases[0].timeout_origin);
  EXPECT_NE(report.error->hint.find("raise the phase timeout (/etc/preflight.json:/phases/0/timeout)"), std::string::npos)
      << report.error->hint;
  report.error = Failure{FailureKind::timeout, "connect to 10.0.0.9:80 timed out", {}, Stage::connect, {}};
  diagnose(report, plan.phases[0].checks[0], detect_platform({}, ""), "--phase-timeout p=300ms");
  EXPECT_NE(report.error->hint.find("raise the phase timeout (--phase-timeout p=300ms)"), std::string::npos)
      << report.error->hint;
}

// What the attempt found on disk names the Cloud SQL cause: no connection
// configured at all, or a name that is not PROJECT:REGION:INSTANCE.
TEST(Diagnose, AMissingCloudSqlSocketSaysWhetherTheConnectionIsConfigured) {
  auto c = failing(R"({"name":"db","type":"postgres","url":"postgresql:///app?host=${DB_SOCKET_DIR}"})",
                   {{"DB_SOCKET_DIR", "/cloudsql/proj:us-central1:main", "env"}},
                   {FailureKind::connection_refused, "postgres: ... No such file or directory", {}, Stage::connect, "ENOENT"});
  // (failing() diagnoses at once; these facts need a second look.)
  c.report.error->hint.clear();
  c.report.error->socket_facts = SocketFacts{"/cloudsql/proj:us-central1:main/.s.PGSQL.5432", false, "/", {}};
  diagnose(c.report, c.plan.phases[0].checks[0], detect_platform({}, ""));
  EXPECT_NE(c.report.error->hint.find("/cloudsql does not exist: this service has no Cloud SQL connection"), std::string::npos)
      << c.report.error->hint;
  EXPECT_NE(c.report.error->hint.find("--add-cloudsql-instances=proj:us-central1:main"), std::string::npos) << c.report.error->hint;

  c.report.error->hint.clear();
  c.report.error->socket_facts = SocketFacts{"/cloudsql/main/.s.PGSQL.5432", false, "/", {}};
  diagnose(c.report, c.plan.phases[0].checks[0], detect_platform({}, ""));
  EXPECT_NE(c.report.error->hint.find("\"main\" is not a Cloud SQL connection name"), std::string::npos) << c.report.error->hint;
}

// A template value that makes the resolver time out (rather than answer
// NXDOMAIN) is still named as the cause.
TEST(Diagnose, ALookupTimingOutOnATemplateValueNamesTheTemplate) {
  Case c = timed_out("redis-instance-ip");
  c.report.error = Failure{FailureKind::timeout, "DNS lookup of \"redis-instance-ip\" did not finish before the deadline", {},
                           Stage::resolve, {}};
  diagnose(c.report, c.plan.phases[0].checks[0], detect_platform({}, ""));
  EXPECT_NE(c.report.error->hint.find("unreplaced template value (from REDIS_HOST, .env.production:12)"), std::string::npos)
      << c.report.error->hint;
}

}  // namespace
}  // namespace preflight
