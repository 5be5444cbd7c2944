// Variables with provenance: every value remembers where it came from.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/failure.h"
#include "base/secret_positions.h"

namespace preflight {

// NAME_FILE=path (the convention of Docker secrets) defines NAME as the
// content of that file.
struct FileIndirection {
  std::string variable;  // "REDIS_PASSWORD_FILE"
  std::string path;
  std::string source;  // where NAME_FILE itself came from
  // False when the value does not read as a path: it may be the secret
  // itself, written where its path belongs, and is then never shown.
  bool looks_like_path = true;
};

// An absolute path of at least two parts in the characters paths are
// written with, or a file that exists: a NAME_FILE value that is one is a
// path, not a secret (the file holds the secret), and messages show it.
bool looks_like_path(std::string_view value);

struct Variable {
  std::string value;
  // Where the value came from: "env", "--set", ".env.staging:50",
  // "/secrets/redis-password", "secrets.json (projects/p/secrets/x/versions/7)".
  std::string source;
  // Values from secret sources, or whose name says they are secret, are never
  // shown; every output is also scrubbed of them.
  bool secret = false;
  // Dotenv values (unquoted or double-quoted) may refer to other variables
  // with ${...}; they are expanded when used.
  bool expandable = false;
  // Set when the source exists but its value cannot be had (unreadable secret
  // file, checksum mismatch): any check using it fails with this.
  std::optional<Failure> problem;
  // Set until the file of a NAME_FILE indirection has been read: that
  // happens when NAME is first looked up, since an environment holds many
  // *_FILE variables (SSL_CERT_FILE...) that no config uses.
  std::optional<FileIndirection> pending_file;
};

// Two sources defined the same key with different values.
struct Conflict {
  std::string name;
  std::string winner_source;
  std::string loser_source;
};

class VariableSet {
 public:
  // Reads a pending NAME_FILE indirection on the way, so it is not thread-safe.
  const Variable* find(std::string_view name) const;
  // Overrides any earlier definition, recording a conflict when the earlier
  // one came from another source with another value.
  void define(const std::string& name, Variable var);

  // Values of pending indirections are still empty here: look them up with find().
  const std::map<std::string, Variable, std::less<>>& all() const { return vars_; }
  const std::vector<Conflict>& conflicts() const { return conflicts_; }

 private:
  mutable std::map<std::string, Variable, std::less<>> vars_;
  std::vector<Conflict> conflicts_;
};

// A defined variable whose name is one or two edits from `name`, or the
// same but for case (REDIS_PASWORD for REDIS_PASSWORD): its name and
// source, for a "did you mean" about an unset variable.
std::optional<std::pair<std::string, std::string>> nearest_defined(const VariableSet& vars, std::string_view name);

}  // namespace preflight
