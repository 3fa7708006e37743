#pragma once
// Test helpers: random and clustered codes, and a brute-force reference search (every distance,
// std::sort by distance then id) that the indexes must agree with exactly.

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <random>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "shrewd/codes/code_matrix.hpp"
#include "shrewd/codes/hamming.hpp"
#include "shrewd/codes/synthetic_codes.hpp"
#include "shrewd/index/search_result.hpp"

namespace shrewd::testing {

// Seeded forms of the generators in codes/synthetic_codes.hpp.
inline CodeMatrix random_codes(std::size_t bits, std::size_t n, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  return shrewd::random_codes(bits, n, rng);
}

// Noisy copies of a few centres (each bit flipped with probability `flip`): many ties and
// duplicates. The centres come from centre_seed alone, so codes drawn with other seeds can share them.
inline CodeMatrix clustered_codes(std::size_t bits, std::size_t n, std::size_t centres, double flip,
                                  std::uint64_t seed, std::uint64_t centre_seed) {
  std::mt19937_64 rng(seed);
  return shrewd::clustered_codes(random_codes(bits, centres, centre_seed), n, flip, rng);
}

inline CodeMatrix clustered_codes(std::size_t bits, std::size_t n, std::size_t centres, double flip,
                                  std::uint64_t seed) {
  return clustered_codes(bits, n, centres, flip, seed, seed + 1000);
}

struct Reference {
  std::vector<std::vector<std::pair<int, std::int64_t>>> per_query;  // (distance, id), ordered
};

// All live codes of every query ordered by (distance, id).
inline Reference brute_force(CodeSpan db, CodeSpan queries, std::span<const std::uint64_t> ids = {},
                             const std::vector<bool>& deleted = {}) {
  Reference ref;
  for (std::size_t q = 0; q < queries.count; ++q) {
    std::vector<std::pair<int, std::int64_t>> all;
    for (std::size_t i = 0; i < db.count; ++i) {
      if (!deleted.empty() && deleted[i]) continue;
      all.emplace_back(hamming_distance(queries.code(q), db.code(i), db.words_per_code()),
                       ids.empty() ? std::int64_t(i) : std::int64_t(ids[i]));
    }
    std::sort(all.begin(), all.end());
    ref.per_query.push_back(std::move(all));
  }
  return ref;
}

inline KnnResult reference_knn(const Reference& ref, std::size_t k) {
  KnnResult r;
  r.queries = ref.per_query.size();
  r.k = k;
  r.ids.assign(r.queries * k, -1);
  r.distances.assign(r.queries * k, -1);
  for (std::size_t q = 0; q < r.queries; ++q)
    for (std::size_t j = 0; j < k && j < ref.per_query[q].size(); ++j) {
      r.distances[q * k + j] = ref.per_query[q][j].first;
      r.ids[q * k + j] = ref.per_query[q][j].second;
    }
  return r;
}

inline RadiusResult reference_radius(const Reference& ref, int radius) {
  RadiusResult r;
  r.offsets.push_back(0);
  for (const auto& all : ref.per_query) {
    for (const auto& [d, id] : all)
      if (d <= radius) {
        r.ids.push_back(id);
        r.distances.push_back(d);
      }
    r.offsets.push_back(std::int64_t(r.ids.size()));
  }
  return r;
}

// Results must match exactly: same ids, same distances, same order.
inline void expect_same(const KnnResult& got, const KnnResult& want, const std::string& what) {
  EXPECT_EQ(got.queries, want.queries) << what;
  EXPECT_EQ(got.k, want.k) << what;
  EXPECT_EQ(got.distances, want.distances) << what;
  EXPECT_EQ(got.ids, want.ids) << what;
}

inline void expect_same(const RadiusResult& got, const RadiusResult& want, const std::string& what) {
  EXPECT_EQ(got.offsets, want.offsets) << what;
  EXPECT_EQ(got.distances, want.distances) << what;
  EXPECT_EQ(got.ids, want.ids) << what;
}

}  // namespace shrewd::testing
