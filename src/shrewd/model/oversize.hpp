#pragma once

#include <c10/util/Exception.h>

#include <new>
#include <string>

#include "shrewd/common/error.hpp"

namespace shrewd::model {

// Runs `work`, which allocates tensors whose sizes come from the configuration. When LibTorch
// refuses (it cannot allocate, or a size overflows) the user gets one line naming the keys that
// set those sizes, instead of LibTorch's message with its C++ backtrace.
template <class Work>
decltype(auto) refusing_oversize(const std::string& keys, Work&& work) {
  try {
    return work();
  } catch (const c10::Error& error) {
    fail(keys, std::string("too large for this machine: ") + error.what_without_backtrace());
  } catch (const std::bad_alloc&) {
    fail(keys, "too large for this machine: out of memory");
  }
}

}  // namespace shrewd::model
