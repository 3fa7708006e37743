#include <gtest/gtest.h>

#include <cmath>
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

TEST(CodeStatistics, ClassPairDistancesByHand) {
  // Same codes as above: class 0 = {0x80, 0x80}, class 1 = {0xC0, 0x01}.
  const CodeStatistics s = code_statistics(codes8({0x80, 0x80, 0xC0, 0x01}), single({0, 0, 1, 1}), 1);
  ASSERT_EQ(s.label_classes, 2u);
  ASSERT_EQ(s.class_pair_distance.size(), 4u);
  EXPECT_DOUBLE_EQ(s.class_pair_distance[0 * 2 + 0], 0.0);  // (0x80, 0x80)
  EXPECT_DOUBLE_EQ(s.class_pair_distance[1 * 2 + 1], 3.0);  // (0xC0, 0x01)
  EXPECT_DOUBLE_EQ(s.class_pair_distance[0 * 2 + 1], 1.5);  // 1, 2, 1, 2
  EXPECT_DOUBLE_EQ(s.class_pair_distance[1 * 2 + 0], 1.5);
}

// Four classes, one code each (two items per class so every pair exists): class c has its first
// `ones[c]` bits set, so the distance between classes a and b is |ones[a] - ones[b]|.
CodeStatistics staircase(const std::vector<int>& ones) {
  std::vector<std::uint8_t> bytes;
  std::vector<std::int64_t> labels;
  for (std::size_t c = 0; c < ones.size(); ++c)
    for (int copy = 0; copy < 2; ++copy) {
      bytes.push_back(std::uint8_t(0xFF00u >> ones[c]));
      labels.push_back(std::int64_t(c));
    }
  return code_statistics(codes8(bytes), single(labels), 1);
}

// Similarity 1 - |a - b| / 3 between classes 0..3: a line, like the staircase codes.
std::vector<float> line_similarity() {
  std::vector<float> s(16);
  for (int a = 0; a < 4; ++a)
    for (int b = 0; b < 4; ++b) s[a * 4 + b] = 1.0f - float(std::abs(a - b)) / 3.0f;
  return s;
}

TEST(SemanticAlignment, CodesOnTheSemanticLineCorrelatePerfectly) {
  const auto alignment = semantic_alignment(staircase({0, 1, 2, 3}), line_similarity(), 4);
  ASSERT_TRUE(alignment);
  EXPECT_EQ(alignment->class_pairs, 6u);
  EXPECT_NEAR(alignment->pearson, 1.0, 1e-12);
  EXPECT_NEAR(alignment->spearman, 1.0, 1e-12);
}

TEST(SemanticAlignment, ShuffledClassesCorrelateByHand) {
  // Codes place the classes at 0, 2, 1, 3 bits. Pairs (01, 02, 03, 12, 13, 23):
  // code distances 2, 1, 3, 1, 1, 2; target distances (x3) 1, 2, 3, 1, 2, 1.
  // Pearson: both means 5/3; centred products sum to 4/3, squares to 10/3 each -> 0.4.
  // Spearman: ranks 4.5, 2, 6, 2, 2, 4.5 and 2, 4.5, 6, 2, 4.5, 2 (mean 3.5); centred products
  // sum to 2.5, squares to 15 each -> 1/6.
  const auto alignment = semantic_alignment(staircase({0, 2, 1, 3}), line_similarity(), 4);
  ASSERT_TRUE(alignment);
  EXPECT_NEAR(alignment->pearson, 0.4, 1e-12);
  EXPECT_NEAR(alignment->spearman, 1.0 / 6.0, 1e-12);
}

TEST(SemanticAlignment, UndefinedForFlatLabelsOrTooFewClasses) {
  std::vector<float> flat(16, 0.0f);
  for (int c = 0; c < 4; ++c) flat[c * 4 + c] = 1.0f;
  EXPECT_FALSE(semantic_alignment(staircase({0, 1, 2, 3}), flat, 4));  // every target distance is 1
  EXPECT_FALSE(semantic_alignment(staircase({0, 1, 2}), std::vector<float>(9, 0.5f), 3));
  EXPECT_THROW(semantic_alignment(staircase({0, 1, 2, 3}), flat, 3), Error);  // 16 values, not 3 x 3
}

TEST(CodeStatistics, LabelCountMustMatch) {
  EXPECT_THROW(code_statistics(codes8({0, 1}), single({0}), 1), Error);
}

}  // namespace
}  // namespace shrewd::eval
