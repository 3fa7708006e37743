#pragma once
// One translation of shrewd's C++ errors for both Python modules: a shrewd::Error (what the command
// line prints as "shrewd: error: <message>") is a ValueError with the same message; a file that
// cannot be read or written is an OSError.
#include <exception>
#include <filesystem>

#include <pybind11/pybind11.h>

#include "shrewd/common/error.hpp"

namespace shrewd::python {

inline void register_error_translation() {
  pybind11::register_exception_translator([](std::exception_ptr error) {
    try {
      if (error) std::rethrow_exception(error);
    } catch (const shrewd::Error& e) {
      PyErr_SetString(PyExc_ValueError, e.what());
    } catch (const std::filesystem::filesystem_error& e) {
      PyErr_SetString(PyExc_OSError, e.what());
    }
  });
}

}  // namespace shrewd::python
