// Dotenv files: KEY=VALUE lines as docker compose, python-dotenv and most
// deploy tooling write them.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/problem.h"
#include "base/result.h"

namespace preflight {

struct DotenvEntry {
  std::string key;
  std::string value;
  int line = 0;             // 1-based line where the entry starts
  bool expandable = false;  // unquoted or double-quoted: ${VAR} is expanded
};

// Accepts `KEY=VALUE`, `export KEY=VALUE`, single quotes (literal, may span
// lines), double quotes (escapes \n \r \t \" \\ \$, may span lines), `#`
// comment lines and ` #` trailing comments on unquoted values, CRLF line
// ends and a UTF-8 BOM. Duplicate keys are all returned in order (last wins
// when applied). Rejects NUL bytes, lines without `=`, invalid key names and
// unterminated quotes: the problem's origin is "FILE:LINE" ("line N" when
// `file` is empty), its message "ORIGIN: what is wrong".
Result<std::vector<DotenvEntry>, Problem> parse_dotenv(std::string_view text, std::string_view file = {});

}  // namespace preflight
