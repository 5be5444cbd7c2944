#include "base/redact.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace preflight {
namespace {

TEST(Redactor, ScrubsPlainUrlEncodedAndBase64Forms) {
  Redactor r({"canary-p@ss/w0rd"});
  EXPECT_EQ(r.scrub("x canary-p@ss/w0rd y"), "x *** y");
  EXPECT_EQ(r.scrub("x canary-p%40ss%2Fw0rd y"), "x *** y");
  EXPECT_EQ(r.scrub("x canary-p%40ss%2fw0rd y"), "x *** y") << "lower-case hex, as some encoders write it";
  EXPECT_EQ(r.scrub(std::string("b64: ") + base64_encode("canary-p@ss/w0rd")), "b64: ***==");
}

TEST(Redactor, ScrubsTheFormsAnEchoingServerGivesIt) {
  const std::string secret = "can\"ary <&'> p w\\d\n";
  Redactor r({secret});
  for (const std::string& echoed : {std::string("can\\\"ary <&'> p w\\\\d\\n"),          // JSON
                                    std::string("can\\\"ary <&'> p w\\\\d"),              // JSON, trimmed
                                    std::string("can&quot;ary &lt;&amp;&#39;&gt; p w\\d"),  // HTML, trimmed
                                    std::string("can&quot;ary &lt;&amp;&apos;&gt; p w\\d"),  // XML, trimmed
                                    std::string("can%22ary+%3C%26%27%3E+p+w%5Cd%0A"),     // form-encoded
                                    std::string("can\"ary <&'> p w\\d")}) {               // trimmed
    EXPECT_EQ(r.scrub("[" + echoed + "]"), "[***]") << echoed;
  }
}

TEST(Redactor, AShortSecretIsMaskedOnlyAsAWholeToken) {
  Redactor r({"q7"});
  EXPECT_EQ(r.scrub("pw=q7; aq7b q7"), "pw=***; aq7b ***");
}

TEST(Redactor, TheMaskTakesTheWholeWordSoItRevealsNothing) {
  // "***ed" would say the secret is "faile".
  Redactor r({"faile"});
  EXPECT_EQ(r.scrub("phase failed: faile"), "phase ***: ***");
  // A secret inside longer base64 text takes all of it.
  Redactor b({"user:canary-pw1"});
  EXPECT_EQ(b.scrub("Basic Zm9v" + base64_encode("user:canary-pw1") + "Zm9v"), "Basic ***");
}

TEST(Redactor, ASecretAServerCutShortIsMaskedUpToTheCut) {
  Redactor r({"Cx9-canary-Q7"});
  EXPECT_EQ(r.scrub("-WRONGPASS invalid password Cx9-cana..."), "-WRONGPASS invalid password ***...");
  // (The mask takes the ellipsis with it: its bytes are not ASCII.)
  EXPECT_EQ(r.scrub("echo Cx9-c\xE2\x80\xA6"), "echo ***");
  // A shared beginning that is not cut is left alone.
  EXPECT_EQ(r.scrub("Cx9-canary-other"), "Cx9-canary-other");
  // Issue 27, class 3: a cut that nothing marks, where the text ends (as
  // MariaDB Connector/C keeps 511 bytes of an error), inside a JSON string,
  // an escape or a UTF-8 character.
  EXPECT_EQ(r.scrub("denied (using password: Cx9-can"), "denied (using password: ***");
  EXPECT_EQ(r.scrub("{\"error\":\"bad password Cx9-cana\"}"), "{\"error\":\"bad password ***\"}");
  EXPECT_EQ(r.scrub("got \"Cx9-cana\\u00"), "got \"***\\u00");
  EXPECT_EQ(r.scrub("got Cx9-canary\xC3"), "got ***");
}

// The demo's Redis password is "redis-<hex>": the check named "redis" and
// the word in messages stay.
TEST(Redactor, ANameThatBeginsASecretIsNotACut) {
  Redactor r({"redis-8f3a9c0e4b1d"});
  EXPECT_EQ(r.scrub("redis"), "redis");
  EXPECT_EQ(r.scrub("Failed services: [redis]"), "Failed services: [redis]");
  EXPECT_EQ(r.scrub("redis: attempt 1 failed"), "redis: attempt 1 failed");
  EXPECT_EQ(r.scrub("cache/redis"), "cache/redis");
}

TEST(Redactor, ASecretFoldedToOneCaseIsMasked) {
  Redactor r({"Cx9-Canary-Q7"});
  EXPECT_EQ(r.scrub("column \"cx9-canary-q7\" does not exist"), "column \"***\" does not exist");
  EXPECT_EQ(r.scrub("CX9-CANARY-Q7"), "***");
}

TEST(Redactor, Base64AtEveryAlignmentAndUrlSafe) {
  const std::string secret = "s3cr?t>canary~";
  Redactor r({secret});
  for (const std::string prefix : {"", "u:", "us:", "user:"}) {
    std::string b64 = base64_encode(prefix + secret + "tail");
    auto without_padding = [](std::string t) {
      std::erase(t, '=');
      return t;
    };
    EXPECT_EQ(without_padding(r.scrub("[" + b64 + "]")), "[***]") << prefix;
    std::string url_safe = b64;
    std::replace(url_safe.begin(), url_safe.end(), '+', '-');
    std::replace(url_safe.begin(), url_safe.end(), '/', '_');
    EXPECT_EQ(without_padding(r.scrub("[" + url_safe + "]")), "[***]") << prefix << " " << url_safe;
  }
}

TEST(Redactor, PrefersLongestSecret) {
  Redactor r({"secret", "secret-longer"});
  EXPECT_EQ(r.scrub("secret-longer"), "***");
}

TEST(Redactor, PrefixCutsAfterMaskingSoNoPartSurvives) {
  std::string secret(2000, 'k');
  secret += "-canary";
  const Redactor r({secret});
  // The secret starts inside the shown part and runs far past the cut.
  EXPECT_EQ(r.prefix("reply: " + secret + " tail", 40), "reply: *** tail");
  EXPECT_EQ(r.prefix("reply: " + secret + " " + std::string(5000, 'x'), 20), "reply: *** xxxxxxxxx...");
  EXPECT_EQ(r.prefix("short", 40), "short");
}

TEST(Redactor, ExcerptEscapesControlBytesAndCuts) {
  const Redactor none;
  EXPECT_EQ(none.excerpt(std::string("a\r\n\x01\"\\", 6)), "a\\r\\n\\x01\\x22\\x5c");
  EXPECT_EQ(none.excerpt(std::string(50, 'x')), std::string(40, 'x') + "...");
}

TEST(Redactor, ExcerptScrubsBeforeItEscapes) {
  // Escaped first, "pa\x01ss" would no longer match the secret.
  const Redactor r({"pa\x01ss-canary"});
  std::string shown = r.excerpt("say pa\x01ss-canary!");
  EXPECT_EQ(shown, "say ***!");
}

// Issue 27, class 12: a mask never stands for less than 5 characters
// inside a word, nor for punctuation alone.
TEST(Redactor, ASecretShorterThanFiveCharactersIsMaskedOnlyWhole) {
  Redactor r({"fail"});
  EXPECT_EQ(r.scrub("phase failed: fail"), "phase failed: ***");
}

TEST(Redactor, PunctuationAloneIsNeverASecret) {
  Redactor r({"=", "==", "--", "***", " \t"});
  EXPECT_TRUE(r.empty());
  EXPECT_EQ(r.scrub("a==b, x=y -- done ***"), "a==b, x=y -- done ***");
}

TEST(Redactor, ASecretBesideABackslashIsStillFoundAsItIs) {
  // Read with escapes undone, "\\new" would become a line break and "ew...".
  Redactor r({"newpass-81f3"});
  EXPECT_EQ(r.scrub("C:\\newpass-81f3"), "C:\\***");
  Redactor hex({"ab12-pass-81f3"});
  EXPECT_EQ(hex.scrub("100%ab12-pass-81f3"), "100%***");
}

// Issue 27, class 4: a secret learnt while the checks run.
TEST(Redactor, ASecretLearntLaterIsMaskedFromThenOn) {
  Redactor r({"configured-pw-1"});
  EXPECT_EQ(r.scrub("id tok q7Rt2Kx9"), "id tok q7Rt2Kx9");
  r.learn("q7Rt2Kx9");
  EXPECT_EQ(r.scrub("id tok q7Rt2Kx9, Q7RT2KX9"), "id tok ***, ***");
  EXPECT_EQ(r.scrub("configured-pw-1"), "***");
  EXPECT_GE(r.longest(), std::string("configured-pw-1").size());
  r.learn("=");
  EXPECT_EQ(r.scrub("a=b"), "a=b");
}

TEST(Base64, EncodesWithPadding) {
  EXPECT_EQ(base64_encode(""), "");
  EXPECT_EQ(base64_encode("f"), "Zg==");
  EXPECT_EQ(base64_encode("fo"), "Zm8=");
  EXPECT_EQ(base64_encode("foo"), "Zm9v");
}

// Issue 27, class 10: a mask standing for "redis" in "redis://" or for
// "password" in libpq's "password authentication failed" would say what
// the password is. Such a password stays as it is in preflight's words and
// is masked where it stands as a credential.
TEST(Redactor, AWellKnownPasswordIsMaskedOnlyWhereItStandsAsACredential) {
  const Redactor r({"redis", "Password", "kept-Secret-9"});
  EXPECT_EQ(r.scrub("redis://:***@cache:6379/0 (check redis)"), "redis://:***@cache:6379/0 (check redis)");
  EXPECT_EQ(r.scrub("FATAL:  password authentication failed for user \"app\""),
            "FATAL:  password authentication failed for user \"app\"");
  EXPECT_EQ(r.scrub_peer("AUTH failed: password=redis"), "AUTH failed: password=***");
  EXPECT_EQ(r.scrub_peer("{\"password\": \"Password\"}"), "{\"password\": \"***\"}");
  // Other secrets are masked as before.
  EXPECT_EQ(r.scrub("got kept-Secret-9"), "got ***");
}

}  // namespace
}  // namespace preflight
