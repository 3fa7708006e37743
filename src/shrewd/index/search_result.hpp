#pragma once

#include <cstddef>
#include <cstdint>
#include <fmt/format.h>
#include <string>
#include <vector>

#include "shrewd/common/error.hpp"

namespace shrewd {

// k nearest neighbours of Q queries, row-major [Q, k]: ordered by distance, then id; -1 in both
// arrays where fewer than k codes exist.
struct KnnResult {
  std::size_t queries = 0;
  std::size_t k = 0;
  std::vector<std::int64_t> ids;
  std::vector<std::int32_t> distances;

  // Q x k slots, all empty (-1), for a search to fill in. A Q x k that does not fit in memory's
  // address range (12 bytes a slot) is an Error naming k, never a wrapped size.
  static KnnResult unfilled(std::size_t queries, std::size_t k) {
    constexpr std::size_t kSlotBytes = sizeof(std::int64_t) + sizeof(std::int32_t);
    if (k != 0 && queries > std::size_t(PTRDIFF_MAX) / kSlotBytes / k)
      fail("k", fmt::format("{} queries x k = {} results are more than fit in memory", queries, k));
    return {queries, k, std::vector<std::int64_t>(queries * k, -1), std::vector<std::int32_t>(queries * k, -1)};
  }
};

// All codes within a radius, for Q queries: the hits of query q are [offsets[q], offsets[q+1]),
// ordered by distance, then id.
struct RadiusResult {
  std::vector<std::int64_t> offsets;  // Q + 1 entries, offsets[0] = 0
  std::vector<std::int64_t> ids;
  std::vector<std::int32_t> distances;
};

struct SearchOptions {
  int threads = 1;  // <= 0: all hardware threads
};

}  // namespace shrewd
