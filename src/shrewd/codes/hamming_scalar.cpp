// Scalar path: one POPCNT instruction per 64-bit word (this file is compiled with -mpopcnt on x86).
#include "shrewd/codes/hamming_kernel_loops.hpp"

namespace shrewd::detail {
namespace {

void distances(const std::uint64_t* query, const std::uint64_t* codes, std::size_t count, std::size_t words,
               std::uint16_t* out) {
  with_word_count(words, [&](auto fixed) {
    const std::size_t w = fixed ? fixed() : words;
    for (std::size_t i = 0; i < count; ++i) out[i] = std::uint16_t(scalar_distance(query, codes + i * w, w));
  });
}

HammingScan within(const std::uint64_t* query, const std::uint64_t* codes, std::size_t count, std::size_t words,
                   int max_distance, std::uint32_t* positions, std::uint16_t* distances, std::size_t capacity) {
  return with_word_count(words, [&](auto fixed) {
    const std::size_t w = fixed ? fixed() : words;
    const auto distance_of = [&](std::size_t i) { return scalar_distance(query, codes + i * w, w); };
    return within_each(distance_of, 0, count, max_distance, positions, distances, capacity);
  });
}

}  // namespace

const HammingKernelTable& scalar_kernels() {
  static const HammingKernelTable table{distances, within};
  return table;
}

}  // namespace shrewd::detail
