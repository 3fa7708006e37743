#include "shrewd/index/substring_layout.hpp"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>
#include <string>

#include "shrewd/codes/code_matrix.hpp"
#include "shrewd/common/error.hpp"

namespace shrewd {

SubstringLayout::SubstringLayout(std::size_t bits, std::size_t substrings) : bits_(bits) {
  check_code_bits(bits, "multi-index hashing");
  if (substrings < min_substrings(bits) || substrings > bits)
    fail("multi-index hashing", fmt::format("{} substrings cannot split {}-bit codes: choose from {} to {} (every "
                                            "substring at most 64 bits), or 0 for automatic",
                                            substrings, bits, min_substrings(bits), bits));
  const std::size_t base = bits / substrings, longer = bits % substrings;
  std::size_t start = 0;
  for (std::size_t j = 0; j < substrings; ++j) {
    const std::size_t length = base + (j < longer ? 1 : 0);
    starts_.push_back(start);
    lengths_.push_back(length);
    start += length;
  }
}

std::size_t SubstringLayout::automatic_substrings(std::size_t bits, std::size_t codes) {
  const double log2_codes = std::log2(double(std::max<std::size_t>(codes, 2)));
  const auto wanted = std::size_t(std::lround(double(bits) / log2_codes));
  const std::size_t fewest = min_substrings(bits);
  const std::size_t most = std::max(fewest, bits / 8);
  return std::clamp(wanted, fewest, most);
}

}  // namespace shrewd
