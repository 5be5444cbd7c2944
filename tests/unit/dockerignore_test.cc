// .dockerignore as Docker reads it, on the patterns projects write.
#include <gtest/gtest.h>

#include "config/dockerignore.h"

namespace preflight {
namespace {

TEST(Dockerignore, PatternsDirectoriesDoubleStarAndExceptions) {
  const std::string rules = "# comment\nnode_modules\n**/.env*\n!.env.example\n/secrets/\n*.md\n!README.md\n";
  EXPECT_TRUE(dockerignore_excludes(rules, ".env"));
  EXPECT_TRUE(dockerignore_excludes(rules, "deploy/.env.production"));
  EXPECT_FALSE(dockerignore_excludes(rules, ".env.example")) << "the last matching line wins";
  EXPECT_TRUE(dockerignore_excludes(rules, "node_modules/pkg/index.js")) << "a directory excludes what it holds";
  EXPECT_TRUE(dockerignore_excludes(rules, "secrets/db-password"));
  EXPECT_TRUE(dockerignore_excludes(rules, "CHANGES.md"));
  EXPECT_FALSE(dockerignore_excludes(rules, "README.md"));
  EXPECT_FALSE(dockerignore_excludes(rules, "docs/guide.md")) << "* does not cross a slash";
  EXPECT_FALSE(dockerignore_excludes(rules, "deploy/preflight.json"));
}

TEST(Dockerignore, NothingIsExcludedByAnEmptyFile) {
  EXPECT_FALSE(dockerignore_excludes("", ".env"));
  EXPECT_FALSE(dockerignore_excludes("\n# only a comment\n", ".env"));
}

}  // namespace
}  // namespace preflight
