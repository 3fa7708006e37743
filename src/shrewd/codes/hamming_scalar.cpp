// Scalar path: one POPCNT instruction per 64-bit word (this file is compiled with -mpopcnt on x86).
#include <algorithm>

#include "shrewd/codes/hamming_kernels.hpp"

namespace shrewd::detail {
namespace {

// Words = 0: the word count is known only at run time.
template <std::size_t Words>
inline int distance(const std::uint64_t* a, const std::uint64_t* b, std::size_t words) {
  return scalar_distance(a, b, Words ? Words : words);
}

template <std::size_t Words>
void distances(const std::uint64_t* query, const std::uint64_t* codes, std::size_t count, std::size_t words,
               std::uint16_t* out) {
  for (std::size_t i = 0; i < count; ++i) out[i] = std::uint16_t(distance<Words>(query, codes + i * words, words));
}

template <std::size_t Words>
HammingScan within(const std::uint64_t* query, const std::uint64_t* codes, std::size_t count, std::size_t words,
                   int max_distance, std::uint32_t* positions, std::uint16_t* dists, std::size_t capacity) {
  std::size_t i = 0, found = 0;
  while (i < count && capacity - found >= kHammingBatch) {
    const std::size_t end = std::min(count, i + kHammingBatch);
    for (; i < end; ++i) {
      const int d = distance<Words>(query, codes + i * words, words);
      positions[found] = std::uint32_t(i);  // written always, kept only on a hit: no branch
      dists[found] = std::uint16_t(d);
      found += d <= max_distance;
    }
  }
  return {i, found};
}

void distances_any(const std::uint64_t* q, const std::uint64_t* c, std::size_t n, std::size_t words,
                   std::uint16_t* out) {
  switch (words) {
    case 1: return distances<1>(q, c, n, words, out);
    case 2: return distances<2>(q, c, n, words, out);
    case 4: return distances<4>(q, c, n, words, out);
    default: return distances<0>(q, c, n, words, out);
  }
}

HammingScan within_any(const std::uint64_t* q, const std::uint64_t* c, std::size_t n, std::size_t words, int r,
                       std::uint32_t* pos, std::uint16_t* d, std::size_t cap) {
  switch (words) {
    case 1: return within<1>(q, c, n, words, r, pos, d, cap);
    case 2: return within<2>(q, c, n, words, r, pos, d, cap);
    case 4: return within<4>(q, c, n, words, r, pos, d, cap);
    default: return within<0>(q, c, n, words, r, pos, d, cap);
  }
}

}  // namespace

const HammingKernelTable& scalar_kernels() {
  static const HammingKernelTable table{distances_any, within_any};
  return table;
}

}  // namespace shrewd::detail
