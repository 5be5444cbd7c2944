// Issue 27, classes 2, 3 and 4: a secret that a server transformed, cut, or
// learnt at run time, in every form real encoders give it. The cases are
// tests/corpus/redact_transforms.jsonl, written by
// tests/tools/redact_transforms.py from Python's json, urllib, base64,
// quopri, textwrap, html and xml modules, GNU base64, xxd and Go's
// encoding/json: each a message holding a canary, transformed, beside the
// same message with a decoy of the canary. No telltale of the canary
// survives the scrub (5 bytes in a row, mostly of what the canary made of
// the message, or of the canary itself), and the decoy's message comes
// through untouched (class 12).
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <fstream>
#include <map>
#include <set>

#include "base/redact.h"
#include "probes/google_identity.h"
#include "telltales.h"

namespace preflight {
namespace {

struct TransformCase {
  int issue_class = 0;
  std::string canary, learnt, transform, encoder;
  std::string secret, text, control;
  testing::Ranges dependent;  // what depends on the canary
};

std::vector<TransformCase> load_cases() {
  std::ifstream in(std::string(PREFLIGHT_SOURCE_DIR) + "/tests/corpus/redact_transforms.jsonl");
  std::vector<TransformCase> cases;
  for (std::string line; std::getline(in, line);) {
    auto j = nlohmann::json::parse(line);
    TransformCase c{j["class"], j["canary"], j["learnt"], j["transform"], j["encoder"],
                    testing::unhex(j["secret"]), testing::unhex(j["text"]), testing::unhex(j["control"]), {}};
    for (const auto& run : j["dependent"]) c.dependent.emplace_back(run[0], run[1]);
    cases.push_back(std::move(c));
  }
  return cases;
}

// The redactor as the run holds it: a configured secret registered before
// anything runs, an identity token learnt while the check runs.
std::unique_ptr<Redactor> redactor_for(const TransformCase& c) {
  if (c.learnt == "token") {
    auto r = std::make_unique<Redactor>();
    for (const auto& secret : token_secrets(c.secret)) r->learn(secret);
    return r;
  }
  return std::make_unique<Redactor>(std::vector<std::string>{c.secret});
}

// Each case in one test, named in its failures: as 954 parameterised
// tests, ctest started the test binary 954 times (7 minutes under ASan).
std::string where(const TransformCase& c) {
  return "class " + std::to_string(c.issue_class) + ", canary " + c.canary + ", " + c.transform + " (" + c.encoder + ")";
}

TEST(TransformMatrix, NoTelltaleOfTheSecretSurvivesInAnyForm) {
  for (const TransformCase& c : load_cases()) {
    const std::string scrubbed = redactor_for(c)->scrub(c.text);
    SCOPED_TRACE(where(c) + "\n" + c.text + "\nscrubbed:\n" + scrubbed);
    const auto runs = testing::telltales(c.text, c.control, c.dependent, c.secret);
    EXPECT_FALSE(runs.empty()) << "a case that checks nothing";
    for (const std::string& run : runs) EXPECT_EQ(scrubbed.find(run), std::string::npos) << "\"" << run << "\" survived";
  }
}

TEST(TransformMatrix, TheSameMessageWithoutTheSecretIsUntouched) {
  for (const TransformCase& c : load_cases()) EXPECT_EQ(redactor_for(c)->scrub(c.control), c.control) << where(c);
}

TEST(TransformMatrix, WordsAndEqualsSignsAroundTheSecretStay) {
  for (const TransformCase& c : load_cases()) {
    const std::string scrubbed = redactor_for(c)->scrub(c.text);
    for (const std::string word : {"OAuth", "sslmode=require", "a==b", "FATAL"}) {
      if (c.text.find(word) == std::string::npos) continue;
      EXPECT_NE(scrubbed.find(word), std::string::npos) << where(c) << ": " << word << " in\n" << scrubbed;
    }
  }
}

// The corpus is what the matrix says it is: every class and canary, and
// every encoder, are there (an empty or truncated file would pass above).
TEST(TransformMatrixCorpus, HoldsEveryClassCanaryAndEncoder) {
  std::map<int, size_t> per_class;
  std::set<std::string> canaries, transforms;
  for (const auto& c : load_cases()) {
    ++per_class[c.issue_class];
    canaries.insert(c.canary);
    transforms.insert(c.transform);
  }
  EXPECT_EQ(canaries.size(), 8u);
  EXPECT_GE(per_class[2], 8u * 30);
  EXPECT_GE(per_class[3], 70u);
  for (const char* t :
       {"go-json", "quote-some", "base64-mime", "hex-xxd", "latin1-mojibake", "textwrap-12", "swapcase", "json-in-json"}) {
    EXPECT_TRUE(transforms.contains(t)) << t;
  }
}

}  // namespace
}  // namespace preflight
