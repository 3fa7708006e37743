#pragma once

#include <cstddef>

#include "shrewd/codes/code_matrix.hpp"
#include "shrewd/index/search_result.hpp"

namespace shrewd {

// Exact search over binary codes by Hamming distance. Every implementation returns exactly the
// same results for the same codes and ids (the flat scan is the reference).
class BinaryIndex {
 public:
  virtual ~BinaryIndex() = default;

  virtual std::size_t size() const = 0;
  virtual std::size_t bits() const = 0;

  virtual KnnResult search(CodeSpan queries, std::size_t k, const SearchOptions& options = {}) const = 0;
  virtual RadiusResult range_search(CodeSpan queries, int radius, const SearchOptions& options = {}) const = 0;
};

}  // namespace shrewd
