#pragma once

#include <cstddef>
#include <bit>
#include <cstdint>
#include <span>

namespace shrewd {

// A bitmap of N flags (the deleted codes of an index): ceil(N / 64) uint64 words, flag i is bit
// i % 64 of word i / 64. An empty bitmap sets no flag.
inline std::size_t bitmap_words(std::size_t count) { return (count + 63) / 64; }

inline bool bitmap_test(std::span<const std::uint64_t> bitmap, std::size_t i) {
  return !bitmap.empty() && ((bitmap[i / 64] >> (i % 64)) & 1);
}

// The number of flags set.
inline std::size_t bitmap_count(std::span<const std::uint64_t> bitmap) {
  std::size_t set = 0;
  for (const std::uint64_t word : bitmap) set += std::size_t(std::popcount(word));
  return set;
}

inline void bitmap_set(std::span<std::uint64_t> bitmap, std::size_t i) { bitmap[i / 64] |= std::uint64_t{1} << (i % 64); }

}  // namespace shrewd
