// Bad input, table-driven: malformed, truncated, huge, binary and deeply
// nested config files; dotenv files with binary bytes, NULs, endless lines
// and unterminated quotes; secret files that are directories, empty, huge or
// CRLF; interpolation cycles and very long values; invalid arguments. Each
// must give exit 2 or 3 (or 0 where the input is in fact usable) with a
// message naming the file and what is wrong: never a crash, a hang or a
// stack trace. The table is printed with the results.
#include <sys/stat.h>

#include <functional>

#include <gtest/gtest.h>

#include "binary_under_test.h"
#include "binary_harness.h"

namespace preflight::testing {
namespace {

struct BadInput {
  std::string name;
  // Builds the files in `dir` and returns the arguments after the binary.
  std::function<std::vector<std::string>(const TempDir& dir)> args;
  int exit_code;
  std::string needle;  // must appear in stderr or stdout
  std::map<std::string, std::string> env = {};
};

const std::string kOkConfig =
    R"({"phases":[{"name":"p","timeout":"1s","checks":[{"name":"t","type":"tcp","url":"tcp://${H:-127.0.0.1}:1"}]}]})";

std::vector<std::string> lint_with(const TempDir& d, std::initializer_list<std::string> extra) {
  std::vector<std::string> v = {"lint", "-c", d.write("ok.json", kOkConfig)};
  v.insert(v.end(), extra);
  return v;
}

std::string repeat(const std::string& s, size_t n) {
  std::string out;
  out.reserve(s.size() * n);
  for (size_t i = 0; i < n; ++i) out += s;
  return out;
}

std::string binary_bytes(size_t n) {
  std::string out;
  uint32_t x = 2463534242u;
  for (size_t i = 0; i < n; ++i) {
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    out += static_cast<char>(x & 0xFF);
  }
  return out;
}

std::vector<BadInput> table() {
  auto config = [](std::string content) {
    return [content](const TempDir& d) { return std::vector<std::string>{"lint", "-c", d.write("cfg.json", content)}; };
  };
  auto env_file = [](std::string content) {
    return [content](const TempDir& d) { return lint_with(d, {"-e", d.write("bad.env", content)}); };
  };
  // The secret's value is scrubbed from every output: a target shows ***.
  auto secret = [](std::string content) {
    return [content](const TempDir& d) {
      d.write("secrets/h", content);
      return lint_with(d, {"-s", d.path() + "/secrets", "-o", "json"});
    };
  };
  auto args = [](std::initializer_list<std::string> a) {
    std::vector<std::string> v(a);
    return [v](const TempDir& d) {
      std::vector<std::string> out;
      for (const auto& s : v) out.push_back(s == "CFG" ? d.write("ok.json", kOkConfig) : s);
      return out;
    };
  };
  return {
      // Config files.
      {"config: malformed JSON", config(R"({"phases": [)"), 2, "cfg.json: malformed JSON"},
      {"config: truncated", config(kOkConfig.substr(0, kOkConfig.size() / 2)), 2, "cfg.json: malformed JSON"},
      {"config: empty", config(""), 2, "cfg.json: malformed JSON"},
      {"config: binary", config(binary_bytes(4096)), 2, "cfg.json: malformed JSON"},
      {"config: NUL inside", config(std::string("{\"phases\":\0[]}", 14)), 2, "cfg.json: malformed JSON"},
      {"config: invalid UTF-8", config("{\"name\":\"\xff\xfe\",\"phases\":[]}"), 2, "cfg.json: malformed JSON"},
      {"config: over the size cap", config(R"({"name":")" + repeat("x", 1100000) + R"("})"), 2, "over the 1048576 byte limit"},
      {"config: nested 400000 deep", config(R"({"phases":)" + repeat("[", 400000) + repeat("]", 400000) + "}"), 2,
       "cfg.json: /phases/0: expected a phase object"},
      {"config: number out of range", config(R"({"phases":[{"name":"p","timeout":1e99999,"checks":[]}]})"), 2, "cfg.json: unusable JSON"},
      {"config: top-level array", config("[]"), 2, "cfg.json: /: expected a JSON object"},
      {"config: unknown key", config(R"({"phases":[],"phasse":1})"), 2, "unknown key \"phasse\""},
      {"config: wrong type", config(R"({"phases":{"a":1}})"), 2, "cfg.json: /phases"},
      {"config: bad duration", config(R"({"phases":[{"name":"p","timeout":"soon","checks":[{"name":"t","type":"tcp","url":"tcp://h:1"}]}]})"),
       2, "\"soon\" is not a duration"},
      {"config: unknown check type", config(R"({"phases":[{"name":"p","checks":[{"name":"t","type":"mongo","url":"x"}]}]})"),
       2, "mongo"},
      {"config: duplicate phase", config(R"({"phases":[{"name":"p","checks":[{"name":"t","type":"tcp","url":"tcp://h:1"}]},{"name":"p","checks":[{"name":"t","type":"tcp","url":"tcp://h:1"}]}]})"),
       2, "duplicate phase name \"p\""},
      {"config: a directory", [](const TempDir& d) { return std::vector<std::string>{"lint", "-c", d.path()}; }, 2, "is a directory"},
      {"config: a FIFO", [](const TempDir& d) {
         std::string fifo = d.path() + "/cfg.fifo";
         mkfifo(fifo.c_str(), 0600);
         return std::vector<std::string>{"lint", "-c", fifo};
       }, 2, "is not a regular file"},
      {"config: missing", [](const TempDir& d) { return std::vector<std::string>{"lint", "-c", d.path() + "/none.json"}; }, 2,
       "none.json: No such file or directory"},
      {"config: PREFLIGHT_CONFIG missing", args({"lint"}), 2, "/nonexistent/preflight.json", {{"PREFLIGHT_CONFIG", "/nonexistent/preflight.json"}}},
      // Dotenv files.
      {"dotenv: NUL byte", env_file(std::string("H=a\0b\n", 6)), 2, "bad.env:1: NUL byte"},
      {"dotenv: binary", env_file(binary_bytes(2048)), 2, "bad.env:"},
      {"dotenv: endless line", env_file("H=" + repeat("a", 2'000'000)), 2, "bad.env: is 2000002 bytes, over the 1048576 byte limit"},
      {"dotenv: unterminated quote", env_file("A=1\nH=\"open\nB=2\n"), 2, "bad.env:2: unterminated double quote"},
      {"dotenv: line without =", env_file("A=1\njust words\n"), 2, "bad.env:2"},
      {"dotenv: invalid key", env_file("1H=x\n"), 2, "bad.env:1"},
      {"dotenv: missing", [](const TempDir& d) { return lint_with(d, {"-e", d.path() + "/none.env"}); }, 2, "none.env: No such file"},
      {"dotenv: a directory", [](const TempDir& d) { return lint_with(d, {"-e", d.path()}); }, 2, "is a directory"},
      {"dotenv: long value, under the cap", env_file("H=" + repeat("a", 900'000) + "\n"), 0, "tcp://aaaa"},
      // Secrets.
      {"secret: CRLF stripped", secret("10.1.2.3\r\n"), 0, "\"tcp://***:1\""},
      {"secret: empty, then used as a host", [](const TempDir& d) {
         d.write("secrets/h", "");
         return std::vector<std::string>{"lint", "-c", d.write("nodefault.json", R"({"phases":[{"name":"p","checks":[{"name":"t","type":"tcp","url":"tcp://${H}:1"}]}]})"),
                                         "-s", d.path() + "/secrets"};
       }, 3, "the host is empty"},
      {"secret: over the size cap, used", secret(repeat("s", 1'100'000)), 3, "secrets/h: is 1100000 bytes, over the 1048576 byte limit"},
      {"secret: a subdirectory is skipped", [](const TempDir& d) {
         d.write("secrets/sub/h", "nested");
         return lint_with(d, {"-s", d.path() + "/secrets", "-o", "json"});
       }, 0, "\"tcp://127.0.0.1:1\""},
      {"secrets dir: a file", [](const TempDir& d) { return lint_with(d, {"-s", d.write("f", "x")}); }, 2, "not a directory"},
      {"secrets dir: missing", [](const TempDir& d) { return lint_with(d, {"-s", d.path() + "/none"}); }, 2, "none"},
      {"secrets file: malformed", [](const TempDir& d) { return lint_with(d, {"--secrets-file", d.write("s.json", "{nope")}); }, 2, "s.json"},
      {"secrets file: CRC mismatch", [](const TempDir& d) {
         return lint_with(d, {"--secrets-file", d.write("s.json", R"({"name":"projects/p/secrets/h/versions/1","payload":{"data":"MTAuMC4wLjM=","dataCrc32c":"1"}})")});
       }, 3, "does not match its dataCrc32c"},
      // Interpolation.
      {"interpolation: cycle", env_file("H=${A}\nA=${H}\n"), 3, "interpolation cycle: H -> A -> H"},
      {"interpolation: unterminated ${", config(R"({"phases":[{"name":"p","checks":[{"name":"t","type":"tcp","url":"tcp://${H:1"}]}]})"), 3, "cfg.json"},
      {"interpolation: doubling nest", env_file("H=${A}${A}${A}${A}\nA=${B}${B}${B}${B}\nB=${C}${C}${C}${C}\nC=${D}${D}${D}${D}\n"
                                                "D=${E}${E}${E}${E}\nE=${F}${F}${F}${F}\nF=${G}${G}${G}${G}\nG=${I}${I}${I}${I}\n"
                                                "I=${J}${J}${J}${J}\nJ=${K}${K}${K}${K}\nK=" + repeat("k", 1000) + "\n"), 3, "over 1 MiB (expanding H -> A"},
      // Arguments.
      {"args: unknown option", args({"--frobnicate"}), 2, "--frobnicate"},
      {"args: unknown subcommand", args({"frobnicate"}), 2, "frobnicate"},
      {"args: -o xml", args({"-o", "xml"}), 2, "xml"},
      {"args: --report-format text", args({"--report-format", "text"}), 2, "text"},
      {"args: --log-format xml", args({"--log-format", "xml"}), 2, "xml"},
      {"args: --mode lenient", args({"--mode", "lenient"}), 2, "lenient"},
      {"args: --target aws", args({"--target", "aws"}), 2, "aws"},
      {"args: --phase-timeout p=soon", args({"-c", "CFG", "--phase-timeout", "p=soon"}), 2, "\"soon\" is not a duration"},
      {"args: --phase-timeout without =", args({"-c", "CFG", "--phase-timeout", "p"}), 2, "NAME=DURATION"},
      {"args: --set without =", args({"-c", "CFG", "--set", "novalue"}), 2, "KEY=VALUE"},
      {"args: --set with empty key", args({"-c", "CFG", "--set", "=v"}), 2, "KEY=VALUE"},
      {"args: --phase that does not exist", args({"-c", "CFG", "--phase", "nosuch"}), 2, "--phase nosuch: no such phase (phases: p)"},
      {"args: -c without a value", args({"-c"}), 2, "--config"},
      {"args: -- without a command", args({"-c", "CFG", "--"}), 2, "'--' must be followed by a command"},
      {"args: lint -- command", args({"lint", "-c", "CFG", "--", "true"}), 2, "only goes with check"},
      {"args: PREFLIGHT_MODE bogus", args({"-c", "CFG"}), 2, "PREFLIGHT_MODE=\"bogus\"", {{"PREFLIGHT_MODE", "bogus"}}},
  };
}

TEST(BadInput, EveryBadInputGivesAClearErrorNeverACrashOrAHang) {
  std::string summary = "\nbad input                                 exit  ms    result\n";
  int failures = 0;
  const std::vector<BadInput> rows = table();
  for (const auto& row : rows) {
    TempDir dir;
    std::vector<std::string> argv = {binary_under_test()};
    for (auto& a : row.args(dir)) argv.push_back(std::move(a));
    auto r = run_clean(argv, row.env, std::chrono::seconds(20));
    std::string all = r.err + r.out;
    std::vector<std::string> problems;
    if (r.exit_code != row.exit_code) problems.push_back(fmt::format("exit {} (expected {})", r.exit_code, row.exit_code));
    if (all.find(row.needle) == std::string::npos) problems.push_back(fmt::format("no \"{}\"", row.needle));
    for (const char* crash : {"terminate called", "Sanitizer", "Segmentation", "Aborted", "internal error", "what():"}) {
      if (all.find(crash) != std::string::npos) problems.push_back(fmt::format("\"{}\"", crash));
    }
    if (r.elapsed_ms > 5000) problems.push_back(fmt::format("took {:.0f} ms", r.elapsed_ms));
    summary += fmt::format("{:<42}{:>4}  {:>5.0f} {}\n", row.name, r.exit_code, r.elapsed_ms,
                           problems.empty() ? "ok" : "FAIL: " + fmt::format("{}", fmt::join(problems, "; ")));
    if (!problems.empty()) {
      ++failures;
      ADD_FAILURE() << row.name << ": " << fmt::format("{}", fmt::join(problems, "; ")) << "\nstderr: " << r.err.substr(0, 2000)
                    << "\nstdout: " << r.out.substr(0, 2000);
    }
  }
  std::cout << summary << fmt::format("{} bad inputs, {} failed\n", rows.size(), failures);
}

}  // namespace
}  // namespace preflight::testing
