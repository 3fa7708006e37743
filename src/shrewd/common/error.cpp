#include "shrewd/common/error.hpp"

namespace shrewd {

void fail(const std::string& where, const std::string& problem) {
  throw Error(where + ": " + problem);
}

}  // namespace shrewd
