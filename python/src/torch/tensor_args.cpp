#include "tensor_args.hpp"

#include <string>

#include <fmt/format.h>

#include "shrewd/codes/code_matrix.hpp"
#include "shrewd/common/error.hpp"

namespace shrewd::python {
namespace {

std::string type_name(py::handle object) { return py::str(py::type::handle_of(object).attr("__name__")); }

std::string dtype_name(const at::Tensor& tensor) { return py::str(py::cast(tensor).attr("dtype")); }

std::string shape_text(const at::Tensor& tensor) {
  std::string text = "[";
  for (std::int64_t d = 0; d < tensor.dim(); ++d) text += (d ? ", " : "") + std::to_string(tensor.size(d));
  return text + "]";
}

bool is_float(const at::Tensor& tensor) {
  return tensor.scalar_type() == at::kFloat || tensor.scalar_type() == at::kDouble;
}

}  // namespace

at::Tensor tensor_argument(py::handle object, const char* name) {
  if (!THPVariable_Check(object.ptr()))
    throw py::type_error(fmt::format("{}: expected a torch.Tensor, got {}", name, type_name(object)));
  return THPVariable_Unpack(object.ptr());
}

at::Tensor optional_tensor_argument(py::handle object, const char* name) {
  return object.is_none() ? at::Tensor() : tensor_argument(object, name);
}

void require_outputs(const at::Tensor& outputs, const char* name) {
  if (!is_float(outputs))
    throw py::type_error(fmt::format("{}: expected a float32 or float64 tensor, got {}", name, dtype_name(outputs)));
  if (outputs.dim() != 2)
    throw py::value_error(fmt::format("{}: expected a tensor [n, K] (n items of K bits), got shape {}", name,
                                      shape_text(outputs)));
  if (outputs.size(0) < 2)
    throw py::value_error(fmt::format("{}: a batch needs at least 2 items (the losses compare pairs), got {}", name,
                                      outputs.size(0)));
  check_code_bits(static_cast<std::size_t>(outputs.size(1)), name);
}

at::Tensor labels_argument(const at::Tensor& labels, std::int64_t items, std::int64_t classes,
                           const at::Device& device, const char* name) {
  if (!at::isIntegralType(labels.scalar_type(), /*includeBool=*/false))
    throw py::type_error(fmt::format("{}: expected an integer tensor of class indices, got {}", name, dtype_name(labels)));
  if (labels.dim() != 1 || labels.size(0) != items)
    throw py::value_error(fmt::format("{}: expected a tensor [{}] (one label per item), got shape {}", name, items,
                                      shape_text(labels)));
  auto result = labels.to(device, at::kLong);
  // Checked on the host: an index out of range on a CUDA device is an assert that kills the process.
  const auto low = result.min().item<std::int64_t>(), high = result.max().item<std::int64_t>();
  if (low < 0) throw py::value_error(fmt::format("{}: labels must be >= 0, got {}", name, low));
  if (classes > 0 && high >= classes)
    throw py::value_error(fmt::format("{}: label {} is not below the number of classes, {}", name, high, classes));
  return result;
}

at::Tensor matrix_argument(const at::Tensor& matrix, std::int64_t rows, std::int64_t columns,
                           const at::Device& device, const char* name) {
  if (!at::isFloatingType(matrix.scalar_type()))
    throw py::type_error(fmt::format("{}: expected a floating-point tensor, got {}", name, dtype_name(matrix)));
  const auto fits = [&](std::int64_t d, std::int64_t size) { return size > 0 ? matrix.size(d) == size : matrix.size(d) >= 1; };
  const auto size_text = [](std::int64_t size, const char* any) { return size > 0 ? std::to_string(size) : any; };
  if (matrix.dim() != 2 || !fits(0, rows) || !fits(1, columns))
    throw py::value_error(fmt::format("{}: expected a tensor [{}, {}], got shape {}", name, size_text(rows, "n"),
                                      size_text(columns, "C"), shape_text(matrix)));
  return matrix.to(device);
}

}  // namespace shrewd::python
