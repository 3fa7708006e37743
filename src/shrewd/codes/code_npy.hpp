#pragma once

#include <filesystem>

#include "shrewd/codes/code_matrix.hpp"
#include "shrewd/common/npy.hpp"

namespace shrewd {

// Reads codes from .npy. Accepted layouts, by dtype and shape:
//   uint8 [N, K/8]           numpy packbits (most significant bit first)   <- the canonical form
//   bool or uint8 0/1 [N, K] one element per bit; a uint8 array is read this way only with
//                            bits_per_element = true (otherwise uint8 means packed)
//   int8 -1/+1 [N, K]        signs
//   float32 [N, K]           bit = value >= 0 (NaN is rejected)
// Anything else fails with an Error naming the file and the problem.
CodeMatrix read_codes_npy(const std::filesystem::path& path, bool bits_per_element = false);
CodeMatrix codes_from_npy(const NpyArray& array, bool bits_per_element = false);

// Writes uint8 [N, K/8] packbits, atomically.
void write_codes_npy(const std::filesystem::path& path, const CodeMatrix& codes);

}  // namespace shrewd
