// Private Cloud Run services called with a Google identity token, through
// the binary: a fake metadata server (what cannot run here) mints RS256
// tokens with a key made at start and records the audiences asked for; a
// service verifies them as Cloud Run's front end does (401 for a token it
// does not accept, 403 for a caller that may not invoke it).
#include <thread>

#include <gtest/gtest.h>

#include "binary_harness.h"
#include "refused_port.h"

namespace preflight::testing {
namespace {

class FakeGoogle {
 public:
  FakeGoogle() {
    const std::string ports = dir_.path() + "/ports";
    process_ = std::make_unique<Process>(
        std::vector<std::string>{"/usr/bin/python3", std::string(PREFLIGHT_SOURCE_DIR) + "/tests/support/fake_google.py", ports});
    for (int i = 0; i < 300 && !std::filesystem::exists(ports); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(20));
    std::istringstream(read_text_file(ports)) >> metadata_port_ >> service_port_;
  }
  ~FakeGoogle() {
    process_->signal(SIGKILL);
    process_->wait(std::chrono::seconds(2));
  }
  bool up() const { return metadata_port_ > 0 && service_port_ > 0; }
  std::string metadata_host() const { return fmt::format("127.0.0.1:{}", metadata_port_); }
  std::string service(const std::string& path) const { return fmt::format("http://127.0.0.1:{}{}", service_port_, path); }
  int metadata_port() const { return metadata_port_; }

 private:
  TempDir dir_;
  std::unique_ptr<Process> process_;
  int metadata_port_ = 0, service_port_ = 0;
};

class GoogleIdentity : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(google.up()) << "the fake metadata server did not start (python3-jwt?)"; }
  ProcessResult run(const std::string& url, const std::string& extra = "", std::map<std::string, std::string> env = {},
                    const std::string& output = "text", const std::string& type = "http") {
    auto config = dir.write("c.json", fmt::format(R"({{"phases":[{{"name":"services","timeout":"2s","checks":[
        {{"name":"api","type":"{}","url":"{}","auth":"google-id-token"{}}}]}}]}})", type, url, extra));
    env.emplace("GCE_METADATA_HOST", google.metadata_host());
    return run_clean(cmd({"-c", config, "-o", output}), env);
  }
  FakeGoogle google;
  TempDir dir;
};

TEST_F(GoogleIdentity, APrivateServicePassesWithATokenForItsOwnUrl) {
  auto r = run(google.service("/health"));
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  // The audience asked for is the service's origin, as Cloud Run expects.
  auto asked = run_clean({"/usr/bin/python3", "-c",
                          fmt::format("import urllib.request; print(urllib.request.urlopen('http://127.0.0.1:{}/audiences').read().decode())",
                                      google.metadata_port())});
  EXPECT_NE(asked.out.find(fmt::format("\"{}\"", google.service(""))), std::string::npos) << asked.out;
}

TEST_F(GoogleIdentity, ATokenForAnotherAudienceIs401AndTheHintNamesTheAudience) {
  auto r = run(google.service("/health"), R"(,"audience":"https://other.example")", {}, "json");
  EXPECT_EQ(r.exit_code, 3) << r.err;
  const json error = json::parse(r.out)["phases"][0]["checks"][0]["error"];
  EXPECT_EQ(error["kind"], "auth") << error.dump(2);
  EXPECT_EQ(error["code"], "401");
  EXPECT_NE(error["hint"].get<std::string>().find("asked for \"https://other.example\""), std::string::npos) << error.dump(2);
  EXPECT_EQ(json::parse(r.out)["phases"][0]["checks"][0]["attempts"], 1) << "a refused token is not retried";
}

TEST_F(GoogleIdentity, ACallerThatMayNotInvokeIs403AndTheHintNamesItsAccount) {
  auto r = run(google.service("/denied"));
  EXPECT_EQ(r.exit_code, 3) << r.err;
  EXPECT_NE(r.out.find("grant app@proj.iam.gserviceaccount.com roles/run.invoker"), std::string::npos) << r.out;
}

TEST_F(GoogleIdentity, NoMetadataServerSaysHowToRunItElsewhere) {
  RefusedPort no_metadata_server;
  auto r = run(google.service("/health"), "", {{"GCE_METADATA_HOST", fmt::format("127.0.0.1:{}", no_metadata_server.port())}});
  EXPECT_EQ(r.exit_code, 3) << r.err;
  EXPECT_NE(r.out.find("no identity token: the metadata server 127.0.0.1:"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("gcloud auth print-identity-token"), std::string::npos) << r.out;
}

TEST_F(GoogleIdentity, AServerQuotingTheTokenShowsNoneOfIt) {
  for (const std::string output : {"text", "json", "junit"}) {
    auto r = run(google.service("/echo"), "", {}, output);
    EXPECT_EQ(r.exit_code, 3) << r.err;
    EXPECT_NE(r.out.find("rejected: Bearer ***"), std::string::npos) << r.out;
    // Every RS256 token starts so; none of it may show.
    EXPECT_EQ((r.out + r.err).find("eyJhbGci"), std::string::npos) << r.out << r.err;
  }
}

TEST_F(GoogleIdentity, AWebSocketUpgradeCarriesTheTokenToo) {
  auto ok = run(google.service("/ws"), "", {}, "text", "websocket");
  EXPECT_EQ(ok.exit_code, 0) << ok.out << ok.err;
  auto denied = run(google.service("/denied"), "", {}, "text", "websocket");
  EXPECT_EQ(denied.exit_code, 3) << denied.err;
  EXPECT_NE(denied.out.find("grant app@proj.iam.gserviceaccount.com roles/run.invoker"), std::string::npos) << denied.out;
}

}  // namespace
}  // namespace preflight::testing
