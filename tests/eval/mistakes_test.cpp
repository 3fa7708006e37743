// The mistake metrics (docs/method.md §8.13): hand-made cases worked out in the comments, a direct
// computation on random data (ties by index), brute-force enumeration of tie orders (tie-aware),
// and the truncated hypergeometric sum against the full one on a large group.
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "reference_metrics.hpp"
#include "shrewd/codes/hamming.hpp"
#include "shrewd/eval/mistakes.hpp"
#include "shrewd/eval/retrieval.hpp"
#include "test_helpers.hpp"

namespace shrewd::eval {
namespace {

using testing::codes8;
using testing::single;

// Similarity of 3 classes: s(0,1) = .5, s(0,2) = s(1,2) = 0, so D^T(0,1) = .5 and D^T(., 2) = 1.
const std::vector<float> kSimilarity = {1.0f, 0.5f, 0.0f, 0.5f, 1.0f, 0.0f, 0.0f, 0.0f, 1.0f};

HammingResults run(const CodeMatrix& queries, const CodeMatrix& database, const Relevance& relevance,
                   Cutoffs cutoffs, bool queries_in_database = false, int threads = 1) {
  EvalOptions options;
  options.cutoffs = std::move(cutoffs);
  options.threads = threads;
  options.queries_in_database = queries_in_database;
  options.mistakes = true;
  return evaluate_hamming(queries, database, relevance, options);
}

TEST(MistakeDepths, AreEveryCutoffOnceInAscendingOrder) {
  EXPECT_EQ(mistake_depths({1000, 250, {10, 100, 1000}}), (std::vector<std::size_t>{10, 100, 250, 1000}));
  EXPECT_EQ(mistake_depths({5, 5, {}}), (std::vector<std::size_t>{5}));
}

TEST(Mistakes, NotScoredUnlessAsked) {
  const Labels labels = single({0, 1});
  ClassRelevance relevance(single({0}), labels, kSimilarity, 3, "s");
  EvalOptions options;
  options.cutoffs = {2, 2, {1}};
  const HammingResults r = evaluate_hamming(codes8({0x00}), codes8({0x00, 0x01}), relevance, options);
  EXPECT_FALSE(r.index_ties.mistakes.has_value());
  EXPECT_FALSE(r.tie_aware.mistakes.has_value());
}

// Query 0x00 of class 0 against six items (the case of hand_cases_test.cpp):
//   item:      0     1     2     3     4     5
//   distance:  1     0     1     2     1     3
//   class:     0     2     1     0     0     1      D^T to class 0: 0, 1, .5, 0, 0, .5
// Ties by index rank 1, 0, 2, 4, 3, 5: D^T 1, 0, .5, 0, 0, .5; mistakes at ranks 1, 3 and 6.
struct SixItems {
  CodeMatrix queries = codes8({0x00});
  CodeMatrix database = codes8({0x01, 0x00, 0x02, 0x03, 0x04, 0x07});
  Labels query_labels = single({0});
  Labels database_labels = single({0, 2, 1, 0, 0, 1});
  ClassRelevance relevance{query_labels, database_labels, kSimilarity, 3, "s"};
};

TEST(Mistakes, HandCaseWithTiesByIndex) {
  const SixItems c;
  const MistakeSummary m = *run(c.queries, c.database, c.relevance, {6, 3, {1, 10}}).index_ties.mistakes;
  ASSERT_EQ(m.at, (std::vector<std::size_t>{1, 3, 6, 10}));
  // k = 1: item 1 (D 1). k = 3: D 1, 0, .5 -> mean .5; mistakes 1, .5 -> severity .75.
  // k = 6: D sum 2 over 6; mistakes 1, .5, .5 -> 2/3. k = 10 is the whole ranking, as k = 6.
  const std::vector<double> distance = {1.0, 0.5, 2.0 / 6, 2.0 / 6}, severity = {1.0, 0.75, 2.0 / 3, 2.0 / 3};
  for (std::size_t i = 0; i < 4; ++i) {
    EXPECT_NEAR(m.mean_distance[i], distance[i], 1e-12) << "k = " << m.at[i];
    EXPECT_NEAR(m.severity[i], severity[i], 1e-12) << "k = " << m.at[i];
    EXPECT_EQ(m.no_mistake_share[i], 0.0);
  }
}

TEST(Mistakes, HandCaseTieAwareAveragesTheStraddlingGroup) {
  const SixItems c;
  const MistakeSummary m = *run(c.queries, c.database, c.relevance, {3, 2, {1}}).tie_aware.mistakes;
  ASSERT_EQ(m.at, (std::vector<std::size_t>{1, 2, 3}));
  // Groups: {1} (mistake, D 1) at distance 0, then {0, 2, 4} with one mistake (item 2, D .5).
  // k = 2: one slot from the group: the mistake with probability 1/3 -> severity (1 + .5)/2, else 1:
  //        2/3 * 1 + 1/3 * .75 = 11/12; mean D^T (1 + (0 + .5 + 0)/3) / 2 = 7/12.
  // k = 3: two slots: the mistake with probability 2/3 -> 1/3 * 1 + 2/3 * .75 = 5/6; D^T (1 + 1/3) / 3.
  EXPECT_NEAR(m.severity[0], 1.0, 1e-12);
  EXPECT_NEAR(m.severity[1], 11.0 / 12, 1e-12);
  EXPECT_NEAR(m.severity[2], 5.0 / 6, 1e-12);
  EXPECT_NEAR(m.mean_distance[1], 7.0 / 12, 1e-12);
  EXPECT_NEAR(m.mean_distance[2], 4.0 / 9, 1e-12);
  EXPECT_EQ(m.no_mistake_share[1], 0.0);
}

TEST(Mistakes, QueriesWithoutAMistakeAreLeftOutOfSeverityAndCounted) {
  // Database 0x00 (class 0), 0x01 (class 0), 0x02 (class 1), 0x03 (class 2).
  // Query A = 0x00, class 0: distances 0, 1, 1, 2. Query B = 0x03, class 2: distances 2, 1, 1, 0.
  const CodeMatrix database = codes8({0x00, 0x01, 0x02, 0x03});
  const Labels database_labels = single({0, 0, 1, 2});
  const Labels query_labels = single({0, 2});
  ClassRelevance relevance(query_labels, database_labels, kSimilarity, 3, "s");
  const HammingResults r = run(codes8({0x00, 0x03}), database, relevance, {2, 2, {1}});
  const MistakeSummary& index = *r.index_ties.mistakes;
  // k = 1: both retrieve their own class: no mistake anywhere, severity undefined.
  EXPECT_TRUE(std::isnan(index.severity[0]));
  EXPECT_EQ(index.no_mistake_share[0], 1.0);
  EXPECT_EQ(index.mean_distance[0], 0.0);
  // k = 2 by index: A gets items 0, 1 (no mistake); B gets 3, 1 (class 0, D 1). Severity 1 (B only),
  // half the queries without a mistake, mean D^T (0 + 1/2) / 2.
  EXPECT_NEAR(index.severity[1], 1.0, 1e-12);
  EXPECT_NEAR(index.no_mistake_share[1], 0.5, 1e-12);
  EXPECT_NEAR(index.mean_distance[1], 0.25, 1e-12);
  // Tie-aware k = 2: A's second slot is item 1 or item 2 (D .5) with probability 1/2 each: P(mistake)
  // 1/2, E[severity; mistake] .25. B's second slot is a mistake of D 1 either way.
  // Severity (.25 + 1) / (1/2 + 1) = 5/6; without a mistake: (1/2 + 0) / 2; D^T (.25/2 + 1/2) / 2.
  const MistakeSummary& aware = *r.tie_aware.mistakes;
  EXPECT_NEAR(aware.severity[1], 5.0 / 6, 1e-12);
  EXPECT_NEAR(aware.no_mistake_share[1], 0.25, 1e-12);
  EXPECT_NEAR(aware.mean_distance[1], (0.125 + 0.5) / 2, 1e-12);
}

// --- Random data against a direct computation --------------------------------------------------

struct Case {
  CodeMatrix queries{16}, database{16};
  Labels query_labels, database_labels;
  std::vector<float> similarity;
  std::size_t classes = 4;
};

CodeMatrix few_patterns(std::size_t n, std::size_t bits, std::mt19937& rng, int set_bits) {
  CodeMatrix codes(bits);
  std::vector<std::uint8_t> bytes(bits / 8);
  for (std::size_t i = 0; i < n; ++i) {
    std::fill(bytes.begin(), bytes.end(), 0);
    for (int p = 0; p < set_bits; ++p) {
      const std::size_t bit = rng() % bits;
      bytes[bit / 8] |= std::uint8_t(0x80u >> (bit % 8));
    }
    codes.append_bytes(bytes.data());
  }
  return codes;
}

Case random_case(std::mt19937& rng, std::size_t nq, std::size_t nd, std::size_t bits, int set_bits,
                 bool queries_in_database) {
  Case c;
  c.database = few_patterns(nd, bits, rng, set_bits);
  std::vector<std::int64_t> db(nd), q(nq);
  for (auto& l : db) l = std::int64_t(rng() % c.classes);
  if (queries_in_database) {
    c.queries = CodeMatrix(bits);
    c.queries.append(c.database.span().rows(0, nq));
    std::copy(db.begin(), db.begin() + std::ptrdiff_t(nq), q.begin());
  } else {
    c.queries = few_patterns(nq, bits, rng, set_bits);
    for (auto& l : q) l = std::int64_t(rng() % c.classes);
  }
  c.query_labels = single(q);
  c.database_labels = single(db);
  // Off-diagonal similarities in [0, .9); the diagonal below 1 on purpose: D^T of the same class is
  // then not 0, and only other classes count as mistakes.
  std::uniform_real_distribution<float> uniform(0.0f, 0.9f);
  c.similarity.assign(c.classes * c.classes, 0.0f);
  for (std::size_t a = 0; a < c.classes; ++a)
    for (std::size_t b = a; b < c.classes; ++b)
      c.similarity[a * c.classes + b] = c.similarity[b * c.classes + a] = a == b ? 0.95f : uniform(rng);
  return c;
}

// Sums over queries of the direct figures, one entry per depth.
struct Direct {
  std::vector<double> distance, severity, with_mistake;
  explicit Direct(std::size_t depths) : distance(depths, 0.0), severity(depths, 0.0), with_mistake(depths, 0.0) {}

