#include "shrewd/common/error.hpp"

#include <fmt/format.h>

namespace shrewd {

void fail(const std::string& where, const std::string& problem) {
  throw Error(fmt::format("{}: {}", where, problem));
}

}  // namespace shrewd
