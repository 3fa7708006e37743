#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "shrewd/codes/code_matrix.hpp"
#include "shrewd/serve/image.hpp"

namespace shrewd::serve {

// Turns an uploaded image into a hash code (a trained model, in builds with LibTorch).
class QueryEncoder {
 public:
  virtual ~QueryEncoder() = default;
  virtual std::size_t bits() const = 0;
  // One code for the image; the encoder converts size and channels to what its model takes.
  virtual CodeMatrix encode(const Image& image) const = 0;
  // The continuous outputs z (K floats) the code is the signs of; empty for encoders without them.
  virtual std::vector<float> outputs(const Image&) const { return {}; }
  virtual std::string description() const = 0;
};

}  // namespace shrewd::serve
