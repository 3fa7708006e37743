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
#include "shrewd/index/search_result.hpp"

namespace shrewd::testing {

inline CodeMatrix random_codes(std::size_t bits, std::size_t n, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  CodeMatrix codes(bits, n);
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = 0; j < bits; ++j) codes.set_bit(i, j, rng() & 1);
  return codes;
}

// Noisy copies of a few centres (each bit flipped with probability `flip`): many ties and duplicates.
inline CodeMatrix clustered_codes(std::size_t bits, std::size_t n, std::size_t centres, double flip,
                                  std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  CodeMatrix centre = random_codes(bits, centres, seed + 1000);
  std::bernoulli_distribution flipped(flip);
  CodeMatrix codes(bits, n);
  for (std::size_t i = 0; i < n; ++i) {
    const std::size_t c = rng() % centres;
    for (std::size_t j = 0; j < bits; ++j) codes.set_bit(i, j, centre.bit(c, j) != flipped(rng));
  }
  return codes;
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
