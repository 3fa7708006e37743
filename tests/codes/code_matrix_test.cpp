#include "shrewd/codes/code_matrix.hpp"

#include <cstdint>

#include <gtest/gtest.h>

#include "shrewd/common/error.hpp"

namespace shrewd {
namespace {

TEST(CodeMatrix, RowsArePaddedToWholeWordsWithZeros) {
  CodeMatrix codes(72, 2);
  EXPECT_EQ(codes.words_per_code(), 2u);
  for (std::size_t j = 0; j < 72; ++j) codes.set_bit(1, j, true);
  EXPECT_EQ(codes.code(1)[0], ~std::uint64_t{0});
  EXPECT_EQ(codes.code(1)[1], 0xffu);  // 8 bits used, 56 padding bits stay zero
  EXPECT_EQ(codes.code(0)[0], 0u);
}

TEST(CodeMatrix, PaddingBitsAreTheHighBytesOfTheLastWord) {
  EXPECT_EQ(padding_mask(64), 0u);
  EXPECT_EQ(padding_mask(128), 0u);
  EXPECT_EQ(padding_mask(8), ~std::uint64_t{0xff});
  EXPECT_EQ(padding_mask(72), ~std::uint64_t{0xff});
  EXPECT_EQ(padding_mask(120), std::uint64_t{0xff} << 56);

  CodeMatrix codes(72, 3);
  for (std::size_t j = 0; j < 72; ++j) codes.set_bit(1, j, true);
  EXPECT_EQ(first_code_with_padding(codes), 3u);  // set bits never reach the padding
  codes.code(2)[1] |= std::uint64_t{1} << 8;      // bit 72: the first padding bit
  EXPECT_EQ(first_code_with_padding(codes), 2u);
  codes.code(0)[1] |= std::uint64_t{1} << 63;
  EXPECT_EQ(first_code_with_padding(codes), 0u);

  CodeMatrix whole(64, 2);
  whole.code(1)[0] = ~std::uint64_t{0};  // no padding in 64-bit codes
  EXPECT_EQ(first_code_with_padding(whole), 2u);
}

TEST(CodeMatrix, BitOrderIsNumpyPackbits) {
  CodeMatrix codes(16, 1);
  codes.set_bit(0, 0, true);   // first bit -> most significant bit of byte 0
  codes.set_bit(0, 15, true);  // last bit -> least significant bit of byte 1
  EXPECT_EQ(codes.code_bytes(0)[0], 0x80);
  EXPECT_EQ(codes.code_bytes(0)[1], 0x01);
  EXPECT_TRUE(codes.bit(0, 0));
  EXPECT_FALSE(codes.bit(0, 1));
}

TEST(CodeMatrix, RejectsLengthsThatAreNotMultiplesOf8) {
  EXPECT_THROW(CodeMatrix(12), Error);
  EXPECT_THROW(CodeMatrix(0), Error);
  EXPECT_THROW(CodeMatrix(1032), Error);
  EXPECT_NO_THROW(CodeMatrix(8));
  EXPECT_NO_THROW(CodeMatrix(1024));
}

TEST(CodeMatrix, AppendChecksLength) {
  CodeMatrix a(64, 3), b(64, 2), c(128, 1);
  a.append(b);
  EXPECT_EQ(a.size(), 5u);
  EXPECT_THROW(a.append(c), Error);
}

TEST(CodeMatrix, WordsStartOnACacheLine) {
  auto on_a_line = [](const CodeMatrix& m) { return reinterpret_cast<std::uintptr_t>(m.code(0)) % 64 == 0; };
  for (std::size_t count : {1, 3, 1000}) EXPECT_TRUE(on_a_line(CodeMatrix(64, count))) << count;
  CodeMatrix grown(40);
  const std::uint8_t bytes[5] = {1, 2, 3, 4, 5};
  for (int i = 0; i < 1000; ++i) {
    grown.append_bytes(bytes);
    ASSERT_TRUE(on_a_line(grown)) << i;
  }
  CodeMatrix moved = std::move(grown);
  EXPECT_TRUE(on_a_line(moved));
  EXPECT_EQ(moved.code_bytes(999)[4], 5);
}

}  // namespace
}  // namespace shrewd
