#include "shrewd/serve/bearer_token.hpp"

#include <gtest/gtest.h>

#include "shrewd/common/error.hpp"
#include "support/temp_dir.hpp"

namespace shrewd::serve {
namespace {

TEST(BearerToken, ConstantTimeEqualComparesWholeTexts) {
  EXPECT_TRUE(constant_time_equal("secret-token", "secret-token"));
  EXPECT_FALSE(constant_time_equal("secret-tokem", "secret-token"));
  EXPECT_FALSE(constant_time_equal("secret", "secret-token"));
  EXPECT_FALSE(constant_time_equal("secret-token-and-more", "secret-token"));
  EXPECT_FALSE(constant_time_equal("", "x"));
}

TEST(BearerToken, HeaderMustCarryTheBearerSchemeAndTheExactToken) {
  EXPECT_TRUE(bearer_token_matches("Bearer 0123456789abcdef", "0123456789abcdef"));
  EXPECT_TRUE(bearer_token_matches("bearer 0123456789abcdef", "0123456789abcdef"));
  EXPECT_FALSE(bearer_token_matches("Basic 0123456789abcdef", "0123456789abcdef"));
  EXPECT_FALSE(bearer_token_matches("0123456789abcdef", "0123456789abcdef"));
  EXPECT_FALSE(bearer_token_matches("Bearer 0123456789abcdeX", "0123456789abcdef"));
  EXPECT_FALSE(bearer_token_matches("", "0123456789abcdef"));
}

TEST(BearerToken, TokenFileGivesItsTrimmedFirstLine) {
  shrewd::testing::TempDir dir;
  shrewd::testing::write_bytes(dir / "token", "  0123456789abcdef-XYZ \nsecond line\n");
  EXPECT_EQ(read_token_file(dir / "token"), "0123456789abcdef-XYZ");
}

TEST(BearerToken, TokenFileRejectsMissingShortAndUnprintableTokens) {
  shrewd::testing::TempDir dir;
  EXPECT_THROW(read_token_file(dir / "missing"), Error);
  shrewd::testing::write_bytes(dir / "short", "abc\n");
  EXPECT_THROW(read_token_file(dir / "short"), Error);
  shrewd::testing::write_bytes(dir / "space", "0123456789 abcdef\n");
  EXPECT_THROW(read_token_file(dir / "space"), Error);
}

}  // namespace
}  // namespace shrewd::serve
