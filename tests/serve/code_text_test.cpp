#include "shrewd/serve/code_text.hpp"

#include <gtest/gtest.h>

#include "shrewd/common/error.hpp"

namespace shrewd::serve {
namespace {

TEST(CodeText, HexParsesPackbitsBytesInEitherCaseWithOptionalPrefix) {
  EXPECT_EQ(parse_hex_bytes("00ff7A"), (std::vector<std::uint8_t>{0x00, 0xff, 0x7a}));
  EXPECT_EQ(parse_hex_bytes("0x0102"), (std::vector<std::uint8_t>{0x01, 0x02}));
}

TEST(CodeText, HexRejectsOddLengthAndNonHexCharacters) {
  EXPECT_THROW(parse_hex_bytes("abc"), Error);
  EXPECT_THROW(parse_hex_bytes("zz"), Error);
  EXPECT_THROW(parse_hex_bytes(std::string("a\0", 2)), Error);
}

TEST(CodeText, Base64RoundTripsAnyLengthWithAndWithoutPadding) {
  for (std::size_t size = 0; size < 20; ++size) {
    std::vector<std::uint8_t> bytes(size);
    for (std::size_t i = 0; i < size; ++i) bytes[i] = std::uint8_t(37 * i + 11);
    const std::string text = base64_of_bytes(bytes.data(), bytes.size());
    EXPECT_EQ(parse_base64_bytes(text), bytes) << text;
    std::string unpadded = text;
    while (!unpadded.empty() && unpadded.back() == '=') unpadded.pop_back();
    EXPECT_EQ(parse_base64_bytes(unpadded), bytes);
  }
  EXPECT_EQ(base64_of_bytes(reinterpret_cast<const std::uint8_t*>("Man"), 3), "TWFu");
}

TEST(CodeText, Base64AcceptsTheUrlSafeAlphabetAndRejectsOtherCharacters) {
  EXPECT_EQ(parse_base64_bytes("-_8"), parse_base64_bytes("+/8"));
  EXPECT_THROW(parse_base64_bytes("ab$d"), Error);
  EXPECT_THROW(parse_base64_bytes("abcde"), Error);  // 5 characters cannot encode whole bytes
}

TEST(CodeText, CodeFromBytesNeedsExactlyTheIndexCodeLength) {
  const CodeMatrix code = code_from_bytes({0x80, 0x01}, 16);
  EXPECT_TRUE(code.bit(0, 0));
  EXPECT_TRUE(code.bit(0, 15));
  EXPECT_FALSE(code.bit(0, 1));
  EXPECT_EQ(hex_of_code(code.span(), 0), "8001");
  try {
    code_from_bytes({0x80}, 16);
    FAIL() << "a short code was accepted";
  } catch (const Error& error) {
    EXPECT_NE(std::string(error.what()).find("16-bit"), std::string::npos) << error.what();
  }
}

}  // namespace
}  // namespace shrewd::serve
