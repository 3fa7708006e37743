#include <gtest/gtest.h>

#include <random>

#include "shrewd/eval/retrieval.hpp"
#include "test_helpers.hpp"

namespace shrewd::eval {
namespace {

Features signs_of(const CodeMatrix& codes) {
  Features f;
  f.source = "z.npy";
  f.rows = codes.size();
  f.columns = codes.bits();
  for (std::size_t i = 0; i < codes.size(); ++i)
    for (std::size_t j = 0; j < codes.bits(); ++j) f.values.push_back(codes.bit(i, j) ? 1.0f : -1.0f);
  return f;
}

// With outputs of +-1 the cosine is exactly 1 - 2 d / K, so cosine ranking with ties by index
// is the Hamming ranking with ties by index: every figure must agree.
TEST(CosineRanking, SignVectorsReproduceTheHammingRankingWithTiesByIndex) {
  std::mt19937 rng(3);
  CodeMatrix queries(16), database(16);
  std::vector<std::int64_t> ql, dl;
  for (int i = 0; i < 150; ++i) {
    std::uint8_t bytes[2] = {std::uint8_t(rng() & rng()), std::uint8_t(rng() & rng() & rng())};
    (i < 20 ? queries : database).append_bytes(bytes);
    (i < 20 ? ql : dl).push_back(std::int64_t(rng() % 3));
  }
  const Labels q = Labels::single(ql), db = Labels::single(dl);
  const ClassRelevance relevance(q, db, {1, .3f, 0, .3f, 1, .6f, 0, .6f, 1}, 3, "s");
  EvalOptions options;
  options.cutoffs = {40, 15, {1, 10, 40}};
  const HammingResults hamming = evaluate_hamming(queries, database, relevance, options);
  const RankingSummary cosine = evaluate_cosine(signs_of(queries), signs_of(database), relevance, options);
  EXPECT_EQ(cosine.average_precision, hamming.index_ties.average_precision);
  EXPECT_EQ(cosine.ahp, hamming.index_ties.ahp);
  EXPECT_EQ(cosine.precision_at, hamming.index_ties.precision_at);
  EXPECT_EQ(cosine.recall_at, hamming.index_ties.recall_at);
  EXPECT_EQ(cosine.hp_curve, hamming.index_ties.hp_curve);
}

TEST(CosineRanking, RanksByAngleNotByLength) {
  // Query (1, 0). Items: (10, 10) at 45 degrees, (0.1, 0) at 0 degrees, (-1, 0) opposite.
  Features q{"q", 1, 2, {1, 0}}, db{"d", 3, 2, {10, 10, 0.1f, 0, -1, 0}};
  const Labels ql = testing::single({0}), dl = testing::single({1, 0, 1});
  const ClassRelevance relevance(ql, dl);
  EvalOptions options;
  options.cutoffs = {3, 2, {1}};
  const RankingSummary s = evaluate_cosine(q, db, relevance, options);
  EXPECT_EQ(s.precision_at[0], 1.0);  // item 1 ranks first
  EXPECT_EQ(s.map, 1.0);
}

TEST(CosineRanking, QueryInsideTheDatabaseIsLeftOut) {
  Features z{"z", 3, 2, {1, 0, 1, 0.1f, 0, 1}};
  const Labels labels = testing::single({0, 1, 0});
  const ClassRelevance relevance(labels, labels);
  EvalOptions options;
  options.cutoffs = {2, 2, {1}};
  options.queries_in_database = true;
  const RankingSummary s = evaluate_cosine(z, z, relevance, options);
  // Query 0 ranks item 1 (N) then item 2 (R): AP = 1/2. Query 1: items 0 (N), 2 (N): 0.
  EXPECT_DOUBLE_EQ(s.average_precision[0], 0.5);
  EXPECT_DOUBLE_EQ(s.average_precision[1], 0.0);
}

}  // namespace
}  // namespace shrewd::eval
