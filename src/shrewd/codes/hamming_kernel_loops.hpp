#pragma once
// Internal: the loops every Hamming kernel file shares. Each kernel file includes this header and
// instantiates the templates with its own types from an anonymous namespace, so every copy is
// compiled with that file's instruction-set flags and none leaks into another file.
//
// A vector file describes its instruction set by a Block<Words> type (Words = 1, 2 or 4):
//   static constexpr std::size_t kCodes;          codes per vector
//   explicit Block(const std::uint64_t* query);
//   Vector operator()(const std::uint64_t* codes) const;   distances of kCodes codes, in order
//   static unsigned hits(Vector d, const Limit& limit);    bit l set where lane l <= the limit
//   static Limit limit(int max_distance);
//   static void store(Vector d, std::uint64_t* lanes);
//   static void store(Vector d, std::uint16_t* out);       kCodes distances to out[0..kCodes)

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <type_traits>

#include "shrewd/codes/hamming_kernels.hpp"

namespace shrewd::detail {

// Calls body(std::integral_constant<std::size_t, W>{}) with W = words for 1, 2 and 4 words per
// code (the common K = 64, 128, 256), W = 0 for any other count (known only at run time).
template <class Body>
inline decltype(auto) with_word_count(std::size_t words, Body&& body) {
  switch (words) {
    case 1: return body(std::integral_constant<std::size_t, 1>{});
    case 2: return body(std::integral_constant<std::size_t, 2>{});
    case 4: return body(std::integral_constant<std::size_t, 4>{});
    default: return body(std::integral_constant<std::size_t, 0>{});
  }
}

// hamming_within's contract, one code at a time from position i on: distance_of(j) is the
// distance of code j. Positions and distances are written always and kept only on a hit (no branch).
template <class DistanceOf>
inline HammingScan within_each(DistanceOf distance_of, std::size_t i, std::size_t count, int max_distance,
                               std::uint32_t* positions, std::uint16_t* distances, std::size_t capacity,
                               std::size_t found = 0) {
  while (i < count && capacity - found >= kHammingBatch) {
    const std::size_t end = std::min(count, i + kHammingBatch);
    for (; i < end; ++i) {
      const int d = distance_of(i);
      positions[found] = std::uint32_t(i);
      distances[found] = std::uint16_t(d);
      found += d <= max_distance;
    }
  }
  return {i, found};
}

template <class Block, class Vector>
inline void emit_hits(unsigned hits, Vector d, std::size_t first, std::uint32_t* positions,
                      std::uint16_t* distances, std::size_t& found) {
  alignas(64) std::uint64_t lanes[Block::kCodes];
  Block::store(d, lanes);
  while (hits) {
    const int lane = __builtin_ctz(hits);
    hits &= hits - 1;
    positions[found] = std::uint32_t(first + lane);
    distances[found] = std::uint16_t(lanes[lane]);
    ++found;
  }
}

template <class Block, std::size_t Words>
inline void distances_by_block(const std::uint64_t* query, const std::uint64_t* codes, std::size_t count,
                               std::uint16_t* out) {
  const Block block(query);
  std::size_t i = 0;
  for (; i + Block::kCodes <= count; i += Block::kCodes) Block::store(block(codes + i * Words), out + i);
  for (; i < count; ++i) out[i] = std::uint16_t(scalar_distance(query, codes + i * Words, Words));
}

// Four vectors of distances per step; a step without a hit (the common case once a search has a
// tight bound) writes nothing. The last, partial batch goes one code at a time.
template <class Block, std::size_t Words>
inline HammingScan within_by_block(const std::uint64_t* query, const std::uint64_t* codes, std::size_t count,
                                   int max_distance, std::uint32_t* positions, std::uint16_t* distances,
                                   std::size_t capacity) {
  constexpr std::size_t step = 4 * Block::kCodes;
  static_assert(kHammingBatch % step == 0);
  const Block block(query);
  const auto limit = Block::limit(max_distance);
  std::size_t i = 0, found = 0;
  while (i + kHammingBatch <= count && capacity - found >= kHammingBatch) {
    for (const std::size_t end = i + kHammingBatch; i < end; i += step) {
      const std::uint64_t* c = codes + i * Words;
      constexpr std::size_t stride = Block::kCodes * Words;
      const auto d0 = block(c), d1 = block(c + stride), d2 = block(c + 2 * stride), d3 = block(c + 3 * stride);
      const unsigned m0 = Block::hits(d0, limit), m1 = Block::hits(d1, limit), m2 = Block::hits(d2, limit),
                     m3 = Block::hits(d3, limit);
      if ((m0 | m1 | m2 | m3) == 0) continue;
      emit_hits<Block>(m0, d0, i, positions, distances, found);
      emit_hits<Block>(m1, d1, i + Block::kCodes, positions, distances, found);
      emit_hits<Block>(m2, d2, i + 2 * Block::kCodes, positions, distances, found);
      emit_hits<Block>(m3, d3, i + 3 * Block::kCodes, positions, distances, found);
    }
  }
  if (i + kHammingBatch <= count) return {i, found};  // stopped for want of output slots
  const auto distance_of = [&](std::size_t j) { return scalar_distance(query, codes + j * Words, Words); };
  return within_each(distance_of, i, count, max_distance, positions, distances, capacity, found);
}

// The kernel table of a vector instruction set: Block<Words> for 1, 2 and 4 words per code,
// distance_any(query, code, words) for every other word count.
template <template <std::size_t> class Block, int (*distance_any)(const std::uint64_t*, const std::uint64_t*,
                                                                  std::size_t)>
struct BlockKernels {
  static void distances(const std::uint64_t* query, const std::uint64_t* codes, std::size_t count,
                        std::size_t words, std::uint16_t* out) {
    with_word_count(words, [&](auto fixed) {
      if constexpr (fixed == 0) {
        for (std::size_t i = 0; i < count; ++i) out[i] = std::uint16_t(distance_any(query, codes + i * words, words));
      } else {
        distances_by_block<Block<fixed>, fixed>(query, codes, count, out);
      }
    });
  }

  static HammingScan within(const std::uint64_t* query, const std::uint64_t* codes, std::size_t count,
                            std::size_t words, int max_distance, std::uint32_t* positions,
                            std::uint16_t* distances, std::size_t capacity) {
    return with_word_count(words, [&](auto fixed) {
      if constexpr (fixed == 0) {
        const auto distance_of = [&](std::size_t i) { return distance_any(query, codes + i * words, words); };
        return within_each(distance_of, 0, count, max_distance, positions, distances, capacity);
      } else {
        return within_by_block<Block<fixed>, fixed>(query, codes, count, max_distance, positions, distances,
                                                   capacity);
      }
    });
  }

  static constexpr HammingKernelTable table{distances, within};
};

}  // namespace shrewd::detail
