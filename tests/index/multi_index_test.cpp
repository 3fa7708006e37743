#include "shrewd/index/multi_index.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <bit>
#include <map>
#include <numeric>
#include <random>
#include <set>
#include <string>
#include <tuple>

#include "shrewd/common/error.hpp"
#include "shrewd/index/hamming_ball.hpp"
#include "shrewd/index/substring_layout.hpp"
#include "shrewd/index/substring_table.hpp"
#include "search_reference.hpp"

namespace shrewd {
namespace {

using testing::expect_same;

using testing::random_codes;

// Noisy copies of `centres` random codes, the same centres for db and queries.
CodeMatrix clustered_codes(std::size_t bits, std::size_t count, std::size_t centres, double flip,
                           std::uint64_t seed) {
  return testing::clustered_codes(bits, count, centres, flip, seed, 1000 + centres);
}

int reference_distance(CodeSpan a, std::size_t i, CodeSpan b, std::size_t j) {
  int d = 0;
  for (std::size_t bit = 0; bit < a.bits; ++bit) d += a.bit(i, bit) != b.bit(j, bit);
  return d;
}

// Brute force, bit by bit: everything sorted by (distance, id).
std::vector<std::vector<std::pair<int, std::uint64_t>>> reference_ranking(CodeSpan codes,
                                                                          const std::vector<std::uint64_t>& ids,
                                                                          CodeSpan queries) {
  std::vector<std::vector<std::pair<int, std::uint64_t>>> ranking(queries.count);
  for (std::size_t q = 0; q < queries.count; ++q) {
    for (std::size_t i = 0; i < codes.count; ++i)
      ranking[q].emplace_back(reference_distance(queries, q, codes, i), ids.empty() ? i : ids[i]);
    std::sort(ranking[q].begin(), ranking[q].end());
  }
  return ranking;
}

KnnResult reference_knn(CodeSpan codes, const std::vector<std::uint64_t>& ids, CodeSpan queries, std::size_t k) {
  KnnResult result{queries.count, k, std::vector<std::int64_t>(queries.count * k, -1),
                   std::vector<std::int32_t>(queries.count * k, -1)};
  const auto ranking = reference_ranking(codes, ids, queries);
  for (std::size_t q = 0; q < queries.count; ++q)
    for (std::size_t i = 0; i < std::min(k, ranking[q].size()); ++i) {
      result.ids[q * k + i] = std::int64_t(ranking[q][i].second);
      result.distances[q * k + i] = ranking[q][i].first;
    }
  return result;
}

RadiusResult reference_range(CodeSpan codes, const std::vector<std::uint64_t>& ids, CodeSpan queries, int radius) {
  RadiusResult result;
  result.offsets.push_back(0);
  for (const auto& hits : reference_ranking(codes, ids, queries)) {
    for (const auto& [d, id] : hits)
      if (d <= radius) {
        result.ids.push_back(std::int64_t(id));
        result.distances.push_back(d);
      }
    result.offsets.push_back(std::int64_t(result.ids.size()));
  }
  return result;
}

constexpr MihStrategy kAllStrategies[] = {MihStrategy::MultiIndex, MihStrategy::Automatic, MihStrategy::Flat};

std::string name(MihStrategy strategy) {
  return strategy == MihStrategy::MultiIndex ? "mih" : strategy == MihStrategy::Flat ? "flat" : "automatic";
}

// Radius search by multi-index hashing only where the radius enumerates a modest number of buckets.
bool range_is_feasible(const MultiIndexHashing& index, int radius) {
  return index.plan_range_search(radius).mih_ns / index.cost_model().probe_ns < 3e5;
}

void expect_exact(const MultiIndexHashing& index, CodeSpan codes, const std::vector<std::uint64_t>& ids,
                  CodeSpan queries, const std::vector<std::size_t>& ks, const std::vector<int>& radii,
                  bool knn_by_mih = true) {
  for (std::size_t k : ks) {
    const auto expected = reference_knn(codes, ids, queries, k);
    for (MihStrategy strategy : kAllStrategies) {
      if (strategy == MihStrategy::MultiIndex && !knn_by_mih) continue;
      expect_same(expected, index.search(queries, k, {}, strategy),
                  "k=" + std::to_string(k) + " " + name(strategy) + " m=" + std::to_string(index.substrings()));
    }
  }
  for (int radius : radii) {
    const auto expected = reference_range(codes, ids, queries, radius);
    for (MihStrategy strategy : kAllStrategies) {
      if (strategy == MihStrategy::MultiIndex && !range_is_feasible(index, radius)) continue;
      expect_same(expected, index.range_search(queries, radius, {}, strategy),
                  "r=" + std::to_string(radius) + " " + name(strategy) + " m=" + std::to_string(index.substrings()));
    }
  }
}

class MultiIndexExactness : public ::testing::TestWithParam<std::size_t> {};

TEST_P(MultiIndexExactness, MatchesBruteForceOnClusteredCodes) {
  const std::size_t bits = GetParam();
  const auto codes = clustered_codes(bits, 1500, 30, 0.04, 1);
  const auto queries = clustered_codes(bits, 12, 30, 0.04, 2);
  const MultiIndexHashing index(codes, {});
  expect_exact(index, codes, {}, queries, {1, 10, 37}, {0, 1, int(bits / 16), int(bits / 4), int(bits)});
}

TEST_P(MultiIndexExactness, MatchesBruteForceOnUniformlyRandomCodes) {
  const std::size_t bits = GetParam();
  const auto codes = random_codes(bits, 700, 3);
  const auto queries = random_codes(bits, 6, 4);
  const MultiIndexHashing index(codes, {});
  expect_exact(index, codes, {}, queries, {1, 10}, {0, int(bits / 4), int(bits / 2), int(bits)});
}

TEST_P(MultiIndexExactness, MatchesBruteForceWithOneBitSubstrings) {
  const std::size_t bits = GetParam();
  const auto codes = clustered_codes(bits, 400, 10, 0.1, 5);
  const auto queries = clustered_codes(bits, 5, 10, 0.1, 6);
  const MultiIndexHashing index(codes, {}, bits);
  EXPECT_EQ(index.substrings(), bits);
  expect_exact(index, codes, {}, queries, {3, 10}, {0, 2, int(bits)});
}

TEST_P(MultiIndexExactness, MatchesBruteForceWithFewestSubstrings) {
  const std::size_t bits = GetParam();
  const auto codes = clustered_codes(bits, 500, 20, 0.01, 7);
  const auto queries = clustered_codes(bits, 6, 20, 0.01, 8);
  const MultiIndexHashing index(codes, {}, SubstringLayout::min_substrings(bits));
  EXPECT_EQ(index.substrings(), (bits + 63) / 64);
  // Queries lie within a few bits of ~25 codes each, so the 5 nearest are close even with 64-bit
  // substrings.
  expect_exact(index, codes, {}, queries, {5}, {0, 1, 3, int(bits)});
}

INSTANTIATE_TEST_SUITE_P(CodeLengths, MultiIndexExactness,
                         ::testing::Values(8, 16, 32, 64, 72, 128, 200, 256, 512),
                         [](const auto& info) { return std::to_string(info.param) + "bits"; });

TEST(MultiIndexHashing, OneSubstringEnumeratesWholeShortCodes) {
  const auto codes = random_codes(16, 3000, 9);
  const auto queries = random_codes(16, 8, 10);
  const MultiIndexHashing index(codes, {}, 1);
  EXPECT_EQ(index.substrings(), 1u);
  expect_exact(index, codes, {}, queries, {1, 25}, {0, 2, 5, 16});
}

TEST(MultiIndexHashing, ManyTiesAreOrderedByIdNotByRow) {
  // 40 distinct codes, each 25 times, with ids in scrambled order: every neighbour list is made of
  // ties whose order is decided by id alone.
  const auto distinct = clustered_codes(64, 40, 4, 0.05, 11);
  CodeMatrix codes(64);
  for (int copy = 0; copy < 25; ++copy) codes.append(distinct);
  std::vector<std::uint64_t> ids(codes.size());
  std::iota(ids.begin(), ids.end(), 1000);
  std::shuffle(ids.begin(), ids.end(), std::mt19937_64(12));
  const auto queries = clustered_codes(64, 6, 4, 0.05, 13);
  for (std::size_t m : {0, 2, 4, 16}) {
    const MultiIndexHashing index(codes, ids, m);
    expect_exact(index, codes, ids, queries, {1, 24, 25, 26, 60}, {0, 3, 10, 64});
  }
}

TEST(MultiIndexHashing, DuplicateCodesAreAllReturned) {
  CodeMatrix codes(64);
  const auto one = random_codes(64, 1, 14);
  for (int i = 0; i < 50; ++i) codes.append(one);
  const MultiIndexHashing index(codes, {});
  const auto knn = index.search(one, 50, {}, MihStrategy::MultiIndex);
  for (std::int64_t i = 0; i < 50; ++i) {
    EXPECT_EQ(knn.ids[std::size_t(i)], i);
    EXPECT_EQ(knn.distances[std::size_t(i)], 0);
  }
  const auto range = index.range_search(one, 0, {}, MihStrategy::MultiIndex);
  EXPECT_EQ(range.offsets, (std::vector<std::int64_t>{0, 50}));
}

TEST(MultiIndexHashing, KLargerThanTheIndexPadsWithMinusOne) {
  const auto codes = random_codes(32, 7, 15);
  const auto queries = random_codes(32, 3, 16);
  const MultiIndexHashing index(codes, {});
  const auto result = index.search(queries, 10, {}, MihStrategy::MultiIndex);
  expect_same(reference_knn(codes, {}, queries, 10), result, "k > N");
  for (std::size_t q = 0; q < 3; ++q) {
    EXPECT_NE(result.ids[q * 10 + 6], -1);
    EXPECT_EQ(result.ids[q * 10 + 7], -1);
    EXPECT_EQ(result.distances[q * 10 + 9], -1);
  }
}

TEST(MultiIndexHashing, EmptyIndexFindsNothing) {
  const CodeMatrix codes(128);
  const auto queries = random_codes(128, 4, 17);
  const MultiIndexHashing index(codes, {});
  EXPECT_EQ(index.size(), 0u);
  for (MihStrategy strategy : kAllStrategies) {
    const auto knn = index.search(queries, 5, {}, strategy);
    EXPECT_EQ(knn.ids, std::vector<std::int64_t>(20, -1));
    EXPECT_EQ(knn.distances, std::vector<std::int32_t>(20, -1));
    const auto range = index.range_search(queries, 128, {}, strategy);
    EXPECT_EQ(range.offsets, std::vector<std::int64_t>(5, 0));
    EXPECT_TRUE(range.ids.empty());
  }
}

TEST(MultiIndexHashing, NoQueriesAndZeroKGiveEmptyResults) {
  const auto codes = random_codes(64, 100, 18);
  const MultiIndexHashing index(codes, {});
  const CodeMatrix none(64);
  EXPECT_TRUE(index.search(none, 5).ids.empty());
  EXPECT_EQ(index.range_search(none, 3).offsets, std::vector<std::int64_t>{0});
  const auto zero = index.search(random_codes(64, 2, 19), 0);
  EXPECT_EQ(zero.queries, 2u);
  EXPECT_TRUE(zero.ids.empty());
}

TEST(MultiIndexHashing, ThreadsGiveTheSameResults) {
  const auto codes = clustered_codes(128, 3000, 40, 0.05, 20);
  const auto queries = clustered_codes(128, 40, 40, 0.05, 21);
  const MultiIndexHashing index(codes, {});
  for (MihStrategy strategy : kAllStrategies) {
    expect_same(index.search(queries, 10, {1}, strategy), index.search(queries, 10, {3}, strategy), name(strategy));
    expect_same(index.range_search(queries, 12, {1}, strategy), index.range_search(queries, 12, {0}, strategy),
                name(strategy));
  }
}

TEST(MultiIndexHashing, ReportsTableMemory) {
  const auto codes = random_codes(64, 5000, 22);
  const MultiIndexHashing index(codes, {}, 4);  // 16-bit substrings: direct tables
  // 4 tables of 5000 rows (4 bytes) and their codes (8 bytes) plus 2^16 + 1 offsets (4 bytes) each.
  EXPECT_EQ(index.table_bytes(), 4 * (5000 * 12 + 65537 * 4));
  const auto long_codes = random_codes(128, 5000, 22);
  const MultiIndexHashing long_index(long_codes, {}, 8);  // K > 64: rows only
  EXPECT_EQ(long_index.table_bytes(), 8 * (5000 * 4 + 65537 * 4));
}

TEST(MultiIndexHashing, AutomaticSubstringsFollowLog2N) {
  EXPECT_EQ(SubstringLayout::automatic_substrings(64, 10'000'000), 3u);  // 64 / 23.3
  EXPECT_EQ(SubstringLayout::automatic_substrings(64, 1'000'000), 3u);   // 64 / 19.9
  EXPECT_EQ(SubstringLayout::automatic_substrings(128, 1'000'000), 6u);
  EXPECT_EQ(SubstringLayout::automatic_substrings(64, 1000), 6u);
  EXPECT_EQ(SubstringLayout::automatic_substrings(64, 0), 8u);     // substrings of at least 8 bits
  EXPECT_EQ(SubstringLayout::automatic_substrings(1024, 1ull << 40), 26u);
  EXPECT_EQ(SubstringLayout::automatic_substrings(256, std::size_t{1} << 62), 4u);  // at most 64 bits each
  const auto codes = random_codes(64, 1000, 23);
  EXPECT_EQ(MultiIndexHashing(codes, {}).substrings(), 6u);
  EXPECT_EQ(MultiIndexHashing(codes, {}, 5).substrings(), 5u);
}

TEST(SubstringLayout, SubstringsPartitionTheCodeBits) {
  for (std::size_t bits : {8, 24, 64, 72, 200, 1024})
    for (std::size_t m : {SubstringLayout::min_substrings(bits), std::size_t{3}, bits / 8, bits}) {
      if (m < SubstringLayout::min_substrings(bits)) continue;
      const SubstringLayout layout(bits, m);
      std::size_t total = 0;
      for (std::size_t j = 0; j < m; ++j) {
        EXPECT_LE(layout.length(j), 64u);
        EXPECT_GE(layout.length(j) + 1, layout.length(0));
        total += layout.length(j);
      }
      EXPECT_EQ(total, bits);
      // Each single-bit code shows up as exactly one set bit in exactly one substring.
      for (std::size_t bit = 0; bit < bits; ++bit) {
        CodeMatrix code(bits, 1);
        code.set_bit(0, bit, true);
        int set = 0;
        for (std::size_t j = 0; j < m; ++j) set += std::popcount(layout.extract(code.code(0), j));
        EXPECT_EQ(set, 1) << bits << " bits, m=" << m << ", bit " << bit;
      }
    }
}

TEST(SubstringLayout, RejectsSubstringCountsThatCannotWork) {
  EXPECT_THROW(SubstringLayout(128, 1), Error);  // a 128-bit substring does not fit a 64-bit key
  EXPECT_THROW(SubstringLayout(64, 65), Error);
  EXPECT_THROW(SubstringLayout(60, 2), Error);
  EXPECT_NO_THROW(SubstringLayout(128, 2));
}

TEST(SubstringTable, LookupReturnsExactlyTheRowsWithThatValue) {
  const auto codes = clustered_codes(64, 4000, 50, 0.02, 24);
  for (std::size_t m : {1, 2, 4, 8}) {  // 64- and 32-bit substrings are hashed, 16 and 8 direct
    const SubstringLayout layout(64, m);
    for (std::size_t j = 0; j < m; ++j) {
      const SubstringTable table(codes, layout, j);
      EXPECT_EQ(table.direct(), layout.length(j) <= 16);
      std::map<std::uint64_t, std::vector<std::uint32_t>> expected;
      for (std::uint32_t row = 0; row < codes.size(); ++row) expected[layout.extract(codes.code(row), j)].push_back(row);
      for (const auto& [value, rows] : expected) {
        const auto found = table.lookup(value);
        EXPECT_EQ(std::vector<std::uint32_t>(found.rows.begin(), found.rows.end()), rows);
        ASSERT_NE(found.codes, nullptr);  // 64-bit codes are kept next to their rows
        for (std::size_t i = 0; i < rows.size(); ++i) EXPECT_EQ(found.codes[i], codes.code(rows[i])[0]);
      }
      const std::uint64_t mask = layout.length(j) == 64 ? ~0ULL : (1ULL << layout.length(j)) - 1;
      std::uint64_t absent = 0x5a5a5a5a5a5a5a5aULL & mask;
      while (expected.contains(absent)) absent = (absent + 1) & mask;
      EXPECT_TRUE(table.lookup(absent).rows.empty());
    }
  }
}

TEST(HammingBall, VisitsEveryValueAtExactlyThatDistanceOnce) {
  for (auto [length, weight] : {std::pair{8, 0}, {8, 3}, {13, 13}, {20, 4}, {64, 1}, {64, 2}, {64, 63}, {64, 64}}) {
    std::set<std::uint64_t> seen;
    const std::uint64_t centre = 0x0123456789abcdefULL & (length == 64 ? ~0ULL : (1ULL << length) - 1);
    for_each_at_distance(centre, std::size_t(length), std::size_t(weight), [&](std::uint64_t v) {
      EXPECT_EQ(std::popcount(v ^ centre), weight);
      if (length < 64) {
        EXPECT_LT(v, 1ULL << length);
      }
      seen.insert(v);
      return true;
    });
    EXPECT_EQ(seen.size(), binomial(std::size_t(length), std::size_t(weight))) << length << " " << weight;
  }
  EXPECT_EQ(binomial(64, 32), 1832624140942590534ULL);
  int calls = 0;
  EXPECT_FALSE(for_each_at_distance(0, 10, 2, [&](std::uint64_t) { return ++calls < 5; }));
  EXPECT_EQ(calls, 5);
}

TEST(MultiIndexFallback, UniformlyRandomLongCodesChooseTheFlatScan) {
  const auto codes = random_codes(256, 5000, 25);
  const auto queries = random_codes(256, 30, 26);
  const MultiIndexHashing index(codes, {});
  const MihPlan plan = index.plan_search(queries, 10);
  EXPECT_TRUE(plan.use_flat);
  EXPECT_GE(plan.mih_ns, index.cost_model().mih_margin * plan.flat_ns);
  MihSearchStats stats;
  expect_same(reference_knn(codes, {}, queries, 10), index.search(queries, 10, {}, MihStrategy::Automatic, &stats),
              "automatic");
  EXPECT_TRUE(stats.batch_flat);
  EXPECT_EQ(stats.queries_flat, 30u);
  EXPECT_TRUE(index.plan_range_search(100).use_flat);

  // A batch of at most 16 queries is not sampled: each query runs out of budget and is scanned.
  const CodeSpan few = queries.span().rows(0, 5);
  expect_same(reference_knn(codes, {}, few, 10), index.search(few, 10, {}, MihStrategy::Automatic, &stats),
              "few queries");
  EXPECT_FALSE(stats.batch_flat);
  EXPECT_EQ(stats.queries_flat, 5u);
}

TEST(MultiIndexFallback, ClusteredCodesChooseMultiIndexHashing) {
  const auto codes = clustered_codes(64, 20000, 200, 0.03, 27);
  const auto queries = clustered_codes(64, 30, 200, 0.03, 28);
  const MultiIndexHashing index(codes, {});
  const MihPlan plan = index.plan_search(queries, 10);
  EXPECT_FALSE(plan.use_flat);
  EXPECT_LT(plan.mih_ns, plan.flat_ns);
  EXPECT_EQ(plan.sampled, 16u);
  MihSearchStats stats;
  expect_same(reference_knn(codes, {}, queries, 10), index.search(queries, 10, {}, MihStrategy::Automatic, &stats),
              "automatic");
  EXPECT_FALSE(stats.batch_flat);
  EXPECT_LT(stats.queries_flat, 30u);
  EXPECT_GT(stats.probes, 0u);
  EXPECT_FALSE(index.plan_range_search(3).use_flat);
}

TEST(MultiIndexFallback, AQueryFarFromTheDataFinishesByFlatScanWithinItsBudget) {
  // Clustered data make the batch choose multi-index hashing; one uniformly random query among them
  // would enumerate far too many buckets, exceeds its budget and is answered by the flat scan.
  const auto codes = clustered_codes(64, 20000, 200, 0.03, 29);
  CodeMatrix queries = clustered_codes(64, 20, 200, 0.03, 30);
  queries.append(random_codes(64, 1, 31));
  const MultiIndexHashing index(codes, {});
  MihSearchStats stats;
  expect_same(reference_knn(codes, {}, queries, 10), index.search(queries, 10, {}, MihStrategy::Automatic, &stats),
              "automatic");
  EXPECT_FALSE(stats.batch_flat);
  EXPECT_GE(stats.queries_flat, 1u);
}

TEST(MultiIndexHashing, RejectsMismatchedInput) {
  const auto codes = random_codes(64, 10, 32);
  const std::vector<std::uint64_t> ids(9);
  EXPECT_THROW(MultiIndexHashing(codes, ids), Error);
  EXPECT_THROW(MultiIndexHashing(codes, {}, 100), Error);
  const MultiIndexHashing index(codes, {});
  EXPECT_THROW(index.search(random_codes(128, 1, 33), 3), Error);
  EXPECT_THROW(index.range_search(random_codes(128, 1, 33), 3), Error);
  EXPECT_THROW(index.range_search(random_codes(64, 1, 33), -1), Error);
  try {
    index.search(random_codes(128, 1, 33), 3);
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("128 bits"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace shrewd