  // Adds weight x the figures of one complete order of a query's candidates.
  void add(const std::vector<std::size_t>& order, const std::vector<std::int64_t>& db_class, std::int64_t query_class,
           const std::vector<float>& similarity, std::size_t classes, const std::vector<std::size_t>& depths,
           double weight) {
    for (std::size_t i = 0; i < depths.size(); ++i) {
      const std::size_t k = std::min(depths[i], order.size());
      double all = 0, wrong = 0;
      std::size_t mistakes = 0;
      for (std::size_t r = 0; r < k; ++r) {
        const std::int64_t c = db_class[order[r]];
        const double d = 1.0 - double(similarity[std::size_t(query_class) * classes + std::size_t(c)]);
        all += d;
        if (c != query_class) {
          wrong += d;
          ++mistakes;
        }
      }
      distance[i] += weight * (k ? all / double(k) : 0.0);
      if (mistakes) {
        severity[i] += weight * wrong / double(mistakes);
        with_mistake[i] += weight;
      }
    }
  }

  void add_scaled(const Direct& other, double scale) {
    for (std::size_t i = 0; i < distance.size(); ++i) {
      distance[i] += scale * other.distance[i];
      severity[i] += scale * other.severity[i];
      with_mistake[i] += scale * other.with_mistake[i];
    }
  }

