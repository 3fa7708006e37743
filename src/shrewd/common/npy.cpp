#include "shrewd/common/npy.hpp"

#include <cmath>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <numeric>
#include <regex>
#include <type_traits>

#include "shrewd/common/atomic_file.hpp"
#include "shrewd/common/error.hpp"

namespace shrewd {

namespace {

constexpr char kMagic[] = "\x93NUMPY";
constexpr std::size_t kMagicSize = 6;

struct DTypeInfo {
  DType dtype;
  const char* descr;
  const char* name;
  std::size_t size;
};

constexpr DTypeInfo kDTypes[] = {
    {DType::Bool, "|b1", "bool", 1},       {DType::UInt8, "|u1", "uint8", 1},
    {DType::Int8, "|i1", "int8", 1},       {DType::Int32, "<i4", "int32", 4},
    {DType::Int64, "<i8", "int64", 8},     {DType::UInt64, "<u8", "uint64", 8},
    {DType::Float32, "<f4", "float32", 4}, {DType::Float64, "<f8", "float64", 8},
};

const DTypeInfo& info(DType dtype) {
  for (const auto& entry : kDTypes)
    if (entry.dtype == dtype) return entry;
  throw std::logic_error("unknown dtype");
}

DType parse_descr(const std::string& where, std::string descr) {
  // numpy writes one-byte types with '|' but readers see '<' or '=' from some writers too.
  if (descr.size() == 3 && descr[2] == '1') descr[0] = '|';
  if (!descr.empty() && descr[0] == '=') descr[0] = '<';
  if (!descr.empty() && descr[0] == '>')
    fail(where, "big-endian dtype '" + descr + "' is not supported; save with arr.astype(arr.dtype.newbyteorder('<'))");
  for (const auto& entry : kDTypes)
    if (descr == entry.descr) return entry.dtype;
  fail(where, "unsupported dtype '" + descr +
                  "' (supported: bool, uint8, int8, int32, int64, uint64, float32, float64)");
}

std::string header_field(const std::string& where, const std::string& header, const std::string& key,
                         const std::string& value_pattern) {
  std::smatch match;
  std::regex pattern("'" + key + "'\\s*:\\s*(" + value_pattern + ")");
  if (!std::regex_search(header, match, pattern))
    fail(where, "malformed .npy header: no valid '" + key + "' in " + header);
  return match[1];
}

std::vector<std::size_t> parse_shape(const std::string& text) {
  std::vector<std::size_t> shape;
  std::regex number("\\d+");
  for (auto it = std::sregex_iterator(text.begin(), text.end(), number); it != std::sregex_iterator(); ++it)
    shape.push_back(std::stoull(it->str()));
  return shape;
}

}  // namespace

std::string dtype_name(DType dtype) { return info(dtype).name; }
std::size_t dtype_size(DType dtype) { return info(dtype).size; }

std::size_t NpyArray::size() const {
  return std::accumulate(shape.begin(), shape.end(), std::size_t{1}, std::multiplies<>());
}

std::string NpyArray::shape_text() const {
  std::string text = "(";
  for (std::size_t i = 0; i < shape.size(); ++i) text += (i ? ", " : "") + std::to_string(shape[i]);
  return text + (shape.size() == 1 ? ",)" : ")");
}

void NpyArray::require_rank(std::size_t rank) const {
  if (shape.size() != rank)
    fail(source, "expected a " + std::to_string(rank) + "-D array, found shape " + shape_text());
}

void NpyArray::require_dtype(DType expected) const {
  if (dtype != expected)
    fail(source, "expected dtype " + dtype_name(expected) + ", found " + dtype_name(dtype));
}

NpyArray read_npy(const std::filesystem::path& path) {
  const std::string where = path.string();
  std::ifstream in(path, std::ios::binary);
  if (!in) fail(where, "cannot open file");

  char preamble[kMagicSize + 2];
  if (!in.read(preamble, sizeof preamble) || std::memcmp(preamble, kMagic, kMagicSize) != 0)
    fail(where, "not a .npy file (bad magic number)");
  const int major = static_cast<unsigned char>(preamble[6]);
  if (major < 1 || major > 3) fail(where, "unsupported .npy format version " + std::to_string(major));

  std::size_t header_size = 0;
  unsigned char length_bytes[4] = {0, 0, 0, 0};
  const std::size_t length_size = major == 1 ? 2 : 4;
  if (!in.read(reinterpret_cast<char*>(length_bytes), static_cast<std::streamsize>(length_size)))
    fail(where, "truncated .npy header");
  for (std::size_t i = 0; i < length_size; ++i) header_size |= std::size_t{length_bytes[i]} << (8 * i);
  if (header_size > (1u << 20)) fail(where, "implausible .npy header length");
  std::string header(header_size, '\0');
  if (!in.read(header.data(), static_cast<std::streamsize>(header_size))) fail(where, "truncated .npy header");

  NpyArray array;
  array.source = where;
  const std::string descr = header_field(where, header, "descr", "'[^']*'");
  array.dtype = parse_descr(where, descr.substr(1, descr.size() - 2));
  if (header_field(where, header, "fortran_order", "True|False") == "True")
    fail(where, "Fortran-order arrays are not supported; save np.ascontiguousarray(arr) instead");
  array.shape = parse_shape(header_field(where, header, "shape", "\\([^)]*\\)"));

  const std::size_t expected = array.size() * dtype_size(array.dtype);
  array.bytes.resize(expected);
  in.read(reinterpret_cast<char*>(array.bytes.data()), static_cast<std::streamsize>(expected));
  if (static_cast<std::size_t>(in.gcount()) != expected)
    fail(where, "truncated data: shape " + array.shape_text() + " of " + dtype_name(array.dtype) + " needs " +
                    std::to_string(expected) + " bytes, file has " + std::to_string(in.gcount()));
  return array;
}

void write_npy(const std::filesystem::path& path, DType dtype, const std::vector<std::size_t>& shape,
               const void* data) {
  std::string shape_text = "(";
  for (std::size_t i = 0; i < shape.size(); ++i) shape_text += (i ? ", " : "") + std::to_string(shape[i]);
  shape_text += shape.size() == 1 ? ",)" : ")";
  std::string header = std::string("{'descr': '") + info(dtype).descr + "', 'fortran_order': False, 'shape': " +
                       shape_text + ", }";
  // Pad so that the data starts on a 64-byte boundary, as numpy does.
  const std::size_t unpadded = kMagicSize + 2 + 2 + header.size() + 1;
  header.append((64 - unpadded % 64) % 64, ' ');
  header += '\n';

  AtomicFile file(path);
  file.write(kMagic, kMagicSize);
  const unsigned char version[2] = {1, 0};
  file.write(version, 2);
  const unsigned char length[2] = {static_cast<unsigned char>(header.size() & 0xff),
                                   static_cast<unsigned char>(header.size() >> 8)};
  file.write(length, 2);
  file.write(header);
  const std::size_t count =
      std::accumulate(shape.begin(), shape.end(), std::size_t{1}, std::multiplies<>());
  file.write(data, count * dtype_size(dtype));
  file.commit();
}

std::vector<float> read_npy_matrix_f32(const std::filesystem::path& path, std::size_t& rows,
                                       std::size_t& columns) {
  NpyArray array = read_npy(path);
  array.require_rank(2);
  auto values = array.values<float>();
  for (std::size_t i = 0; i < values.size(); ++i)
    if (!std::isfinite(values[i]))
      fail(array.source, "non-finite value (NaN or inf) at row " + std::to_string(i / array.columns()) +
                             ", column " + std::to_string(i % array.columns()));
  rows = array.rows();
  columns = array.columns();
  return {values.begin(), values.end()};
}

std::vector<std::int64_t> integers_as_int64(const NpyArray& array) {
  std::vector<std::int64_t> integers(array.size());
  auto convert = [&](auto typed) {
    for (std::size_t i = 0; i < integers.size(); ++i) {
      if constexpr (std::is_same_v<typename decltype(typed)::value_type, std::uint64_t>)
        if (typed[i] > std::uint64_t(INT64_MAX)) fail(array.source, "value out of range at item " + std::to_string(i));
      integers[i] = static_cast<std::int64_t>(typed[i]);
    }
  };
  switch (array.dtype) {
    case DType::UInt8: convert(array.values<std::uint8_t>()); break;
    case DType::Int8: convert(array.values<std::int8_t>()); break;
    case DType::Int32: convert(array.values<std::int32_t>()); break;
    case DType::Int64: convert(array.values<std::int64_t>()); break;
    case DType::UInt64: convert(array.values<std::uint64_t>()); break;
    default: fail(array.source, "expected integers, found dtype " + dtype_name(array.dtype));
  }
  return integers;
}

std::vector<std::int64_t> read_npy_labels(const std::filesystem::path& path) {
  NpyArray array = read_npy(path);
  array.require_rank(1);
  return integers_as_int64(array);
}

}  // namespace shrewd
