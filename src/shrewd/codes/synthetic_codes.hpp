#pragma once

#include <cstddef>
#include <random>
#include <vector>

#include "shrewd/codes/code_matrix.hpp"

namespace shrewd {

// Synthetic codes for tests, benchmarks and `shrewd search-demo`. Both functions draw from the
// given generator in a fixed order, so a seed always gives the same codes.

// n uniformly random codes of K bits: one rng() draw per 64-bit word, padding bits cleared.
CodeMatrix random_codes(std::size_t bits, std::size_t n, std::mt19937_64& rng);

// n noisy copies of the centres, as learned codes cluster by class: code i copies centre
// c = rng() % C and flips each of its bits independently with probability `flip` (in [0, 1],
// rounded to a multiple of 1/65536: each rng() draw gives four 16-bit uniforms, one per bit).
// centre_of, when given, receives c for every code.
CodeMatrix clustered_codes(const CodeMatrix& centres, std::size_t n, double flip, std::mt19937_64& rng,
                           std::vector<std::size_t>* centre_of = nullptr);

}  // namespace shrewd
