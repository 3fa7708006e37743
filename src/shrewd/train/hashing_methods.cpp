#include "shrewd/train/hashing_methods.hpp"

#include <algorithm>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "shrewd/common/error.hpp"

namespace shrewd::train {

const std::vector<std::string>& hashing_methods() {
  static const std::vector<std::string> names{"shrewd", "classifier", "dpsh", "hashnet", "csq", "greedyhash"};
  return names;
}

void check_hashing_method(const std::string& method) {
  const auto& known = hashing_methods();
  if (std::find(known.begin(), known.end(), method) == known.end())
    fail("config loss.method", fmt::format("unknown method '{}' (known: {})", method, fmt::join(known, ", ")));
}

}  // namespace shrewd::train
