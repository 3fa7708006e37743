#include "shrewd/common/npy.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <fmt/format.h>
#include <fstream>
#include <numeric>
#include <string_view>
#include <system_error>
#include <type_traits>

#include "shrewd/common/atomic_file.hpp"
#include "shrewd/common/error.hpp"
#include "shrewd/common/printable.hpp"

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
    fail(where, fmt::format("big-endian dtype {} is not supported; save with arr.astype(arr.dtype.newbyteorder('<'))",
                            printable(descr)));
  for (const auto& entry : kDTypes)
    if (descr == entry.descr) return entry.dtype;
  fail(where, fmt::format("unsupported dtype {} (supported: bool, uint8, int8, int32, int64, uint64, float32, float64)",
                          printable(descr)));
}

// The header of a .npy file is the repr() of a Python dict with exactly the keys 'descr' (a
// string), 'fortran_order' (True or False) and 'shape' (a tuple of non-negative integers). This
// parses that literal strictly: anything else, a key twice or a missing key is an error.
struct Header {
  std::string descr;
  bool fortran_order = false;
  std::vector<std::size_t> shape;
};

class HeaderParser {
 public:
  HeaderParser(const std::string& where, std::string_view text) : where_(where), text_(text) {}

  Header parse() {
    Header header;
    bool seen_descr = false, seen_order = false, seen_shape = false;
    skip_space();
    expect('{', "the header is not a dict");
    for (;;) {
      skip_space();
      if (peek() == '}') break;
      const std::string key = string_literal("a quoted key");
      skip_space();
      expect(':', fmt::format("':' after the key '{}'", key));
      skip_space();
      auto once = [&](bool& seen) {
        if (seen) bad(fmt::format("the key '{}' appears twice", key));
        seen = true;
      };
      if (key == "descr") {
        once(seen_descr);
        header.descr = string_literal("a quoted dtype for 'descr'");
      } else if (key == "fortran_order") {
        once(seen_order);
        header.fortran_order = boolean();
      } else if (key == "shape") {
        once(seen_shape);
        header.shape = shape();
      } else {
        bad(fmt::format("unexpected key {} (a .npy header has 'descr', 'fortran_order' and 'shape')", printable(key)));
      }
      skip_space();
      if (peek() == ',') {
        ++pos_;
        continue;
      }
      if (peek() != '}') bad(fmt::format("expected ',' or '}}' after the value of '{}'", key));
    }
    ++pos_;  // '}'
    skip_space();
    if (pos_ != text_.size()) bad("unexpected text after the dict");
    if (!seen_descr) bad("no 'descr' key");
    if (!seen_order) bad("no 'fortran_order' key");
    if (!seen_shape) bad("no 'shape' key");
    return header;
  }

 private:
  [[noreturn]] void bad(const std::string& problem, bool show_header = true) const {
    fail(where_, fmt::format("malformed .npy header: {}{}",
                             problem, show_header ? " in " + printable(text_, 100) : ""));
  }
  char peek() const { return pos_ < text_.size() ? text_[pos_] : '\0'; }
  void skip_space() {
    while (pos_ < text_.size() && std::string_view(" \n\t\r").find(text_[pos_]) != std::string_view::npos) ++pos_;
  }
  void expect(char c, const std::string& what) {
    if (peek() != c) bad(c == '{' ? what : "expected " + what);
    ++pos_;
  }
  std::string string_literal(const std::string& what) {
    const char quote = peek();
    if (quote != '\'' && quote != '"') bad("expected " + what);
    const std::size_t close = text_.find(quote, pos_ + 1);
    if (close == std::string_view::npos) bad("unterminated string");
    std::string value(text_.substr(pos_ + 1, close - pos_ - 1));
    for (char c : value)
      if (c == '\\' || static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) >= 0x7f)
        bad("unsupported character in the string " + printable(value), false);
    pos_ = close + 1;
    return value;
  }
  bool boolean() {
    if (text_.substr(pos_, 4) == "True") {
      pos_ += 4;
      return true;
    }
    if (text_.substr(pos_, 5) == "False") {
      pos_ += 5;
      return false;
    }
    bad("'fortran_order' must be True or False");
  }
  std::vector<std::size_t> shape() {
    const std::string must = "'shape' must be a tuple of non-negative integers such as (3, 8)";
    if (peek() != '(') bad(must);
    ++pos_;
    std::vector<std::size_t> dims;
    for (;;) {
      skip_space();
      if (peek() == ')') break;
      if (peek() < '0' || peek() > '9') bad(must);
      std::size_t value = 0;
      while (peek() >= '0' && peek() <= '9') {
        if (__builtin_mul_overflow(value, std::size_t{10}, &value) ||
            __builtin_add_overflow(value, std::size_t(peek() - '0'), &value))
          bad("a 'shape' dimension is too large");
        ++pos_;
      }
      if (peek() == 'L') ++pos_;  // Python 2's numpy wrote long integers as 3L
      dims.push_back(value);
      skip_space();
      if (peek() == ',') {
        ++pos_;
        continue;
      }
      if (peek() != ')') bad(must);
    }
    ++pos_;  // ')'
    if (dims.size() > 32) bad("'shape' has more than 32 dimensions");
    return dims;
  }

  const std::string& where_;
  std::string_view text_;
  std::size_t pos_ = 0;
};

