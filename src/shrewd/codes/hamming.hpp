#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "shrewd/codes/code_matrix.hpp"

namespace shrewd {

// Instruction-set paths for the Hamming kernels. Every path returns identical distances.
//   Scalar: one POPCNT per 64-bit word.
//   Avx2:   popcount of 4 words at a time through a 16-entry nibble table (vpshufb) + vpsadbw.
//   Avx512: 8 words at a time with AVX-512 VPOPCNTDQ.
// Each path lives in its own file compiled with its own instruction-set flags; the library picks
// the best one the CPU supports at run time (__builtin_cpu_supports), so one binary runs anywhere.
enum class HammingKernel { Scalar, Avx2, Avx512 };

std::string kernel_name(HammingKernel kernel);
HammingKernel parse_kernel_name(const std::string& name);  // "scalar" | "avx2" | "avx512"
bool kernel_available(HammingKernel kernel);  // does this CPU support it?
HammingKernel active_kernel();                // the path in use (best available by default)
// For tests and benchmarks; fails if unavailable. The environment variable SHREWD_HAMMING_KERNEL
// (scalar|avx2|avx512) sets the starting path of a process the same way.
void force_kernel(HammingKernel kernel);
HammingKernel best_kernel();                  // the fastest available path

// Hamming distance between two codes of `words` 64-bit words.
int hamming_distance(const std::uint64_t* a, const std::uint64_t* b, std::size_t words);

// out[i] = Hamming distance between `query` and codes.code(i), for all i, with the active kernel.
void hamming_distances(const std::uint64_t* query, CodeSpan codes, std::uint16_t* out);

// The filtering scan the searches are built on. hamming_within walks codes in order and, for each
// code at distance <= max_distance from query, writes its position (relative to codes.words) and
// distance to positions[found] / distances[found]. It works in batches of kHammingBatch codes and
// starts a batch only while at least kHammingBatch of the `capacity` output slots are free, so it
// may stop early: `scanned` says how many codes it looked at (call again from there), `found` how
// many it wrote. codes.count must be below 2^32; max_distance < 0 finds nothing.
constexpr std::size_t kHammingBatch = 32;
struct HammingScan {
  std::size_t scanned = 0;
  std::size_t found = 0;
};
HammingScan hamming_within(const std::uint64_t* query, CodeSpan codes, int max_distance,
                           std::uint32_t* positions, std::uint16_t* distances, std::size_t capacity);

}  // namespace shrewd
