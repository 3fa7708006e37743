#pragma once

#include <gtest/gtest.h>

#include <functional>
#include <string>

#include "shrewd/common/error.hpp"

namespace shrewd::testing {

// Runs `action`, expects a shrewd::Error, and returns its message ("" and a test failure otherwise).
inline std::string error_of(const std::function<void()>& action) {
  try {
    action();
  } catch (const Error& error) {
    return error.what();
  }
  ADD_FAILURE() << "expected shrewd::Error";
  return {};
}

}  // namespace shrewd::testing
