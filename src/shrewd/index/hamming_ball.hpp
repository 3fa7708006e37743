#pragma once

#include <cstddef>
#include <cstdint>

namespace shrewd {

// C(n, r) for n <= 64 (exact: C(64, 32) < 2^64).
inline std::uint64_t binomial(std::size_t n, std::size_t r) {
  if (r > n) return 0;
  if (r > n - r) r = n - r;
  unsigned __int128 c = 1;
  for (std::size_t i = 0; i < r; ++i) c = c * (n - i) / (i + 1);
  return std::uint64_t(c);
}

// Calls visit(v) for every `length`-bit value v at Hamming distance exactly `weight` from `center`
// (masks of `weight` set bits, in increasing order). Stops and returns false as
// soon as visit returns false.
template <class Visit>
bool for_each_at_distance(std::uint64_t center, std::size_t length, std::size_t weight, Visit&& visit) {
  if (weight > length) return true;
  const std::uint64_t count = binomial(length, weight);
  std::uint64_t mask = weight == 0 ? 0 : weight == 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << weight) - 1;
  for (std::uint64_t i = 0;;) {
    if (!visit(center ^ mask)) return false;
    if (++i == count) return true;
    const std::uint64_t filled = mask | (mask - 1);  // next mask with as many bits, no division
    mask = (filled + 1) | (((~filled & (filled + 1)) - 1) >> (__builtin_ctzll(mask) + 1));
  }
}

}  // namespace shrewd
