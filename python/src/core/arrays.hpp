#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#include "shrewd/codes/code_matrix.hpp"
#include "shrewd/common/npy.hpp"

// numpy arrays in and out of the light libraries. `name` is the Python argument: it takes the
// place of the file name in the messages the command line prints (`queries: ...`).
namespace shrewd::python {

namespace py = pybind11;

// The object as a numpy array (numpy.asarray: lists and other array-likes are converted, arrays
// are taken as they are); TypeError naming the argument when numpy cannot make one.
py::array as_array(py::handle object, const std::string& name);

// TypeError unless the array is a C-contiguous array of a dtype shrewd reads from .npy files
// (bool, uint8, int8, int32, int64, uint64, float32, float64, native byte order).
DType array_dtype(const py::array& array, const std::string& name);
// ValueError unless the array is C-contiguous.
void require_c_contiguous(const py::array& array, const std::string& name);

// A copy of the array as the command line would have read it from a .npy file.
NpyArray npy_from_array(py::handle object, const std::string& name);

// Codes given to a function: uint8 [N, K/8] numpy packbits, or one element per bit [N, K] as bool,
// int8 -1/+1 or float32 (bit = value >= 0). Packbits rows of a whole number of 64-bit words in an
// aligned C-contiguous array are searched in place (the array is kept alive); anything else is
// converted into owned codes.
class CodesArgument {
 public:
  CodesArgument(py::handle object, const std::string& name);
  CodesArgument(const CodesArgument&) = delete;
  CodesArgument& operator=(const CodesArgument&) = delete;

  CodeSpan span() const { return span_; }
  bool borrowed() const { return borrowed_; }
  // ValueError naming the argument unless the codes have `bits` bits; `holder` says whose they are
  // ("the index holds").
  void require_bits(std::size_t bits, const std::string& holder) const;

 private:
  std::string name_;
  py::object keep_;
  CodeMatrix owned_{8};
  CodeSpan span_;
  bool borrowed_ = false;
};

// Fresh numpy arrays holding a copy of `values` in `shape`.
template <class T>
py::array_t<T> to_numpy(const std::vector<T>& values, std::vector<py::ssize_t> shape) {
  py::array_t<T> out(shape);
  std::copy(values.begin(), values.end(), out.mutable_data());
  return out;
}

// Moves `values` into a numpy array without copying (the vector is owned by the array).
template <class T>
py::array_t<T> move_to_numpy(std::vector<T>&& values, std::vector<py::ssize_t> shape) {
  auto* owner = new std::vector<T>(std::move(values));
  py::capsule free_owner(owner, [](void* p) { delete static_cast<std::vector<T>*>(p); });
  return py::array_t<T>(shape, owner->data(), free_owner);
}

// Ids given to a function: any integer array [N] (or a list), every id in 0 .. 2^63 - 1.
std::vector<std::uint64_t> ids_argument(py::handle object, const std::string& name);

}  // namespace shrewd::python
