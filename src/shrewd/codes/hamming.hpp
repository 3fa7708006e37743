#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "shrewd/codes/code_matrix.hpp"

namespace shrewd {

// Instruction-set paths for the Hamming kernels. Every path returns identical distances.
enum class HammingKernel { Scalar, Avx2, Avx512 };

std::string kernel_name(HammingKernel kernel);
bool kernel_available(HammingKernel kernel);  // does this CPU support it?
HammingKernel active_kernel();                // the path in use (best available by default)
void force_kernel(HammingKernel kernel);      // for tests and benchmarks; fails if unavailable

// Hamming distance between two codes of `words` 64-bit words.
int hamming_distance(const std::uint64_t* a, const std::uint64_t* b, std::size_t words);

// out[i] = Hamming distance between `query` and codes.code(i), for all i, with the active kernel.
void hamming_distances(const std::uint64_t* query, CodeSpan codes, std::uint16_t* out);

}  // namespace shrewd
