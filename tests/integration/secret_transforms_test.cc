// Issue 27, class 2, through the binary: an API server refuses the token
// and its 401 body quotes it transformed, as real encoders write it (Go's
// encoding/json with \u0026 for '&', percent-encoding of only some
// characters, Python's json, MIME base64; the bodies are
// tests/corpus/transformed_echoes.jsonl, written by
// tests/tools/redact_transforms.py). The report quotes the body, in text
// and in JSON, with no telltale of the token.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <fstream>

#include "binary_harness.h"
#include "fixture_server.h"
#include "telltales.h"

namespace preflight::testing {
namespace {

struct Echo {
  std::string canary, transform, secret, body, control;
  Ranges dependent;
};

std::vector<Echo> load_echoes() {
  std::ifstream in(std::string(PREFLIGHT_SOURCE_DIR) + "/tests/corpus/transformed_echoes.jsonl");
  std::vector<Echo> out;
  for (std::string line; std::getline(in, line);) {
    auto j = json::parse(line);
    Echo e{j["canary"], j["transform"], unhex(j["secret"]), unhex(j["body"]), unhex(j["control"]), {}};
    for (const auto& run : j["dependent"]) e.dependent.emplace_back(run[0], run[1]);
    out.push_back(std::move(e));
  }
  return out;
}

// Every string of a JSON document, decoded: a telltale escaped again by
// the JSON renderer ("\\u0026") would not be found in the raw bytes.
void strings_of(const json& doc, std::string& out) {
  if (doc.is_string()) out += doc.get<std::string>() + "\n";
  if (!doc.is_structured()) return;
  for (const auto& child : doc) strings_of(child, out);
}

TEST(SecretTransforms, AServerEchoingTheTokenTransformedShowsNoTelltale) {
  const auto echoes = load_echoes();
  ASSERT_GE(echoes.size(), 8u);
  for (const Echo& echo : echoes) {
    SCOPED_TRACE(echo.canary + " " + echo.transform);
    FixtureServer server(Behaviour::http, {.http = [&](int, const std::string&) { return http_response(401, echo.body); }});
    TempDir dir;
    auto config = dir.write("c.json", fmt::format(R"({{"phases":[{{"name":"api","timeout":"2s","checks":[
        {{"name":"api","type":"http","url":"http://127.0.0.1:{}/v1","headers":{{"Authorization":"Bearer ${{API_TOKEN}}"}}}}]}}]}})",
                                                  server.port()));
    const auto runs = telltales(echo.body, echo.control, echo.dependent, echo.secret);
    ASSERT_FALSE(runs.empty());
    for (const std::vector<std::string>& format : {std::vector<std::string>{"-v"}, std::vector<std::string>{"-o", "json"}}) {
      std::vector<std::string> argv = cmd({"-c", config, "--once"});
      argv.insert(argv.end(), format.begin(), format.end());
      auto r = run_clean(argv, {{"API_TOKEN", echo.secret}});
      EXPECT_EQ(r.exit_code, 3) << r.err;
      std::string shown = r.out + r.err;
      if (format[0] == "-o") {
        auto doc = json::parse(r.out, nullptr, false);
        ASSERT_FALSE(doc.is_discarded()) << r.out;
        strings_of(doc, shown);
      }
      // The body was quoted, and masked: else this test proves nothing.
      EXPECT_NE(shown.find("answered HTTP 401"), std::string::npos) << shown;
      EXPECT_NE(shown.find("***"), std::string::npos) << shown;
      for (const auto& run : runs) EXPECT_EQ(shown.find(run), std::string::npos) << "\"" << run << "\" in\n" << shown;
    }
  }
}

}  // namespace
}  // namespace preflight::testing
