// Each metric on a case small enough to work out by hand (the arithmetic is in the comments).
#include <gtest/gtest.h>

#include "shrewd/eval/retrieval.hpp"
#include "test_helpers.hpp"

namespace shrewd::eval {
namespace {

using testing::codes8;
using testing::single;

// Query code 0x00 against six database codes. Distances and classes (query class 0):
//   item:      0     1     2     3     4     5
//   distance:  1     0     1     2     1     3
//   class:     0     2     1     0     0     1      similarity to class 0: 1, 0.5 (class 1), 0 (class 2)
// Ties by index give the ranking 1, 0, 2, 4, 3, 5: relevance N R N R R N, gains 0 1 .5 1 1 .5.
// Distance groups: {1} at 0, {0, 2, 4} at 1 (2 relevant, gains 2.5), {3} at 2, {5} at 3.
struct HandCase {
  CodeMatrix queries = codes8({0x00});
  CodeMatrix database = codes8({0x01, 0x00, 0x02, 0x03, 0x04, 0x07});
  Labels query_labels = single({0});
  Labels database_labels = single({0, 2, 1, 0, 0, 1});
  ClassRelevance relevance{query_labels, database_labels, {1.0f, 0.5f, 0.0f, 0.5f, 1.0f, 0.0f, 0.0f, 0.0f, 1.0f}, 3,
                           "similarity.npy"};