  void expect_equal(const MistakeSummary& m, std::size_t queries) const {
    for (std::size_t i = 0; i < distance.size(); ++i) {
      EXPECT_NEAR(m.mean_distance[i], distance[i] / double(queries), 1e-12) << "k = " << m.at[i];
      EXPECT_NEAR(m.no_mistake_share[i], 1.0 - with_mistake[i] / double(queries), 1e-12) << "k = " << m.at[i];
      if (with_mistake[i] > 0) EXPECT_NEAR(m.severity[i], severity[i] / with_mistake[i], 1e-12) << "k = " << m.at[i];
      else EXPECT_TRUE(std::isnan(m.severity[i])) << "k = " << m.at[i];
    }
  }
};

struct Judged {
  std::vector<int> distance;
  std::vector<std::int64_t> db_class;
};

Judged judge(const Case& c, std::size_t q) {
  Judged j;
  for (std::size_t i = 0; i < c.database.size(); ++i) {
    j.distance.push_back(hamming_distance(c.queries.code(q), c.database.code(i), c.database.words_per_code()));
    j.db_class.push_back(c.database_labels.label(i));
  }
  return j;
}

TEST(MistakesAgainstDirect, TiesByIndexOnRandomData) {
  std::mt19937 rng(31);
  for (bool inside : {false, true}) {
    const Case c = random_case(rng, 120, 300, 16, 3, inside);
    ClassRelevance relevance(c.query_labels, c.database_labels, c.similarity, c.classes, "s");
    const Cutoffs cutoffs{40, 7, {1, 15, 400}};
    const HammingResults r = run(c.queries, c.database, relevance, cutoffs, inside, 2);
    const auto depths = mistake_depths(cutoffs);
    Direct direct(depths.size());
    for (std::size_t q = 0; q < c.queries.size(); ++q) {
      const Judged j = judge(c, q);
      direct.add(testing::reference_order(j.distance, inside ? long(q) : -1), j.db_class, c.query_labels.label(q),
                 c.similarity, c.classes, depths, 1.0);
    }
    direct.expect_equal(*r.index_ties.mistakes, c.queries.size());
  }
}

TEST(MistakesAgainstDirect, TieAwareIsTheMeanOverEveryOrderOfTheTies) {
  std::mt19937 rng(32);
  for (int trial = 0; trial < 30; ++trial) {
    const bool inside = trial % 3 == 2;
    Case c = random_case(rng, inside ? 3 : 2, 9, 8, 2, inside);
    ClassRelevance relevance(c.query_labels, c.database_labels, c.similarity, c.classes, "s");
    const Cutoffs cutoffs{1 + rng() % 9, 2 + rng() % 7, {1 + rng() % 10}};
    const HammingResults r = run(c.queries, c.database, relevance, cutoffs, inside);
    const auto depths = mistake_depths(cutoffs);
    Direct direct(depths.size());
    for (std::size_t q = 0; q < c.queries.size(); ++q) {
      const Judged j = judge(c, q);
      const auto sorted = testing::reference_order(j.distance, inside ? long(q) : -1);
      // Summed with weight 1 per order (counts stay exact), then divided by the number of orders.
      Direct sums(depths.size());
      double orders = 0;
      testing::for_each_tie_order(sorted, j.distance, [&](const std::vector<std::size_t>& o) {
        sums.add(o, j.db_class, c.query_labels.label(q), c.similarity, c.classes, depths, 1.0);
        orders += 1;
      });
      direct.add_scaled(sums, 1.0 / orders);
    }
    direct.expect_equal(*r.tie_aware.mistakes, c.queries.size());
  }
}

TEST(MistakesAgainstDirect, LargeStraddlingGroupMatchesTheFullHypergeometricSum) {
  // Group 1: 5 items, 2 of them mistakes with D^T sum 1.2. Group 2 straddles the cut: 400 items,
  // 300 mistakes with mean D^T .4, 150 slots. E[(1.2 + .4 h) / (2 + h)] over h ~ Hyp(400, 300, 150).
  const TieTables tables(1000, 1000);
  const std::vector<TieGroup> groups = {{5, 3, 3 * 0.9 + 0.8}, {400, 100, 100 * 0.9 + 300 * 0.6}};
  const std::vector<double> mistake_gain = {0.8, 300 * 0.6};
  const std::vector<std::size_t> depths = {155};
  MistakeScores out;
  score_grouped_mistakes(groups, mistake_gain, 405, depths, tables, out);
  double expected = 0, total = 0;
  for (int h = 50; h <= 150; ++h) {
    const double p = std::exp(std::lgamma(301.0) - std::lgamma(h + 1.0) - std::lgamma(301.0 - h) +
                              std::lgamma(101.0) - std::lgamma(151.0 - h) - std::lgamma(h - 49.0) -
                              (std::lgamma(401.0) - std::lgamma(151.0) - std::lgamma(251.0)));
    expected += p * (1.2 + 0.4 * h) / (2.0 + h);
    total += p;
  }
  EXPECT_NEAR(total, 1.0, 1e-9);
  EXPECT_NEAR(out.severity[0], expected, 1e-10);
  EXPECT_EQ(out.with_mistake[0], 1.0);
  // Mean D^T: (5 - 3.5 + 150 * (1 - 270 / 400)) / 155.
  EXPECT_NEAR(out.distance[0], (5.0 - 3.5 + 150 * (1.0 - 270.0 / 400)) / 155, 1e-12);
}

TEST(MistakesAgainstDirect, FiguresDoNotDependOnTheThreadCount) {
  std::mt19937 rng(33);
  const Case c = random_case(rng, 300, 200, 16, 3, false);
  ClassRelevance relevance(c.query_labels, c.database_labels, c.similarity, c.classes, "s");
  const Cutoffs cutoffs{50, 20, {5}};
  const HammingResults one = run(c.queries, c.database, relevance, cutoffs, false, 1);
  const HammingResults three = run(c.queries, c.database, relevance, cutoffs, false, 3);
  EXPECT_EQ(one.tie_aware.mistakes->severity, three.tie_aware.mistakes->severity);
  EXPECT_EQ(one.index_ties.mistakes->mean_distance, three.index_ties.mistakes->mean_distance);
}

}  // namespace
}  // namespace shrewd::eval
