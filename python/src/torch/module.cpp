// shrewd._torch: the training losses of shrewd_train for PyTorch (docs/python.md, "Losses in
// PyTorch"). Tensors cross as torch.Tensor with their autograd graph: the losses are the
// trainer's own LibTorch functions, so backward() in Python runs through them.
#include <filesystem>

#include <pybind11/pybind11.h>
#include <torch/extension.h>

#include "bindings.hpp"
#include "shrewd/common/error.hpp"

namespace py = pybind11;

PYBIND11_MODULE(_torch, m) {
  m.doc() = "shrewd's training losses (LibTorch) on torch.Tensor, with autograd";
  // As in shrewd._core: a shrewd::Error (a config key out of range) is a ValueError with the
  // command line's message.
  py::register_exception_translator([](std::exception_ptr error) {
    try {
      if (error) std::rethrow_exception(error);
    } catch (const shrewd::Error& e) {
      PyErr_SetString(PyExc_ValueError, e.what());
    } catch (const std::filesystem::filesystem_error& e) {
      PyErr_SetString(PyExc_OSError, e.what());
    }
  });
  shrewd::python::bind_losses(m);
}
