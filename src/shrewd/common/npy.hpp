#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <vector>

namespace shrewd {

// The element types shrewd exchanges through .npy files (little-endian, C order).
enum class DType { Bool, UInt8, Int8, Int32, Int64, UInt64, Float32, Float64 };

std::string dtype_name(DType dtype);  // numpy's name: "uint8", "float32", ...
std::size_t dtype_size(DType dtype);

template <class T> constexpr DType dtype_of();
template <> constexpr DType dtype_of<bool>() { return DType::Bool; }
template <> constexpr DType dtype_of<std::uint8_t>() { return DType::UInt8; }
template <> constexpr DType dtype_of<std::int8_t>() { return DType::Int8; }
template <> constexpr DType dtype_of<std::int32_t>() { return DType::Int32; }
template <> constexpr DType dtype_of<std::int64_t>() { return DType::Int64; }
template <> constexpr DType dtype_of<std::uint64_t>() { return DType::UInt64; }
template <> constexpr DType dtype_of<float>() { return DType::Float32; }
template <> constexpr DType dtype_of<double>() { return DType::Float64; }

// A whole .npy array in memory.
struct NpyArray {
  std::string source;  // the file it came from, for error messages
  DType dtype = DType::UInt8;
  std::vector<std::size_t> shape;
  std::vector<std::byte> bytes;

  std::size_t size() const;  // number of elements
  std::size_t rows() const { return shape.empty() ? 1 : shape[0]; }
  std::size_t columns() const { return shape.size() < 2 ? 1 : shape[1]; }
  std::string shape_text() const;  // "(3, 8)"

  // Fail with a message naming the file unless the array has this rank / dtype.
  void require_rank(std::size_t rank) const;
  void require_dtype(DType expected) const;

  template <class T> std::span<const T> values() const {
    require_dtype(dtype_of<T>());
    return {reinterpret_cast<const T*>(bytes.data()), size()};
  }
};

// Reads a .npy file (format versions 1-3). Rejects big-endian data, Fortran order, unsupported
// dtypes and truncated files with an Error naming the file.
NpyArray read_npy(const std::filesystem::path& path);

// Writes a C-order array atomically.
void write_npy(const std::filesystem::path& path, DType dtype, const std::vector<std::size_t>& shape,
               const void* data);

template <class T>
void write_npy(const std::filesystem::path& path, std::span<const T> values,
               const std::vector<std::size_t>& shape) {
  write_npy(path, dtype_of<T>(), shape, values.data());
}

// Convenience readers for the common cases, with the checks every caller would otherwise repeat.
std::vector<float> read_npy_matrix_f32(const std::filesystem::path& path, std::size_t& rows,
                                       std::size_t& columns);  // float32 [N, D], finite
std::vector<float> npy_matrix_f32(const NpyArray& array, std::size_t& rows,
                                  std::size_t& columns);  // the same for an array in memory
std::vector<std::int64_t> read_npy_labels(const std::filesystem::path& path);  // any integer 1-D
// The elements of an integer array of any dtype as int64 (uint64 values above INT64_MAX rejected).
std::vector<std::int64_t> integers_as_int64(const NpyArray& array);

}  // namespace shrewd
