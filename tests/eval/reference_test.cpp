// The fast evaluation against the plain reference (full sorts, direct definitions) on random
// data, and the tie-aware closed forms against brute-force enumeration of tie orders.
#include <gtest/gtest.h>

#include <cstring>
#include <random>

#include "reference_metrics.hpp"
#include "shrewd/codes/hamming.hpp"
#include "shrewd/eval/retrieval.hpp"

namespace shrewd::eval {
namespace {

using testing::ReferenceScores;

struct RandomCase {
  CodeMatrix queries{8}, database{8};
  Labels query_labels, database_labels;
  std::unique_ptr<Relevance> relevance;
  bool queries_in_database = false;
};

// Codes with few distinct bit patterns so that distance ties are common.
CodeMatrix random_codes(std::size_t n, std::size_t bits, std::mt19937& rng, int pattern_bits) {
  CodeMatrix codes(bits);
  std::vector<std::uint8_t> bytes(bits / 8);
  for (std::size_t i = 0; i < n; ++i) {
    for (auto& b : bytes) b = 0;
    for (int p = 0; p < pattern_bits; ++p) {
      const std::size_t bit = rng() % bits;
      bytes[bit / 8] |= std::uint8_t(0x80u >> (bit % 8));
    }
    codes.append_bytes(bytes.data());
  }
  return codes;
}

RandomCase make_case(std::mt19937& rng, std::size_t nq, std::size_t nd, std::size_t bits, bool multi,
                     bool queries_in_database) {
  RandomCase c;
  const std::size_t classes = 4;
  c.database = random_codes(nd, bits, rng, 3);
  std::vector<std::int64_t> db(nd), q(nq);
  std::vector<std::uint8_t> db_hot(nd * classes), q_hot(nq * classes);
  for (std::size_t i = 0; i < nd; ++i) {
    db[i] = std::int64_t(rng() % classes);
    for (std::size_t k = 0; k < classes; ++k) db_hot[i * classes + k] = rng() % 3 == 0;
  }
  if (queries_in_database) {
    c.queries = CodeMatrix(bits);
    c.queries.append(c.database.span().rows(0, nq));
    for (std::size_t i = 0; i < nq; ++i) {
      q[i] = db[i];
      for (std::size_t k = 0; k < classes; ++k) q_hot[i * classes + k] = db_hot[i * classes + k];
    }
  } else {
    c.queries = random_codes(nq, bits, rng, 3);
    for (std::size_t i = 0; i < nq; ++i) {
      q[i] = std::int64_t(rng() % classes);
      for (std::size_t k = 0; k < classes; ++k) q_hot[i * classes + k] = rng() % 3 == 0;
    }
  }
  c.queries_in_database = queries_in_database;
  if (multi) {
    c.query_labels = Labels::multi(nq, classes, q_hot);
    c.database_labels = Labels::multi(nd, classes, db_hot);
    c.relevance = std::make_unique<MultiLabelRelevance>(c.query_labels, c.database_labels);
  } else {
    c.query_labels = Labels::single(q);
    c.database_labels = Labels::single(db);
    std::vector<float> similarity(classes * classes);
    std::uniform_real_distribution<float> uniform(0.0f, 0.9f);
    for (std::size_t a = 0; a < classes; ++a)
      for (std::size_t b = a; b < classes; ++b)
        similarity[a * classes + b] = similarity[b * classes + a] = a == b ? 1.0f : uniform(rng);
    c.relevance = std::make_unique<ClassRelevance>(c.query_labels, c.database_labels, similarity, classes, "s");
  }
  return c;
}

struct Judged {
  std::vector<int> distance, rel;
  std::vector<double> gain;
};

Judged judge(const RandomCase& c, std::size_t q) {
  Judged j;
  const std::size_t nd = c.database.size();
  std::vector<std::uint8_t> rel(nd);
  std::vector<float> gain(nd);
  c.relevance->judge_all(q, rel, gain);
  for (std::size_t i = 0; i < nd; ++i) {
    j.distance.push_back(hamming_distance(c.queries.code(q), c.database.code(i), c.database.words_per_code()));
    j.rel.push_back(rel[i]);
    j.gain.push_back(gain[i]);
  }
  return j;
}

EvalOptions options_for(const RandomCase& c, Cutoffs cutoffs, int threads = 2) {
  EvalOptions options;
  options.cutoffs = std::move(cutoffs);
  options.queries_in_database = c.queries_in_database;
  options.threads = threads;
  return options;
}

void expect_matches_reference(const RandomCase& c, const Cutoffs& cutoffs) {
  const HammingResults r = evaluate_hamming(c.queries, c.database, *c.relevance, options_for(c, cutoffs));
  const std::size_t nq = c.queries.size();
  std::vector<double> precision(cutoffs.precision_at.size()), recall(precision.size()), hp(cutoffs.ahp_at);
  double map = 0, mahp = 0;
  for (std::size_t q = 0; q < nq; ++q) {
    const Judged j = judge(c, q);
    const auto order = testing::reference_order(j.distance, c.queries_in_database ? long(q) : -1);
    const ReferenceScores s =
        testing::reference_scores(order, j.rel, j.gain, cutoffs.map_at, cutoffs.ahp_at, cutoffs.precision_at);
    EXPECT_NEAR(r.index_ties.average_precision[q], s.ap, 1e-12) << "query " << q;
    EXPECT_NEAR(r.index_ties.ahp[q], s.ahp, 1e-12) << "query " << q;
    map += s.ap;
    mahp += s.ahp;
    for (std::size_t i = 0; i < precision.size(); ++i) {
      precision[i] += s.precision[i] / double(nq);
      recall[i] += s.recall[i] / double(nq);
    }
    for (std::size_t k = 0; k < hp.size(); ++k) hp[k] += s.hp[k] / double(nq);
  }
  EXPECT_NEAR(r.index_ties.map, map / double(nq), 1e-12);
  EXPECT_NEAR(r.index_ties.mahp, mahp / double(nq), 1e-12);
  for (std::size_t i = 0; i < precision.size(); ++i) {
    EXPECT_NEAR(r.index_ties.precision_at[i], precision[i], 1e-12);
    EXPECT_NEAR(r.index_ties.recall_at[i], recall[i], 1e-12);
  }
  for (std::size_t k = 0; k < hp.size(); ++k) EXPECT_NEAR(r.index_ties.hp_curve[k], hp[k], 1e-12);
}

TEST(AgainstReference, TiesByIndexMatchFullSortOnRandomSingleLabels) {
  std::mt19937 rng(7);
  expect_matches_reference(make_case(rng, 40, 300, 16, false, false), {60, 25, {1, 7, 60, 1000}});
}

TEST(AgainstReference, TiesByIndexMatchFullSortOnRandomMultiLabels) {
  std::mt19937 rng(8);
  expect_matches_reference(make_case(rng, 40, 300, 16, true, false), {60, 25, {1, 5, 300}});
}

TEST(AgainstReference, QueriesInsideTheDatabaseMatchTheReferenceWithoutThemselves) {
  std::mt19937 rng(9);
  expect_matches_reference(make_case(rng, 40, 120, 8, false, true), {50, 30, {1, 10, 119, 120}});
  expect_matches_reference(make_case(rng, 20, 60, 8, true, true), {80, 70, {3}});
}

TEST(AgainstReference, RadiusPrecisionAndPrCurveMatchCounting) {
  std::mt19937 rng(10);
  const RandomCase c = make_case(rng, 30, 200, 16, false, false);
  const HammingResults r = evaluate_hamming(c.queries, c.database, *c.relevance, options_for(c, {10, 5, {1}}));
  ASSERT_EQ(r.pr_curve.size(), 17u);
  for (std::size_t radius = 0; radius <= 16; ++radius) {
    double precision = 0, recall = 0, empty = 0;
    for (std::size_t q = 0; q < 30; ++q) {
      const Judged j = judge(c, q);
      double inside = 0, relevant = 0, total = 0;
      for (std::size_t i = 0; i < j.distance.size(); ++i) {
        total += j.rel[i];
        if (j.distance[i] <= int(radius)) {
          inside += 1;
          relevant += j.rel[i];
        }
      }
      precision += inside ? relevant / inside : 0;
      recall += total ? relevant / total : 0;
      empty += inside == 0;
    }
    EXPECT_NEAR(r.pr_curve[radius].precision, precision / 30, 1e-12) << radius;
    EXPECT_NEAR(r.pr_curve[radius].recall, recall / 30, 1e-12) << radius;
    EXPECT_NEAR(r.pr_curve[radius].empty_share, empty / 30, 1e-12) << radius;
  }
  EXPECT_EQ(r.at_radius.precision, r.pr_curve[2].precision);
}

TEST(AgainstReference, FiguresDoNotDependOnTheThreadCount) {
  std::mt19937 rng(11);
  const RandomCase c = make_case(rng, 300, 200, 16, false, false);
  const Cutoffs cutoffs{50, 20, {5, 50}};
  const HammingResults one = evaluate_hamming(c.queries, c.database, *c.relevance, options_for(c, cutoffs, 1));
  const HammingResults three = evaluate_hamming(c.queries, c.database, *c.relevance, options_for(c, cutoffs, 3));
  EXPECT_EQ(one.index_ties.map, three.index_ties.map);
  EXPECT_EQ(one.tie_aware.mahp, three.tie_aware.mahp);
  EXPECT_EQ(one.tie_aware.hp_curve, three.tie_aware.hp_curve);
  EXPECT_EQ(one.pr_curve[3].precision, three.pr_curve[3].precision);
}

// Tie-aware figures = the mean of the by-index figures over every order within equal distances.
void expect_tie_aware_is_mean_over_orders(const RandomCase& c, const Cutoffs& cutoffs) {
  const HammingResults r = evaluate_hamming(c.queries, c.database, *c.relevance, options_for(c, cutoffs));
  for (std::size_t q = 0; q < c.queries.size(); ++q) {
    const Judged j = judge(c, q);
    const auto sorted = testing::reference_order(j.distance, c.queries_in_database ? long(q) : -1);
    double orders = 0, ap = 0, ahp = 0;
    std::vector<double> precision(cutoffs.precision_at.size()), recall(precision.size()), hp(cutoffs.ahp_at);
    testing::for_each_tie_order(sorted, j.distance, [&](const std::vector<std::size_t>& order) {
      const ReferenceScores s =
          testing::reference_scores(order, j.rel, j.gain, cutoffs.map_at, cutoffs.ahp_at, cutoffs.precision_at);
      orders += 1;
      ap += s.ap;
      ahp += s.ahp;
      for (std::size_t i = 0; i < precision.size(); ++i) {
        precision[i] += s.precision[i];
        recall[i] += s.recall[i];
      }
      for (std::size_t k = 0; k < hp.size(); ++k) hp[k] += s.hp[k];
    });
    EXPECT_NEAR(r.tie_aware.average_precision[q], ap / orders, 1e-12) << "query " << q;
    EXPECT_NEAR(r.tie_aware.ahp[q], ahp / orders, 1e-12) << "query " << q;
    if (c.queries.size() == 1) {
      for (std::size_t i = 0; i < precision.size(); ++i) {
        EXPECT_NEAR(r.tie_aware.precision_at[i], precision[i] / orders, 1e-12);
        EXPECT_NEAR(r.tie_aware.recall_at[i], recall[i] / orders, 1e-12);
      }
      for (std::size_t k = 0; k < hp.size(); ++k) EXPECT_NEAR(r.tie_aware.hp_curve[k], hp[k] / orders, 1e-12);
    }
  }
}

TEST(TieAware, EqualsBruteForceEnumerationOfOrdersOnTinyCases) {
  std::mt19937 rng(12);
  for (int trial = 0; trial < 40; ++trial) {
    // 8 database items over 8-bit codes with 2 set bits: distances 0..4, groups of up to ~5.
    RandomCase c = make_case(rng, 1, 8, 8, trial % 2 == 1, false);
    c.database = random_codes(8, 8, rng, 2);
    const std::size_t map_at = 1 + rng() % 8, ahp_at = 2 + rng() % 7;
    expect_tie_aware_is_mean_over_orders(c, {map_at, ahp_at, {1 + rng() % 8, 1 + rng() % 10}});
  }
}

TEST(TieAware, EqualsBruteForceWithTheQueryInsideTheDatabase) {
  std::mt19937 rng(13);
  for (int trial = 0; trial < 10; ++trial)
    expect_tie_aware_is_mean_over_orders(make_case(rng, 3, 8, 8, false, true), {5, 4, {2, 6}});
}

TEST(TieAware, ClosedFormAveragePrecisionOnAFourItemGroup) {
  // One group of 4 items, 2 relevant, k = 2: orders give top-2 RR (AP 1, prob 1/6), RN (1, 2/6),
  // NR (1/2, 2/6), NN (0, 1/6) -> expected 1/6 + 2/6 + 1/6 = 2/3.
  const TieTables tables(10, 10);
  const std::vector<TieGroup> groups = {{4, 2, 0.0}};
  EXPECT_NEAR(expected_average_precision(groups, 2, tables), 2.0 / 3, 1e-12);
  // k = 4 takes the whole group: E[(1/2)(P@r1 + P@r2)] over the 6 placements of two relevant items.
  double sum = 0;
  for (int a = 1; a <= 4; ++a)
    for (int b = a + 1; b <= 4; ++b) sum += (1.0 / a + 2.0 / b) / 2;
  EXPECT_NEAR(expected_average_precision(groups, 4, tables), sum / 6, 1e-12);
}

}  // namespace
}  // namespace shrewd::eval

namespace shrewd::eval {
namespace {

TEST(AgainstReference, QueriesWhoseCutDistanceRisesAndFallsMatchTheReference) {
  // Alternate queries sitting on database codes (small cut distance) with far-away queries (large
  // cut distance): the placement pass must collect the right candidates whichever way it moves.
  std::mt19937 rng(21);
  RandomCase c = make_case(rng, 30, 250, 16, false, false);
  c.queries = CodeMatrix(16);
  for (std::size_t q = 0; q < 30; ++q) {
    std::uint8_t bytes[2];
    if (q % 3 == 0) {
      std::memcpy(bytes, c.database.code_bytes(q), 2);
    } else {
      bytes[0] = std::uint8_t(rng() | 0xF0);
      bytes[1] = std::uint8_t(rng() | (q % 3 == 1 ? 0x0F : 0xFF));
    }
    c.queries.append_bytes(bytes);
  }
  expect_matches_reference(c, {20, 10, {1, 5, 40}});
  expect_matches_reference(c, {3, 2, {2}});
}

}  // namespace
}  // namespace shrewd::eval
