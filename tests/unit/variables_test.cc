#include "config/variables.h"

#include <gtest/gtest.h>

namespace preflight {
namespace {

TEST(NameLooksSecret, RecognisesSecretNames) {
  for (const char* name : {"REDIS_PASSWORD", "DBPASSWORD", "db_passwd", "API_TOKEN", "CLIENT_SECRET", "PRIVATE_KEY_PEM",
                           "STRIPE_API_KEY", "REDIS_AUTH", "SMTP_PASS", "MYSQL_PWD", "GCP_CREDENTIALS", "apikey",
                           "SSH_KEY_PASSPHRASE", "GITHUB_PAT", "SENTRY_DSN", "DATABASE_DSN", "JWT", "AUTH_JWT_VALUE",
                           "API_BEARER", "AZURE_STORAGE_CONNECTION_STRING", "WEBHOOK_SIG"}) {
    EXPECT_TRUE(name_looks_secret(name)) << name;
  }
}

TEST(NameLooksSecret, LeavesOrdinaryNamesAlone) {
  for (const char* name : {"AUTH_SERVICE_URL", "REDIS_HOST", "REDIS_KEY_PREFIX", "KEYCLOAK_URL", "PASSENGER_API_URL",
                           "DATABASE_URL", "OAUTH_CALLBACK_URL", "WEBSOCKET_URL", "PATH", "PATCH_LEVEL", "SIGNUP_URL",
                           // The shell's working directories: every path under them would be masked.
                           "PWD", "OLDPWD"}) {
    EXPECT_FALSE(name_looks_secret(name)) << name;
  }
}

TEST(VariableSet, RecordsConflictsOnlyBetweenSourcesWithDifferentValues) {
  VariableSet v;
  v.define("A", Variable{"1", "a.env:1", false, false, std::nullopt});
  v.define("A", Variable{"1", "env", false, false, std::nullopt});
  v.define("A", Variable{"2", "--set", false, false, std::nullopt});
  ASSERT_EQ(v.conflicts().size(), 1u);
  EXPECT_EQ(v.conflicts()[0].loser_source, "env");
  EXPECT_EQ(v.find("A")->value, "2");
}

TEST(VariableSet, SecretnessSticksWhenOverridden) {
  VariableSet v;
  v.define("X", Variable{"s", "/secrets/x", true, false, std::nullopt});
  v.define("X", Variable{"t", "--set", false, false, std::nullopt});
  EXPECT_TRUE(v.find("X")->secret) << "a value that overrides a secret is treated as one too";
}

}  // namespace
}  // namespace preflight
