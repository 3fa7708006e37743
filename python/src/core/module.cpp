// shrewd._core: the light libraries (codes, index, eval, semantics) for Python; docs/python.md.
#include <new>

#include <pybind11/pybind11.h>

#include "../error_translation.hpp"
#include "bindings.hpp"

namespace py = pybind11;

PYBIND11_MODULE(_core, m) {
  m.doc() = "shrewd's C++ core: packed codes, exact Hamming search, retrieval metrics, class hierarchies";
  shrewd::python::register_error_translation();
  shrewd::python::bind_codes(m);
  shrewd::python::bind_index(m);
  shrewd::python::bind_hierarchy(m);  // before evaluate, which takes its classes
  shrewd::python::bind_evaluate(m);
}
