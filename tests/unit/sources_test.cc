#include "config/sources.h"

#include <sys/stat.h>

#include <gtest/gtest.h>

#include <set>

#include "process.h"

namespace preflight {
namespace {

using testing::TempDir;

TEST(LoadVariables, PrecedenceIsSetThenEnvThenSecretsThenEnvFiles) {
  TempDir dir;
  SourceOptions o;
  o.env_files = {dir.write("a.env", "A=file\nB=file\nC=file\nD=file\n")};
  dir.write("secrets/B", "secret\n");
  dir.write("secrets/C", "secret");
  dir.write("secrets/D", "secret");
  o.secrets_dirs = {dir.path() + "/secrets"};
  o.process_env = {{"C", "env"}, {"D", "env"}};
  o.sets = {{"D", "set"}};
  auto v = load_variables(o);
  ASSERT_TRUE(v.ok()) << v.error().message;
  EXPECT_EQ(v->find("A")->value, "file");
  EXPECT_EQ(v->find("A")->source, dir.path() + "/a.env:1");
  EXPECT_EQ(v->find("B")->value, "secret");
  EXPECT_EQ(v->find("C")->value, "env");
  EXPECT_EQ(v->find("D")->value, "set");
  EXPECT_EQ(v->find("D")->source, "--set");
}

TEST(LoadVariables, LaterEnvFilesWinAndConflictsNameBothSources) {
  TempDir dir;
  SourceOptions o;
  o.env_files = {dir.write("1.env", "HOST=a\nSAME=x\n"), dir.write("2.env", "HOST=b\nSAME=x\n")};
  auto v = load_variables(o);
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(v->find("HOST")->value, "b");
  ASSERT_EQ(v->conflicts().size(), 1u) << "same value in two sources is no conflict";
  EXPECT_EQ(v->conflicts()[0].name, "HOST");
  EXPECT_EQ(v->conflicts()[0].loser_source, dir.path() + "/1.env:1");
  EXPECT_EQ(v->conflicts()[0].winner_source, dir.path() + "/2.env:1");
}

TEST(LoadVariables, DuplicateKeyInOneFileIsNoConflict) {
  TempDir dir;
  SourceOptions o;
  o.env_files = {dir.write("1.env", "A=1\nA=2\n")};
  auto v = load_variables(o);
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(v->find("A")->value, "2");
  EXPECT_EQ(v->find("A")->source, dir.path() + "/1.env:2");
  EXPECT_TRUE(v->conflicts().empty());
}

TEST(LoadVariables, SecretsDirNormalizesNamesAndSkipsDotEntries) {
  TempDir dir;
  dir.write("s/redis-password", "pw\r\n");
  dir.write("s/..data/redis-password", "hidden");
  dir.write("s/.hidden", "x");
  SourceOptions o;
  o.secrets_dirs = {dir.path() + "/s"};
  auto v = load_variables(o);
  ASSERT_TRUE(v.ok());
  ASSERT_NE(v->find("REDIS_PASSWORD"), nullptr);
  EXPECT_EQ(v->find("REDIS_PASSWORD")->value, "pw");
  EXPECT_TRUE(v->find("REDIS_PASSWORD")->secret);
  EXPECT_EQ(v->find("redis-password")->value, "pw");
  EXPECT_EQ(v->find(".hidden"), nullptr);
  EXPECT_EQ(v->all().size(), 2u);
}

TEST(LoadVariables, OnlyOneTrailingNewlineIsStripped) {
  TempDir dir;
  dir.write("s/K", "v\n\n");
  SourceOptions o;
  o.secrets_dirs = {dir.path() + "/s"};
  EXPECT_EQ(load_variables(o)->find("K")->value, "v\n");
}

TEST(LoadVariables, FileIndirectionDefinesTheVariable) {
  TempDir dir;
  std::string pw = dir.write("pw.txt", "from-file\n");
  SourceOptions o;
  o.process_env = {{"REDIS_PASSWORD_FILE", pw}};
  auto v = load_variables(o);
  ASSERT_TRUE(v.ok());
  ASSERT_NE(v->find("REDIS_PASSWORD"), nullptr);
  EXPECT_EQ(v->find("REDIS_PASSWORD")->value, "from-file");
  EXPECT_TRUE(v->find("REDIS_PASSWORD")->secret);
  EXPECT_NE(v->find("REDIS_PASSWORD")->source.find("REDIS_PASSWORD_FILE"), std::string::npos);
}

TEST(LoadVariables, UnreadableIndirectionIsAProblemNotAnAbort) {
  SourceOptions o;
  o.process_env = {{"X_FILE", "/nonexistent/x"}};
  auto v = load_variables(o);
  ASSERT_TRUE(v.ok());
  ASSERT_TRUE(v->find("X")->problem);
  EXPECT_EQ(v->find("X")->problem->kind, FailureKind::invalid_config);
}

// A NAME_FILE value is a path, which messages show (a Secret Manager
// volume that was not mounted must be named), unless it does not read as
// one: then it may be the secret itself, written where the path belongs.
TEST(LoadVariables, AFileVariablesPathIsShownAndASecretInItsPlaceIsNot) {
  struct Row {
    std::string value;
    bool shown;
  };
  const std::vector<Row> rows = {
      {"/run/secrets/db-password", true},  {"/var/run/secrets/app/token.txt", true}, {"/secrets/redis:6379@prod", true},
      {"s3cr3t-Value!", false},            {"/9j4Kq+ZpW==", false},                    {"/onlyonepart", false},
      {"/run/secrets/has space", false},   {"relative/path", false},
  };
  for (const Row& row : rows) {
    SourceOptions o;
    o.process_env = {{"DB_PASSWORD_FILE", row.value}};
    auto v = load_variables(o);
    ASSERT_TRUE(v.ok());
    EXPECT_EQ(v->find("DB_PASSWORD_FILE")->secret, !row.shown) << row.value;
    const Variable* target = v->find("DB_PASSWORD");
    ASSERT_TRUE(target && target->problem) << row.value;
    EXPECT_EQ(target->problem->message.find(row.value) != std::string::npos, row.shown) << target->problem->message;
    EXPECT_EQ(target->source.find(row.value) != std::string::npos, row.shown) << target->source;
  }
  TempDir dir;  // an existing file is a path whatever it is called
  std::string odd = dir.write("pw", "x");
  EXPECT_TRUE(looks_like_path(odd));
}

TEST(LoadVariables, AnIndirectionIsReadOnlyWhenItsVariableIsLookedUp) {
  TempDir dir;
  std::string path = dir.write("ca.pem", "first");
  SourceOptions o;
  o.process_env = {{"SSL_CERT_FILE", path}};
  auto v = load_variables(o);
  ASSERT_TRUE(v.ok());
  // Had it been read at load time, the lookup would see "first".
  dir.write("ca.pem", "second");
  EXPECT_EQ(v->find("SSL_CERT")->value, "second");
  dir.write("ca.pem", "third");
  EXPECT_EQ(v->find("SSL_CERT")->value, "second") << "read once";
}

TEST(LoadVariables, IndirectionsDefinedTwiceAreComparedByContent) {
  TempDir dir;
  std::string a = dir.write("a", "same\n");
  std::string b = dir.write("b", "same");
  std::string c = dir.write("c", "other");
  SourceOptions o;
  o.env_files = {dir.write(".env", "K_FILE=" + a + "\nL_FILE=" + a + "\n")};
  o.process_env = {{"K_FILE", b}, {"L_FILE", c}};
  auto v = load_variables(o);
  ASSERT_TRUE(v.ok());
  std::set<std::string> names;
  for (const auto& conflict : v->conflicts()) names.insert(conflict.name);
  // The paths differ (K_FILE, L_FILE); of the values, only L's.
  EXPECT_EQ(names, (std::set<std::string>{"K_FILE", "L_FILE", "L"}));
  EXPECT_EQ(v->find("L")->value, "other");
}

TEST(LoadVariables, SecretEntryThatIsADirectoryIsSkipped) {
  TempDir dir;
  dir.write("s/sub/inner", "x");
  dir.write("s/K", "v");
  SourceOptions o;
  o.secrets_dirs = {dir.path() + "/s"};
  auto v = load_variables(o);
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(v->find("sub"), nullptr);
  EXPECT_EQ(v->find("K")->value, "v");
}

TEST(LoadVariables, MissingInputsAreErrorsNamingThePath) {
  SourceOptions a;
  a.env_files = {"/nonexistent/.env"};
  auto r = load_variables(a);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("/nonexistent/.env"), std::string::npos);
  SourceOptions b;
  b.secrets_dirs = {"/nonexistent/secrets"};
  EXPECT_FALSE(load_variables(b).ok());
}

TEST(LoadVariables, MalformedEnvFileNamesFileAndLine) {
  TempDir dir;
  SourceOptions o;
  o.env_files = {dir.write("bad.env", "A=1\nB='open\n")};
  auto r = load_variables(o);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("bad.env:2"), std::string::npos) << r.error().message;
}

TEST(LoadVariables, SecretManagerFileDefinesIdAndUpperCase) {
  TempDir dir;
  SourceOptions o;
  o.secrets_files = {dir.write("s.json",
                               R"([{"name":"projects/p/secrets/redis-password/versions/7","payload":{"data":"aHVudGVyMg=="}}])")};
  auto v = load_variables(o);
  ASSERT_TRUE(v.ok()) << v.error().message;
  EXPECT_EQ(v->find("REDIS_PASSWORD")->value, "hunter2");
  EXPECT_NE(v->find("REDIS_PASSWORD")->source.find("versions/7"), std::string::npos);
}

}  // namespace
}  // namespace preflight