// A shape as a Python tuple: "(3, 8)", "(5,)".
std::string shape_tuple(const std::vector<std::size_t>& shape) {
  return fmt::format("({}{})", fmt::join(shape, ", "), shape.size() == 1 ? "," : "");
}

}  // namespace

std::string dtype_name(DType dtype) { return info(dtype).name; }
std::size_t dtype_size(DType dtype) { return info(dtype).size; }

std::size_t NpyArray::size() const {
  return std::accumulate(shape.begin(), shape.end(), std::size_t{1}, std::multiplies<>());
}

std::string NpyArray::shape_text() const { return shape_tuple(shape); }

void NpyArray::require_rank(std::size_t rank) const {
  if (shape.size() != rank)
    fail(source, fmt::format("expected a {}-D array, found shape {}", rank, shape_text()));
}

void NpyArray::require_dtype(DType expected) const {
  if (dtype != expected)
    fail(source, fmt::format("expected dtype {}, found {}", dtype_name(expected), dtype_name(dtype)));
}

NpyArray read_npy(const std::filesystem::path& path) {
  const std::string where = path.string();
  std::ifstream in(path, std::ios::binary);
  if (!in) fail(where, "cannot open file");

  char preamble[kMagicSize + 2];
  if (!in.read(preamble, sizeof preamble) || std::memcmp(preamble, kMagic, kMagicSize) != 0)
    fail(where, "not a .npy file (bad magic number)");
  const int major = static_cast<unsigned char>(preamble[6]);
  if (major < 1 || major > 3) fail(where, fmt::format("unsupported .npy format version {}", major));

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
  const Header parsed = HeaderParser(where, header).parse();
  array.dtype = parse_descr(where, parsed.descr);
  if (parsed.fortran_order)
    fail(where, "Fortran-order arrays are not supported; save np.ascontiguousarray(arr) instead");
  array.shape = parsed.shape;

  // The size the shape declares, overflow-checked, against what the file really holds; nothing
  // is allocated before the two agree.
  std::size_t expected = dtype_size(array.dtype);
  for (std::size_t dim : array.shape)
    if (__builtin_mul_overflow(expected, dim, &expected))
      fail(where, fmt::format("shape {} of {} is too large", array.shape_text(), dtype_name(array.dtype)));
  const std::string needs =
      fmt::format("shape {} of {} needs {} bytes", array.shape_text(), dtype_name(array.dtype), expected);
  const std::streamoff data_start = in.tellg();
  std::error_code size_error;
  const bool regular = std::filesystem::is_regular_file(path, size_error);
  const std::uintmax_t file_size = regular ? std::filesystem::file_size(path, size_error) : 0;
  if (regular && !size_error && data_start >= 0) {
    const std::uintmax_t available = file_size - std::min<std::uintmax_t>(file_size, std::uintmax_t(data_start));
    if (available < expected)
      fail(where, fmt::format("truncated data: {}, file has {}", needs, available));
    if (available > expected)
      fail(where, fmt::format("{} but the file has {} bytes of data (the shape does not match the data)", needs,
                              available));
    array.bytes.resize(expected);
    in.read(reinterpret_cast<char*>(array.bytes.data()), static_cast<std::streamsize>(expected));
    if (static_cast<std::size_t>(in.gcount()) != expected)
      fail(where, fmt::format("truncated data: {}, could read {}", needs, in.gcount()));
    return array;
  }
  // A pipe or another stream of unknown size: read in bounded chunks, so memory follows the data
  // that really arrives.
  constexpr std::size_t kChunk = std::size_t{1} << 24;
  std::size_t have = 0;
  while (have < expected) {
    const std::size_t step = std::min(kChunk, expected - have);
    array.bytes.resize(have + step);
    in.read(reinterpret_cast<char*>(array.bytes.data() + have), static_cast<std::streamsize>(step));
    have += static_cast<std::size_t>(in.gcount());
    if (static_cast<std::size_t>(in.gcount()) != step)
      fail(where, fmt::format("truncated data: {}, file has {}", needs, have));
  }
  if (in.peek() != std::char_traits<char>::eof())
    fail(where, needs + " but the file has more data (the shape does not match the data)");
  return array;
}

void write_npy(const std::filesystem::path& path, DType dtype, const std::vector<std::size_t>& shape,
               const void* data) {
  std::string header =
      fmt::format("{{'descr': '{}', 'fortran_order': False, 'shape': {}, }}", info(dtype).descr, shape_tuple(shape));
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
  return npy_matrix_f32(read_npy(path), rows, columns);
}

std::vector<float> npy_matrix_f32(const NpyArray& array, std::size_t& rows, std::size_t& columns) {
  array.require_rank(2);
  auto values = array.values<float>();
  for (std::size_t i = 0; i < values.size(); ++i)
    if (!std::isfinite(values[i]))
      fail(array.source, fmt::format("non-finite value (NaN or inf) at row {}, column {}", i / array.columns(),
                                     i % array.columns()));
  rows = array.rows();
  columns = array.columns();
  return {values.begin(), values.end()};
}

std::vector<std::int64_t> integers_as_int64(const NpyArray& array) {
  std::vector<std::int64_t> integers(array.size());
  auto convert = [&](auto typed) {
    for (std::size_t i = 0; i < integers.size(); ++i) {
      if constexpr (std::is_same_v<typename decltype(typed)::value_type, std::uint64_t>)
        if (typed[i] > std::uint64_t(INT64_MAX)) fail(array.source, fmt::format("value out of range at item {}", i));
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
