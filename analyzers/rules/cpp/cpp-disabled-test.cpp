#include <catch2/catch.hpp>
#include <gtest/gtest.h>

// ruleid: cpp-disabled-test
TEST(AuthTest, DISABLED_RejectsWrongPassword) {
  EXPECT_FALSE(login("admin", "wrong"));
}

// ruleid: cpp-disabled-test
TEST_F(TlsClientTest, DISABLED_FailsOnSelfSignedCertificate) {
  EXPECT_THROW(client.connect("self-signed.badssl.com"), TlsError);
}

TEST(SanitizerTest, EscapesHtml) {
  // ruleid: cpp-disabled-test
  GTEST_SKIP() << "flaky";
  EXPECT_EQ(escape("<b>"), "&lt;b&gt;");
}

TEST(UploadTest, RejectsPathTraversal) {
  // ruleid: cpp-disabled-test
  SKIP("fails on CI");
  EXPECT_FALSE(open_upload("../../etc/passwd"));
}

// ok: cpp-disabled-test
TEST(AuthTest, RejectsWrongPassword) {
  EXPECT_FALSE(login("admin", "wrong"));
}

TEST(NetworkTest, ResolvesLocalhost) {
  if (!network_available()) {
    // ok: cpp-disabled-test
    GTEST_SKIP() << "no network in this sandbox";
  }
  EXPECT_TRUE(resolve("localhost"));
}

// ok: cpp-disabled-test
TEST(UploadTest, RejectsAbsolutePaths) {
  EXPECT_FALSE(open_upload("/etc/passwd"));
}