  HammingResults run(std::size_t map_at, std::size_t ahp_at, std::vector<std::size_t> precision_at,
                     std::size_t radius = 2) const {
    EvalOptions options;
    options.cutoffs = {map_at, ahp_at, std::move(precision_at)};
    options.radius = radius;
    options.threads = 1;
    return evaluate_hamming(queries, database, relevance, options);
  }
};

TEST(HandCases, PrecisionAndRecallAtKWithTiesByIndex) {
  const HammingResults r = HandCase{}.run(6, 2, {1, 2, 3, 4, 5, 10});
  // P@1 = 0, P@2 = 1/2, P@3 = 1/3, P@4 = 2/4, P@5 = 3/5, P@10 = P@6 = 3/6; 3 relevant in all.
  const std::vector<double> precision = {0.0, 0.5, 1.0 / 3, 0.5, 0.6, 0.5};
  const std::vector<double> recall = {0.0, 1.0 / 3, 1.0 / 3, 2.0 / 3, 1.0, 1.0};
  for (std::size_t i = 0; i < precision.size(); ++i) {
    EXPECT_DOUBLE_EQ(r.index_ties.precision_at[i], precision[i]) << i;
    EXPECT_DOUBLE_EQ(r.index_ties.recall_at[i], recall[i]) << i;
  }
}

TEST(HandCases, AveragePrecisionDividesByRelevantItemsInTheTopK) {
  // AP@6 = (1/2 + 2/4 + 3/5) / 3; AP@3: top three N R N, one relevant -> (1/2) / 1.
  EXPECT_NEAR(HandCase{}.run(6, 2, {1}).index_ties.map, (0.5 + 0.5 + 0.6) / 3, 1e-12);
  EXPECT_NEAR(HandCase{}.run(3, 2, {1}).index_ties.map, 0.5, 1e-12);
  // AP@1: the top item is not relevant -> R_k = 0 -> AP = 0.
  EXPECT_EQ(HandCase{}.run(1, 2, {1}).index_ties.map, 0.0);
}

TEST(HandCases, HierarchicalPrecisionAndTrapezoidAhp) {
  const HammingResults r = HandCase{}.run(6, 6, {1});
  // Ideal gains 1, 1, 1, .5, .5, 0 -> prefix 1, 2, 3, 3.5, 4, 4. Gains in rank order 0, 1, .5, 1, 1, .5.
  const std::vector<double> hp = {0.0, 0.5, 0.5, 2.5 / 3.5, 3.5 / 4, 1.0};
  ASSERT_EQ(r.index_ties.hp_curve.size(), 6u);
  double sum = 0;
  for (std::size_t k = 0; k < 6; ++k) {
    EXPECT_NEAR(r.index_ties.hp_curve[k], hp[k], 1e-12) << "HP@" << k + 1;
    sum += hp[k];
  }
  EXPECT_NEAR(r.index_ties.mahp, (sum - (hp[0] + hp[5]) / 2) / 6, 1e-12);
  // AHP@3 = (0 + .5 + .5 - (0 + .5)/2) / 3 = .25
  EXPECT_NEAR(HandCase{}.run(6, 3, {1}).index_ties.mahp, 0.25, 1e-12);
}

TEST(HandCases, TieAwareAveragePrecisionAveragesTheOrdersOfTheStraddlingGroup) {
  // AP@3: position 1 is item 1 (N); positions 2-3 take two of the group {R, R, N}. The three
  // arrangements RRN, RNR, NRR give top-3 lists N R R (AP 7/12), N R N (1/2), N N R (1/3).
  const HammingResults r = HandCase{}.run(3, 2, {2, 3});
  EXPECT_NEAR(r.tie_aware.map, (7.0 / 12 + 0.5 + 1.0 / 3) / 3, 1e-12);
  // P@2: one slot of the group, mean relevance 2/3 -> (2/3)/2. P@3: 2 * 2/3 / 3.
  EXPECT_NEAR(r.tie_aware.precision_at[0], 1.0 / 3, 1e-12);
  EXPECT_NEAR(r.tie_aware.precision_at[1], 4.0 / 9, 1e-12);
  EXPECT_NEAR(r.tie_aware.recall_at[1], (4.0 / 3) / 3, 1e-12);
}

TEST(HandCases, TieAwareHierarchicalPrecisionUsesTheGroupMeanGain) {
  const HammingResults r = HandCase{}.run(6, 4, {1});
  // Group at distance 1 has mean gain 2.5/3: HP@2 = (5/6)/2, HP@3 = (10/6)/3, HP@4 = 2.5/3.5.
  EXPECT_NEAR(r.tie_aware.hp_curve[0], 0.0, 1e-12);
  EXPECT_NEAR(r.tie_aware.hp_curve[1], 5.0 / 12, 1e-12);
  EXPECT_NEAR(r.tie_aware.hp_curve[2], 5.0 / 9, 1e-12);
  EXPECT_NEAR(r.tie_aware.hp_curve[3], 5.0 / 7, 1e-12);
}

TEST(HandCases, WholeGroupsMakeBothConventionsAgree) {
  // Cutting after the distance-1 group (k = 4) leaves no straddling group for P@4 and R@4.
  const HammingResults r = HandCase{}.run(6, 2, {4});
  EXPECT_DOUBLE_EQ(r.index_ties.precision_at[0], r.tie_aware.precision_at[0]);
  EXPECT_DOUBLE_EQ(r.tie_aware.precision_at[0], 0.5);
}

TEST(HandCases, RadiusPrecisionAndPrCurve) {
  const HammingResults r = HandCase{}.run(6, 2, {1}, 1);
  // Radius 1: items 1, 0, 2, 4 -> 2 of 4 relevant; recall 2/3.
  EXPECT_DOUBLE_EQ(r.at_radius.precision, 0.5);
  EXPECT_DOUBLE_EQ(r.at_radius.recall, 2.0 / 3);
  EXPECT_EQ(r.at_radius.empty_share, 0.0);
  ASSERT_EQ(r.pr_curve.size(), 9u);
  EXPECT_DOUBLE_EQ(r.pr_curve[0].precision, 0.0);  // only item 1, not relevant
  EXPECT_DOUBLE_EQ(r.pr_curve[2].precision, 0.6);  // 3 of 5
  EXPECT_DOUBLE_EQ(r.pr_curve[3].precision, 0.5);  // 3 of 6
  EXPECT_DOUBLE_EQ(r.pr_curve[3].recall, 1.0);
}

TEST(HandCases, EmptyBallScoresZeroAndIsCounted) {
  // Two queries: 0x00 has item 1 at distance 0; 0xF0 is at least 3 away from every item.
  HandCase c;
  c.queries = codes8({0x00, 0xF0});
  c.query_labels = single({0, 0});
  ClassRelevance relevance(c.query_labels, c.database_labels);
  EvalOptions options;
  options.cutoffs = {6, 2, {1}};
  options.radius = 2;
  const HammingResults r = evaluate_hamming(c.queries, c.database, relevance, options);
  // Query 0: radius 2 holds items 1, 0, 2, 4, 3 -> 3 of 5 relevant. Query 1: empty -> 0.
  EXPECT_DOUBLE_EQ(r.radius_precision[0], 0.6);
  EXPECT_DOUBLE_EQ(r.radius_precision[1], 0.0);
  EXPECT_EQ(r.empty_ball[1], 1);
  EXPECT_DOUBLE_EQ(r.at_radius.precision, 0.3);
  EXPECT_DOUBLE_EQ(r.at_radius.empty_share, 0.5);
}

TEST(HandCases, QueryInsideTheDatabaseIsLeftOutOfRankingAndIdealSum) {
  // Database items 0..2; query 0 is item 0. Without exclusion it would rank itself first.
  CodeMatrix database = codes8({0x00, 0x01, 0x03});
  Labels database_labels = single({0, 1, 0});
  CodeMatrix queries = codes8({0x00});
  Labels query_labels = single({0});
  ClassRelevance relevance(query_labels, database_labels, {1.0f, 0.5f, 0.5f, 1.0f}, 2, "s.npy");
  EvalOptions options;
  options.cutoffs = {2, 2, {1, 2}};
  options.queries_in_database = true;
  const HammingResults r = evaluate_hamming(queries, database, relevance, options);
  // Candidates: item 1 (d 1, N, gain .5), item 2 (d 2, R, gain 1). Ideal 1, 1.5.
  EXPECT_DOUBLE_EQ(r.index_ties.precision_at[0], 0.0);
  EXPECT_DOUBLE_EQ(r.index_ties.recall_at[1], 1.0);
  EXPECT_DOUBLE_EQ(r.index_ties.map, 0.5);
  EXPECT_DOUBLE_EQ(r.index_ties.hp_curve[0], 0.5);
  EXPECT_DOUBLE_EQ(r.index_ties.hp_curve[1], 1.0);
  EXPECT_DOUBLE_EQ(r.pr_curve[0].precision, 0.0);
  EXPECT_EQ(r.pr_curve[0].empty_share, 1.0);  // nothing but the query itself at distance 0
}

TEST(HandCases, CutoffBeyondTheDatabaseMeansTheWholeRanking) {
  const HammingResults r = HandCase{}.run(100, 10, {100});
  EXPECT_DOUBLE_EQ(r.index_ties.precision_at[0], 0.5);  // 3 of all 6
  EXPECT_NEAR(r.index_ties.map, (0.5 + 0.5 + 0.6) / 3, 1e-12);
  EXPECT_DOUBLE_EQ(r.index_ties.hp_curve[9], 1.0);      // HP@10 = HP@6
}

}  // namespace
}  // namespace shrewd::eval
