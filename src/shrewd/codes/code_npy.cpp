#include "shrewd/codes/code_npy.hpp"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>

#include "shrewd/common/error.hpp"

namespace shrewd {

namespace {

// One element per bit: `is_set(value)` decides the bit, `is_valid(value)` rejects bad elements.
template <class T, class IsSet, class IsValid>
CodeMatrix codes_from_elements(const NpyArray& array, IsSet is_set, IsValid is_valid, const char* expected) {
  const std::size_t bits = array.columns();
  check_code_bits(bits, array.source);
  CodeMatrix codes(bits, array.rows());
  auto values = array.values<T>();
  for (std::size_t i = 0; i < array.rows(); ++i)
    for (std::size_t j = 0; j < bits; ++j) {
      const T value = values[i * bits + j];
      if (!is_valid(value))
        fail(array.source, fmt::format("row {}, column {}: expected {}", i, j, expected));
      codes.set_bit(i, j, is_set(value));
    }
  return codes;
}

}  // namespace

CodeMatrix codes_from_npy(const NpyArray& array, CodeLayout layout) {
  if (array.shape.size() != 2)
    fail(array.source, "codes must be a 2-D array [N, K/8] (packbits) or [N, K]; found shape " + array.shape_text());
  if (layout == CodeLayout::Packed && array.dtype != DType::UInt8)
    fail(array.source, "packbits codes are uint8 [N, K/8], found dtype " + dtype_name(array.dtype));
  switch (array.dtype) {
    case DType::UInt8: {
      if (layout == CodeLayout::Detect && array.rows() > 0) {
        const std::size_t columns = array.columns();
        const bool width_is_k = columns % 8 == 0 && columns >= 8 && columns <= 1024;
        const auto values = array.values<std::uint8_t>();
        if (width_is_k && std::all_of(values.begin(), values.end(), [](std::uint8_t v) { return v <= 1; }))
          fail(array.source, fmt::format("ambiguous uint8 {} codes: every value is 0 or 1, so they may be {}-bit codes "
                                         "with one element per bit or {}-bit numpy packbits codes; give --unpacked "
                                         "for one element per bit, or --packed if they really are packbits",
                                         array.shape_text(), columns, columns * 8));
      }
      if (layout == CodeLayout::Unpacked)
        return codes_from_elements<std::uint8_t>(
            array, [](auto v) { return v == 1; }, [](auto v) { return v <= 1; }, "0 or 1");
      const std::size_t bits = array.columns() * 8;
      check_code_bits(bits, array.source);
      CodeMatrix codes(bits);
      codes.reserve(array.rows());
      const auto* bytes = reinterpret_cast<const std::uint8_t*>(array.bytes.data());
      for (std::size_t i = 0; i < array.rows(); ++i) codes.append_bytes(bytes + i * array.columns());
      return codes;
    }
    case DType::Bool:
      return codes_from_elements<std::uint8_t>(
          NpyArray{array.source, DType::UInt8, array.shape, array.bytes}, [](auto v) { return v != 0; },
          [](auto v) { return v <= 1; }, "a bool (0 or 1)");
    case DType::Int8:
      return codes_from_elements<std::int8_t>(
          array, [](auto v) { return v > 0; }, [](auto v) { return v == 1 || v == -1; }, "-1 or +1");
    case DType::Float32:
      return codes_from_elements<float>(
          array, [](auto v) { return v >= 0; }, [](auto v) { return !std::isnan(v); }, "a number (found NaN)");
    default:
      fail(array.source, fmt::format("codes cannot have dtype {} (accepted: uint8 packbits [N, K/8], bool [N, K], "
                                     "int8 +-1 [N, K], float32 [N, K])", dtype_name(array.dtype)));
  }
}

CodeMatrix read_codes_npy(const std::filesystem::path& path, CodeLayout layout) {
  return codes_from_npy(read_npy(path), layout);
}

void write_codes_npy(const std::filesystem::path& path, const CodeMatrix& codes) {
  const auto bytes = codes.packed_bytes();
  write_npy(path, DType::UInt8, {codes.size(), codes.bytes_per_code()}, bytes.data());
}

}  // namespace shrewd
