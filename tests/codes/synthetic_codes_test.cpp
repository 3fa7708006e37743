#include "shrewd/codes/synthetic_codes.hpp"

#include <gtest/gtest.h>

#include <bit>
#include <random>
#include <vector>

#include "shrewd/codes/hamming.hpp"
#include "shrewd/common/error.hpp"

namespace shrewd {
namespace {

TEST(SyntheticCodes, RandomCodesDrawOneWordPerDrawAndClearThePadding) {
  std::mt19937_64 rng(5), same(5);
  const CodeMatrix codes = random_codes(72, 4, rng);
  for (std::size_t i = 0; i < 4; ++i) {
    EXPECT_EQ(codes.code(i)[0], same());
    EXPECT_EQ(codes.code(i)[1], same() & 0xff);
  }
  EXPECT_EQ(first_code_with_padding(codes), codes.size());
}

TEST(SyntheticCodes, ClusteredCodesAreNoisyCopiesOfTheirCentre) {
  std::mt19937_64 rng(1);
  const CodeMatrix centres = random_codes(256, 8, rng);
  std::vector<std::size_t> centre_of;
  const CodeMatrix codes = clustered_codes(centres, 4000, 0.1, rng, &centre_of);
  ASSERT_EQ(codes.size(), 4000u);
  ASSERT_EQ(centre_of.size(), 4000u);
  std::vector<std::size_t> per_centre(8, 0);
  std::size_t flipped = 0;
  for (std::size_t i = 0; i < codes.size(); ++i) {
    ++per_centre[centre_of[i]];
    flipped += std::size_t(hamming_distance(codes.code(i), centres.code(centre_of[i]), codes.words_per_code()));
  }
  const double rate = double(flipped) / (4000.0 * 256.0);
  EXPECT_NEAR(rate, 0.1, 0.005);
  for (std::size_t n : per_centre) EXPECT_GT(n, 350u);  // about 500 each
}

TEST(SyntheticCodes, FlipProbabilityZeroCopiesAndOneComplements) {
  std::mt19937_64 rng(2);
  const CodeMatrix centres = random_codes(72, 3, rng);
  std::vector<std::size_t> centre_of;
  const CodeMatrix copies = clustered_codes(centres, 20, 0.0, rng, &centre_of);
  for (std::size_t i = 0; i < copies.size(); ++i)
    EXPECT_EQ(hamming_distance(copies.code(i), centres.code(centre_of[i]), 2), 0);
  const CodeMatrix complements = clustered_codes(centres, 20, 1.0, rng, &centre_of);
  for (std::size_t i = 0; i < complements.size(); ++i)
    EXPECT_EQ(hamming_distance(complements.code(i), centres.code(centre_of[i]), 2), 72);
  EXPECT_EQ(first_code_with_padding(complements), complements.size());
}

TEST(SyntheticCodes, ASeedAlwaysGivesTheSameCodes) {
  // The data set of bench/mih_bench.cpp (10,000 centres from seed 1, codes from seed 2): these
  // values pin the draw order, so benchmark results stay comparable across versions.
  std::mt19937_64 centre_rng(1), rng(2);
  const CodeMatrix codes = clustered_codes(random_codes(64, 10000, centre_rng), 2, 0.1, rng);
  EXPECT_EQ(codes.code(0)[0], 0xaca34f3fca46b591u);
  EXPECT_EQ(codes.code(1)[0], 0x504008f811aa0170u);
}

TEST(SyntheticCodes, RejectsNoCentresAndBadProbabilities) {
  std::mt19937_64 rng(3);
  EXPECT_THROW(clustered_codes(CodeMatrix(64), 10, 0.1, rng), Error);
  const CodeMatrix centres = random_codes(64, 2, rng);
  EXPECT_THROW(clustered_codes(centres, 10, -0.1, rng), Error);
  EXPECT_THROW(clustered_codes(centres, 10, 1.5, rng), Error);
}

}  // namespace
}  // namespace shrewd
