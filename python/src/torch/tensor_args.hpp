#pragma once

#include <cstdint>

#include <pybind11/pybind11.h>
#include <torch/extension.h>

// torch.Tensor arguments of shrewd._torch, checked before any LibTorch op sees them: a wrong type
// or dtype is a TypeError, a wrong shape, bit count or label a ValueError, each naming the argument
// (`z: ...`, `labels: ...`), so that no TORCH_CHECK or device-side assert is ever reached.
namespace shrewd::python {

namespace py = pybind11;

// The tensor passed as `name`; TypeError for anything that is not a torch.Tensor (None included).
at::Tensor tensor_argument(py::handle object, const char* name);
// The same, but None gives an undefined tensor.
at::Tensor optional_tensor_argument(py::handle object, const char* name);

// Network outputs z = tanh(u) or u: float32 or float64 [n, K] with n >= 2 items and K a multiple
// of 8 in 8..1024 (the code lengths shrewd packs and searches).
void require_outputs(const at::Tensor& outputs, const char* name);

// Class labels for the n items of a batch: an integer tensor [n] (any device) with every value in
// 0 .. classes - 1 (classes 0: any value >= 0). Returned as int64 on `device`.
at::Tensor labels_argument(const at::Tensor& labels, std::int64_t items, std::int64_t classes,
                           const at::Device& device, const char* name);

// A floating-point tensor [rows, columns] (rows or columns 0: any number >= 1), on `device`.
at::Tensor matrix_argument(const at::Tensor& matrix, std::int64_t rows, std::int64_t columns,
                           const at::Device& device, const char* name);

}  // namespace shrewd::python
