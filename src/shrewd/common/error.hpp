#pragma once

#include <stdexcept>
#include <string>

namespace shrewd {

// Every failure a user can cause: the message says where (a file, an option, a record) and what
// is wrong, so the command line can print it as it is.
class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Throws Error("<where>: <problem>").
[[noreturn]] void fail(const std::string& where, const std::string& problem);

}  // namespace shrewd
