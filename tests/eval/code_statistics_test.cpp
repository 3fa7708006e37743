#include <gtest/gtest.h>

#include <random>

#include "shrewd/common/error.hpp"
#include "shrewd/eval/code_statistics.hpp"
#include "test_helpers.hpp"

namespace shrewd::eval {
namespace {

using testing::codes8;
using testing::single;

TEST(CodeStatistics, BitMeansDistinctCodesAndClassDistancesByHand) {
  // Codes (bit 0 is the most significant): 0x80, 0x80, 0xC0, 0x01; classes 0, 0, 1, 1.
  const CodeStatistics s = code_statistics(codes8({0x80, 0x80, 0xC0, 0x01}), single({0, 0, 1, 1}), 1);
  EXPECT_EQ(s.distinct_codes, 3u);
  EXPECT_DOUBLE_EQ(s.bit_mean[0], 0.75);
  EXPECT_DOUBLE_EQ(s.bit_mean[1], 0.25);
  EXPECT_DOUBLE_EQ(s.bit_mean[7], 0.25);
  EXPECT_EQ(s.constant_bits, 5u);
  // Within: (0x80, 0x80) = 0, (0xC0, 0x01) = 3 -> 1.5. Between: 0x80-0xC0 = 1 (twice), 0x80-0x01 = 2 (twice) -> 1.5.
  EXPECT_DOUBLE_EQ(s.mean_within_class, 1.5);
  EXPECT_DOUBLE_EQ(s.mean_between_class, 1.5);
  EXPECT_EQ(s.within_pairs, 2);
  EXPECT_EQ(s.between_pairs, 4);
  EXPECT_FALSE(s.looks_like_classifier);
}

TEST(CodeStatistics, CorrelationOfIdenticalAndOppositeBitsIsOne) {
  // Bits 0 and 1 always equal, bit 2 always the opposite: every |correlation| is 1.
  const CodeStatistics s = code_statistics(codes8({0xE0 & 0xC0, 0x20, 0xC0, 0x20}), single({0, 0, 0, 0}), 1);
  EXPECT_EQ(s.constant_bits, 5u);
  EXPECT_NEAR(s.mean_abs_correlation, 1.0, 1e-12);
}

TEST(CodeStatistics, IndependentBitsHaveSmallCorrelation) {
  std::mt19937 rng(1);
  std::vector<std::uint8_t> bytes(4000);
  for (auto& b : bytes) b = std::uint8_t(rng());
  const CodeStatistics s = code_statistics(codes8(bytes), single(std::vector<std::int64_t>(4000, 0)), 2);
  EXPECT_LT(s.mean_abs_correlation, 0.05);
  EXPECT_GT(s.distinct_codes, 250u);
}

TEST(CodeStatistics, OneCodePerClassLooksLikeAClassifier) {
  std::vector<std::uint8_t> bytes;
  std::vector<std::int64_t> labels;
  for (int i = 0; i < 200; ++i) {
    labels.push_back(i % 5);
    bytes.push_back(std::uint8_t(1u << (i % 5)));
  }
  const CodeStatistics s = code_statistics(codes8(bytes), single(labels), 1);
  EXPECT_EQ(s.distinct_codes, 5u);
  EXPECT_TRUE(s.looks_like_classifier);
  EXPECT_NE(s.warning.find("classifier"), std::string::npos);
  EXPECT_EQ(s.mean_within_class, 0.0);
}

TEST(CodeStatistics, MultiLabelPairsSplitBySharedLabel) {
  // Items {0}, {0,1}, {1}: pairs (0,1) share, (1,2) share, (0,2) do not.
  const Labels labels = Labels::multi(3, 2, {1, 0, 1, 1, 0, 1});
  const CodeStatistics s = code_statistics(codes8({0x00, 0x01, 0x07}), labels, 1);
  EXPECT_DOUBLE_EQ(s.mean_within_class, (1.0 + 2.0) / 2);
  EXPECT_DOUBLE_EQ(s.mean_between_class, 3.0);
  EXPECT_FALSE(s.pairs_sampled);
}

TEST(CodeStatistics, LabelCountMustMatch) {
  EXPECT_THROW(code_statistics(codes8({0, 1}), single({0}), 1), Error);
}

}  // namespace
}  // namespace shrewd::eval
