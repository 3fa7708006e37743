// shrewd._core: the light libraries (codes, index, eval, semantics) for Python; docs/python.md.
#include <filesystem>
#include <new>

#include <pybind11/pybind11.h>

#include "bindings.hpp"
#include "shrewd/common/error.hpp"

namespace py = pybind11;

PYBIND11_MODULE(_core, m) {
  m.doc() = "shrewd's C++ core: packed codes, exact Hamming search, retrieval metrics, class hierarchies";
  // A shrewd::Error is what the command line prints as "shrewd: error: <message>": here a ValueError
  // with the same message. Files that cannot be read or written are OSErrors.
  py::register_exception_translator([](std::exception_ptr error) {
    try {
      if (error) std::rethrow_exception(error);
    } catch (const shrewd::Error& e) {
      PyErr_SetString(PyExc_ValueError, e.what());
    } catch (const std::filesystem::filesystem_error& e) {
      PyErr_SetString(PyExc_OSError, e.what());
    }
  });
  shrewd::python::bind_codes(m);
  shrewd::python::bind_index(m);
  shrewd::python::bind_hierarchy(m);  // before evaluate, which takes its classes
  shrewd::python::bind_evaluate(m);
}
