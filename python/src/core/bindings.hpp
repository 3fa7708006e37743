#pragma once

#include <pybind11/pybind11.h>

// One function per part of shrewd._core, each in its own file.
namespace shrewd::python {

void bind_codes(pybind11::module_& m);
void bind_index(pybind11::module_& m);
void bind_evaluate(pybind11::module_& m);
void bind_hierarchy(pybind11::module_& m);

}  // namespace shrewd::python
