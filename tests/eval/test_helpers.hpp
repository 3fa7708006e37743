#pragma once

#include <cstdint>
#include <vector>

#include "shrewd/codes/code_matrix.hpp"
#include "shrewd/eval/labels.hpp"

namespace shrewd::eval::testing {

// 8-bit codes from byte values.
inline CodeMatrix codes8(const std::vector<std::uint8_t>& bytes) {
  CodeMatrix codes(8);
  for (std::uint8_t b : bytes) codes.append_bytes(&b);
  return codes;
}

inline Labels single(const std::vector<std::int64_t>& labels) { return Labels::single(labels, "labels.npy"); }

}  // namespace shrewd::eval::testing
