#pragma once

#include <cstddef>
#include <span>

#include "shrewd/index/search_result.hpp"

namespace shrewd {

// Merges the answers of shards that hold disjoint sets of ids into the answer one index over all
// their codes gives: per query the k nearest, ordered by distance, then id (-1 padding where
// fewer than k exist). Every part must answer the same queries; a part may hold fewer than k
// entries per query (a small shard pads with -1). An id returned by two parts is an Error: the
// shards overlap, and a merged answer would be wrong.
KnnResult merge_knn(std::span<const KnnResult> parts, std::size_t k);

// Merges radius answers the same way: per query all hits of all parts, by distance, then id.
RadiusResult merge_radius(std::span<const RadiusResult> parts);

}  // namespace shrewd
