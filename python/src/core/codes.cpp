// shrewd.pack / shrewd.unpack: one element per bit <-> numpy packbits, the layout of every code.
#include <string>

#include <fmt/format.h>

#include "arrays.hpp"
#include "bindings.hpp"
#include "shrewd/codes/code_npy.hpp"

namespace shrewd::python {

namespace {

py::array_t<std::uint8_t> pack(const py::object& object) {
  const py::array bits = as_array(object, "bits");
  const DType dtype = array_dtype(bits, "bits");
  const CodeMatrix codes =
      codes_from_npy(npy_from_array(bits, "bits"), dtype == DType::UInt8 ? CodeLayout::Unpacked : CodeLayout::Detect);
  return move_to_numpy(codes.packed_bytes(), {py::ssize_t(codes.size()), py::ssize_t(codes.bytes_per_code())});
}

template <class T>
py::array_t<T> unpack_as(CodeSpan codes, T zero, T one) {
  py::array_t<T> out({py::ssize_t(codes.count), py::ssize_t(codes.bits)});
  T* values = out.mutable_data();
  for (std::size_t i = 0; i < codes.count; ++i)
    for (std::size_t j = 0; j < codes.bits; ++j) *values++ = codes.bit(i, j) ? one : zero;
  return out;
}

py::array unpack(const py::object& codes, const std::string& dtype) {
  const CodesArgument argument(codes, "codes");
  const CodeSpan span = argument.span();
  if (dtype == "bool") return unpack_as<bool>(span, false, true);
  if (dtype == "uint8") return unpack_as<std::uint8_t>(span, 0, 1);
  if (dtype == "int8") return unpack_as<std::int8_t>(span, -1, 1);
  if (dtype == "float32") return unpack_as<float>(span, -1.0f, 1.0f);
  throw py::value_error(
      fmt::format("dtype: '{}' is not one of bool (0/1), uint8 (0/1), int8 (-1/+1), float32 (-1/+1)", dtype));
}

}  // namespace

void bind_codes(py::module_& m) {
  m.def("pack", &pack, py::arg("bits"),
        "Codes with one element per bit, [N, K] of bool, uint8 0/1, int8 -1/+1 or float32 (bit = value >= 0), "
        "as numpy packbits uint8 [N, K/8]; K a multiple of 8 from 8 to 1024.");
  m.def("unpack", &unpack, py::arg("codes"), py::arg("dtype") = "bool",
        "Packbits codes uint8 [N, K/8] as one element per bit, [N, K]: dtype bool or uint8 (0/1), int8 or "
        "float32 (-1/+1).");
}

}  // namespace shrewd::python
