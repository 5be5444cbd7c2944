// Whether any output shows a secret: canaries of every awkward shape, and
// a run of the binary in every output mode (text with -vv, JSON report and
// JSON logs, JUnit, --report-file) with every byte checked for any form of
// the canary a Redactor knows (secret_forms), or any 5 characters of it.
#pragma once

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "binary_harness.h"
#include "process.h"
#include "secret_forms.h"

namespace preflight::testing {

struct Shape {
  std::string name;
  std::string canary;
  bool fits_a_header_line() const { return canary.find_first_of("\r\n") == std::string::npos; }
};

inline std::vector<Shape> shapes() {
  return {
      {"plain", "Cq7-vxrpl-Zk3"},
      {"escapable", "Cq7\"vx\\rp<&>'l/Zk3"},
      {"spaces", " Cq7 vx\trpl Zk3 "},
      {"multi-line", "Cq7-vx\nrpl\r\n-Zk3"},
      {"over 1 KiB", "Cq7-" + std::string(1100, 'w') + "-Zk3"},
      {"invalid UTF-8", "Cq7-\xff\xfe-vxrpl-Zk3"},
      {"short", "Q9"},
  };
}

// Every 5-character run of the canary and of each form of it, where the
// run holds at least 3 of the canary's letters and digits (a run such as
// "&amp;" alone is every escaped '&', not the secret).
inline std::vector<std::string> fragments(const std::string& canary) {
  std::vector<std::string> out;
  auto forms = secret_forms(canary);
  for (const auto& form : forms) {
    if (form.size() < 5) continue;
    for (size_t i = 0; i + 5 <= form.size(); ++i) {
      std::string run = form.substr(i, 5);
      int letters = 0;
      for (unsigned char c : run) letters += std::isalnum(c) && canary.find(static_cast<char>(c)) != std::string::npos;
      if (letters >= 3 && run.find("amp;") == std::string::npos && run.find("quot") == std::string::npos &&
          run.find("apos") == std::string::npos) {
        out.push_back(run);
      }
    }
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

inline bool whole_token_at(const std::string& text, size_t at, size_t n) {
  auto token = [](unsigned char c) { return std::isalnum(c) || c == '_' || c >= 0x80; };
  return (at == 0 || !token(text[at - 1])) && (at + n >= text.size() || !token(text[at + n]));
}

inline void expect_no_leak(const Shape& shape, const std::string& where, const std::string& text) {
  if (shape.canary.size() < 5) {
    for (const auto& form : secret_forms(shape.canary)) {
      for (size_t at = text.find(form); at != std::string::npos; at = text.find(form, at + 1)) {
        EXPECT_FALSE(whole_token_at(text, at, form.size()))
            << shape.name << ": " << where << " shows the short secret as \"" << form << "\":\n" << text;
      }
    }
    return;
  }
  for (const auto& run : fragments(shape.canary)) {
    if (text.find(run) != std::string::npos) {
      ADD_FAILURE() << shape.name << ": " << where << " shows \"" << run << "\" of the secret:\n" << text;
      return;  // one message per output is enough
    }
  }
}

// Runs argv in every output mode and checks every byte written.
inline void run_everywhere(const Shape& shape, const std::string& scenario, std::vector<std::string> argv,
                    const std::map<std::string, std::string>& env) {
  TempDir dir;
  const std::string report = dir.path() + "/report";
  auto with = [&](std::initializer_list<std::string> extra) {
    // Options go before a "--": what follows it is the command's.
    std::vector<std::string> v = argv;
    v.insert(std::find(v.begin() + 1, v.end(), "--"), extra);
    return v;
  };
  const std::vector<std::vector<std::string>> modes = {
      with({"-vv"}),
      with({"-vv", "-o", "json", "--log-format", "json", "--report-file", report + ".json"}),
      with({"-v", "-o", "junit", "--report-file", report + ".xml", "--report-format", "junit"}),
  };
  for (const auto& mode : modes) {
    auto r = run_clean(mode, env);
    std::string where = fmt::format("{} [{}]", scenario, fmt::join(mode.begin() + 1, mode.end(), " "));
    EXPECT_TRUE(r.exit_code == 0 || r.exit_code == 2 || r.exit_code == 3 || r.exit_code == 127) << where << " exit " << r.exit_code << r.err;
    expect_no_leak(shape, where + " stdout", r.out);
    expect_no_leak(shape, where + " stderr", r.err);
  }
  for (const char* file : {".json", ".xml"}) {
    std::ifstream in(report + file);
    if (in) expect_no_leak(shape, scenario + " report file " + file, read_text_file(report + file));
  }
}

}  // namespace preflight::testing
