#include "shrewd/codes/code_matrix.hpp"

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

}  // namespace
}  // namespace shrewd
