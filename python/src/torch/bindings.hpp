#pragma once

#include <pybind11/pybind11.h>

// One function per part of shrewd._torch, each in its own file.
namespace shrewd::python {

void bind_losses(pybind11::module_& m);

}  // namespace shrewd::python
