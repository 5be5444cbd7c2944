// NAME_FILE variables through the binary: the path of a secret that is not
// mounted is named (it is where the fix goes), while a secret written in the
// NAME_FILE variable itself, where its path belongs, never shows.
#include <gtest/gtest.h>

#include "binary_harness.h"
#include "process.h"

namespace preflight::testing {
namespace {

std::string config(const TempDir& dir) {
  return dir.write("c.json", R"({"phases":[{"name":"d","timeout":"1s","checks":[
      {"name":"pg","type":"postgres","url":"postgresql://app:${DB_PASSWORD}@127.0.0.1:1/app"}]}]})");
}

TEST(FileVariables, AMissingSecretFilesPathIsNamedInEveryOutput) {
  TempDir dir;
  const std::string path = "/run/secrets/orders-db-password";
  for (const auto& output : {std::string("text"), std::string("json")}) {
    auto r = run_clean(cmd({"-c", config(dir), "--once", "-o", output}), {{"DB_PASSWORD_FILE", path}});
    EXPECT_EQ(r.exit_code, 3) << r.out << r.err;
    EXPECT_NE(r.out.find(path), std::string::npos) << output << ":\n" << r.out;
  }
}

TEST(FileVariables, ASecretWrittenWhereItsPathBelongsNeverShows) {
  TempDir dir;
  for (const std::string& value : {std::string(kCanary), "/" + std::string(kCanary), "/9j4Kq+" + std::string(kCanary) + "=="}) {
    for (const auto& output : {std::string("text"), std::string("json")}) {
      auto r = run_clean(cmd({"-c", config(dir), "--once", "-o", output}), {{"DB_PASSWORD_FILE", value}});
      EXPECT_EQ(r.exit_code, 3) << r.out << r.err;
      expect_no_canary(value + " " + output, r.out + r.err);
      EXPECT_NE(r.out.find("does not hold a path"), std::string::npos) << r.out;
    }
  }
}

}  // namespace
}  // namespace preflight::testing
