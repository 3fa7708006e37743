#include "shrewd/codes/synthetic_codes.hpp"

#include <algorithm>
#include <cstdint>

#include "shrewd/common/error.hpp"

namespace shrewd {

CodeMatrix random_codes(std::size_t bits, std::size_t n, std::mt19937_64& rng) {
  CodeMatrix codes(bits, n);
  const std::size_t words = codes.words_per_code();
  const std::uint64_t padding = padding_mask(bits);
  for (std::size_t i = 0; i < n; ++i) {
    std::uint64_t* code = codes.code(i);
    for (std::size_t w = 0; w < words; ++w) code[w] = rng();
    code[words - 1] &= ~padding;
  }
  return codes;
}

CodeMatrix clustered_codes(const CodeMatrix& centres, std::size_t n, double flip, std::mt19937_64& rng,
                           std::vector<std::size_t>* centre_of) {
  if (centres.empty()) fail("clustered codes", "need at least one centre");
  if (!(flip >= 0.0 && flip <= 1.0)) fail("clustered codes", "the bit flip probability must be in [0, 1]");
  // A bit flips when its 16-bit uniform draw is below the threshold: probability threshold / 65536.
  const auto threshold = std::uint64_t(flip * 65536.0 + 0.5);
  CodeMatrix codes(centres.bits(), n);
  const std::size_t words = codes.words_per_code();
  const std::uint64_t padding = padding_mask(centres.bits());
  if (centre_of) centre_of->resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    const std::size_t c = rng() % centres.size();
    if (centre_of) (*centre_of)[i] = c;
    std::uint64_t* code = codes.code(i);
    for (std::size_t w = 0; w < words; ++w) {
      std::uint64_t mask = 0;
      for (int bit = 0; bit < 64; bit += 4) {
        const std::uint64_t r = rng();
        for (int part = 0; part < 4; ++part)
          if (((r >> (16 * part)) & 0xffff) < threshold) mask |= std::uint64_t{1} << (bit + part);
      }
      if (w + 1 == words) mask &= ~padding;
      code[w] = centres.code(c)[w] ^ mask;
    }
  }
  return codes;
}

}  // namespace shrewd
