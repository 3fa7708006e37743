#pragma once

#include <filesystem>

#include "shrewd/codes/code_matrix.hpp"
#include "shrewd/common/npy.hpp"

namespace shrewd {

// How a uint8 [N, C] code array is laid out: numpy packbits (C = K/8) or one element per bit
// (C = K). Detect reads it as packbits unless that is ambiguous.
enum class CodeLayout { Detect, Packed, Unpacked };

// Reads codes from .npy. Accepted layouts, by dtype and shape:
//   uint8 [N, K/8]           numpy packbits (most significant bit first)   <- the canonical form
//   bool or uint8 0/1 [N, K] one element per bit (a uint8 array only with CodeLayout::Unpacked)
//   int8 -1/+1 [N, K]        signs
//   float32 [N, K]           bit = value >= 0 (NaN is rejected)
// A uint8 array whose values are all 0 or 1 and whose width is a valid K (a multiple of 8, 8 to
// 1024) is ambiguous with N > 0: CodeLayout::Detect then fails, asking for --unpacked or --packed
// (the options of the commands that read codes). CodeLayout::Packed takes uint8 only.
// Anything else fails with an Error naming the file and the problem.
CodeMatrix read_codes_npy(const std::filesystem::path& path, CodeLayout layout = CodeLayout::Detect);
CodeMatrix codes_from_npy(const NpyArray& array, CodeLayout layout = CodeLayout::Detect);

// Writes uint8 [N, K/8] packbits, atomically.
void write_codes_npy(const std::filesystem::path& path, const CodeMatrix& codes);

}  // namespace shrewd
