// The files libpq reads by itself, read as its fe-connect.c reads them:
// passwordFromFile for the password file, parseServiceFile for services.
#include <gtest/gtest.h>

#include "probes/postgres/libpq_files.h"

namespace preflight {
namespace {

TEST(PgpassPasswords, EachLinesPasswordWithItsEscapesUndone) {
  struct Row {
    std::string text;
    std::vector<std::string> passwords;
  };
  const std::vector<Row> rows = {
      {"db:5432:app:app:s3cret\n", {"s3cret"}},
      {"*:*:*:*:pa\\:ss\\\\word\n", {"pa:ss\\word"}},         // '\' escapes ':' and '\'
      {"h:1:d:u:first:second\n", {"first"}},                  // an unescaped ':' ends it
      {"# db:5432:app:app:commented\n", {}},                  // a comment
      {"h:1:d:u:crlf\r\n", {"crlf"}},                          // a Windows-edited file
      {"h\\:x:1:d:u:escaped-host\n", {"escaped-host"}},       // an escaped ':' in an earlier field
      {"h:1:d:u\n", {}},                                       // no password field
      {"h:1:d:u:\n", {}},                                      // an empty one
      {"a:1:d:u:one\n\nb:2:d:u:two", {"one", "two"}},         // no final newline
  };
  for (const Row& row : rows) EXPECT_EQ(pgpass_passwords(row.text), row.passwords) << row.text;
}

TEST(ServiceSection, TheNamedSectionsKeywordsAsLibpqReadsThem) {
  const std::string text =
      "# comment\n"
      "[other]\nhost=elsewhere\n"
      "[orders]\n  host=db.internal\nport=6432   \n\nuser=app\n# inside\npassword=a=b\n"
      "[after]\nhost=later\n";
  auto section = service_section(text, "orders");
  ASSERT_TRUE(section);
  const std::vector<std::pair<std::string, std::string>> expected = {
      {"host", "db.internal"}, {"port", "6432"}, {"user", "app"}, {"password", "a=b"}};
  EXPECT_EQ(*section, expected);
  EXPECT_FALSE(service_section(text, "missing"));
  EXPECT_FALSE(service_section(text, "order"));  // the whole name, not a prefix
}

}  // namespace
}  // namespace preflight
