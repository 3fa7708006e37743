#pragma once
// Internal: the per-instruction-set kernel tables behind hamming.hpp. Each table is defined in its
// own translation unit compiled with that instruction set's flags (see codes/CMakeLists.txt).

#include <cstddef>
#include <cstdint>

#include "shrewd/codes/hamming.hpp"

namespace shrewd::detail {

struct HammingKernelTable {
  void (*distances)(const std::uint64_t* query, const std::uint64_t* codes, std::size_t count, std::size_t words,
                    std::uint16_t* out);
  HammingScan (*within)(const std::uint64_t* query, const std::uint64_t* codes, std::size_t count,
                        std::size_t words, int max_distance, std::uint32_t* positions, std::uint16_t* distances,
                        std::size_t capacity);
};

const HammingKernelTable& scalar_kernels();  // hamming_scalar.cpp
const HammingKernelTable* avx2_kernels();    // hamming_avx2.cpp; nullptr where not compiled in
const HammingKernelTable* avx512_kernels();  // hamming_avx512.cpp; nullptr where not compiled in

// Scalar distance of one code, shared by the vector files for their tails. Internal linkage on
// purpose: every file gets its own copy compiled with its own flags (one shared out-of-line copy
// could carry AVX-512 code into the scalar path).
namespace {
inline int scalar_distance(const std::uint64_t* a, const std::uint64_t* b, std::size_t words) {
  int d = 0;
  for (std::size_t w = 0; w < words; ++w) d += __builtin_popcountll(a[w] ^ b[w]);
  return d;
}
}  // namespace

}  // namespace shrewd::detail
