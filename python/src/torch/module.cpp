// shrewd._torch: the training losses of shrewd_train for PyTorch (docs/python.md, "Losses in
// PyTorch"). Tensors cross as torch.Tensor with their autograd graph: the losses are the
// trainer's own LibTorch functions, so backward() in Python runs through them.

#include <pybind11/pybind11.h>
#include <torch/extension.h>

#include "../error_translation.hpp"
#include "bindings.hpp"

namespace py = pybind11;

PYBIND11_MODULE(_torch, m) {
  m.doc() = "shrewd's training losses (LibTorch) on torch.Tensor, with autograd";
  shrewd::python::register_error_translation();
  shrewd::python::bind_losses(m);
}
