#include "arrays.hpp"

#include <cstring>
#include <utility>

#include <fmt/format.h>

#include "shrewd/common/error.hpp"
#include "shrewd/codes/code_npy.hpp"
#include "shrewd/index/ids_npy.hpp"

namespace shrewd::python {

namespace {

template <class T>
bool has_dtype(const py::array& array) {
  return array.dtype().equal(py::dtype::of<T>());
}

}  // namespace

py::array as_array(py::handle object, const std::string& name) {
  if (py::isinstance<py::array>(object)) return py::reinterpret_borrow<py::array>(object);
  py::array array = py::array::ensure(object);
  if (!array)
    throw py::type_error(fmt::format("{}: expected a numpy array, found {}", name,
                                     py::str(py::type::of(object)).cast<std::string>()));
  return array;
}

DType array_dtype(const py::array& array, const std::string& name) {
  if (has_dtype<bool>(array)) return DType::Bool;
  if (has_dtype<std::uint8_t>(array)) return DType::UInt8;
  if (has_dtype<std::int8_t>(array)) return DType::Int8;
  if (has_dtype<std::int32_t>(array)) return DType::Int32;
  if (has_dtype<std::int64_t>(array)) return DType::Int64;
  if (has_dtype<std::uint64_t>(array)) return DType::UInt64;
  if (has_dtype<float>(array)) return DType::Float32;
  if (has_dtype<double>(array)) return DType::Float64;
  throw py::type_error(fmt::format(
      "{}: unsupported dtype {} (shrewd reads bool, uint8, int8, int32, int64, uint64, float32 and float64 in "
      "native byte order)",
      name, py::str(array.dtype()).cast<std::string>()));
}

void require_c_contiguous(const py::array& array, const std::string& name) {
  if (!(array.flags() & py::array::c_style))
    throw py::value_error(fmt::format(
        "{}: the array is not C-contiguous (a strided slice or a transpose); pass numpy.ascontiguousarray({})", name,
        name));
}

NpyArray npy_from_array(py::handle object, const std::string& name) {
  const py::array array = as_array(object, name);
  NpyArray npy;
  npy.source = name;
  npy.dtype = array_dtype(array, name);
  require_c_contiguous(array, name);
  for (py::ssize_t d = 0; d < array.ndim(); ++d) npy.shape.push_back(std::size_t(array.shape(d)));
  npy.bytes.resize(std::size_t(array.nbytes()));
  if (!npy.bytes.empty()) std::memcpy(npy.bytes.data(), array.data(), npy.bytes.size());
  return npy;
}

CodesArgument::CodesArgument(py::handle object, const std::string& name) : name_(name) {
  const py::array array = as_array(object, name);
  const DType dtype = array_dtype(array, name);
  require_c_contiguous(array, name);
  if (dtype == DType::UInt8 && array.ndim() == 2) {
    const std::size_t rows = std::size_t(array.shape(0)), bytes = std::size_t(array.shape(1));
    const std::size_t bits = bytes * 8;
    check_code_bits(bits, name);
    const auto* data = static_cast<const std::uint8_t*>(array.data());
    const bool aligned = reinterpret_cast<std::uintptr_t>(data) % alignof(std::uint64_t) == 0;
    if (bits % 64 == 0 && aligned) {
      // packbits rows of whole words are the code layout itself: searched in place
      keep_ = array;
      borrowed_ = true;
      span_ = {reinterpret_cast<const std::uint64_t*>(data), rows, bits};
      return;
    }
    owned_ = CodeMatrix(bits);
    owned_.reserve(rows);
    for (std::size_t i = 0; i < rows; ++i) owned_.append_bytes(data + i * bytes);
  } else {
    // uint8 is always packbits here: one element per bit is given as bool (the command line's
    // --packed); everything else is read exactly as from a .npy file
    owned_ = codes_from_npy(npy_from_array(array, name),
                            dtype == DType::UInt8 ? CodeLayout::Packed : CodeLayout::Detect);
  }
  span_ = owned_.span();
}

void CodesArgument::require_bits(std::size_t bits, const std::string& holder) const {
  if (span_.bits != bits)
    fail(name_, fmt::format("{} have {} bits but {} {}-bit codes", name_, span_.bits, holder, bits));
}

std::vector<std::uint64_t> ids_argument(py::handle object, const std::string& name) {
  return ids_from_npy(npy_from_array(object, name));
}

}  // namespace shrewd::python
