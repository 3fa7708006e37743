#include "shrewd/common/npy.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <numeric>

#include "shrewd/common/error.hpp"
#include "support/error_of.hpp"
#include "support/temp_dir.hpp"

namespace shrewd {
namespace {

using testing::TempDir;

TEST(Npy, RoundTripsEveryDtype) {
  TempDir dir;
  std::vector<float> floats = {1.5f, -2.f, 0.f, 3.25f, 7.f, 8.f};
  write_npy<float>(dir / "f.npy", floats, {2, 3});
  NpyArray array = read_npy(dir / "f.npy");
  EXPECT_EQ(array.dtype, DType::Float32);
  EXPECT_EQ(array.shape, (std::vector<std::size_t>{2, 3}));
  auto values = array.values<float>();
  EXPECT_EQ(std::vector<float>(values.begin(), values.end()), floats);

  std::vector<std::int64_t> ints = {-1, 5, 1LL << 40};
  write_npy<std::int64_t>(dir / "i.npy", ints, {3});
  EXPECT_EQ(read_npy_labels(dir / "i.npy"), ints);
}

TEST(Npy, HeaderIsPaddedTo64BytesLikeNumpy) {
  TempDir dir;
  std::vector<std::uint8_t> bytes(4, 7);
  write_npy<std::uint8_t>(dir / "u.npy", bytes, {2, 2});
  EXPECT_EQ((testing::read_bytes(dir / "u.npy").size() - 4) % 64, 0u);
}

TEST(Npy, ReadsFileWrittenByNumpy) {
  // np.save of np.array([[1, 2], [3, 4]], dtype=np.int32), byte for byte.
  std::string header = "{'descr': '<i4', 'fortran_order': False, 'shape': (2, 2), }";
  header.append((64 - (10 + header.size() + 1) % 64) % 64, ' ');
  header += '\n';
  std::string file = std::string("\x93NUMPY\x01\x00", 8) + char(header.size()) + '\0' + header;
  for (int v : {1, 2, 3, 4}) file += std::string(reinterpret_cast<const char*>(&v), 4);
  TempDir dir;
  testing::write_bytes(dir / "np.npy", file);
  auto array = read_npy(dir / "np.npy");
  auto values = array.values<std::int32_t>();
  EXPECT_EQ(std::vector<int>(values.begin(), values.end()), (std::vector<int>{1, 2, 3, 4}));
}

void expect_error_mentions(const std::filesystem::path& path, const std::string& fragment) {
  try {
    read_npy(path);
    FAIL() << "no error for " << path;
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find(path.string()), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find(fragment), std::string::npos) << e.what();
  }
}

TEST(Npy, RejectsBrokenFilesNamingFileAndProblem) {
  TempDir dir;
  std::vector<float> floats(6, 1.f);
  write_npy<float>(dir / "good.npy", floats, {2, 3});
  const std::string good = testing::read_bytes(dir / "good.npy");

  testing::write_bytes(dir / "truncated.npy", good.substr(0, good.size() - 3));
  expect_error_mentions(dir / "truncated.npy", "truncated");

  testing::write_bytes(dir / "magic.npy", "PK\x03\x04 this is a zip");
  expect_error_mentions(dir / "magic.npy", "magic");

  std::string fortran = good;
  fortran.replace(fortran.find("False"), 5, "True ");
  testing::write_bytes(dir / "fortran.npy", fortran);
  expect_error_mentions(dir / "fortran.npy", "Fortran");

  std::string big_endian = good;
  big_endian.replace(big_endian.find("<f4"), 3, ">f4");
  testing::write_bytes(dir / "big.npy", big_endian);
  expect_error_mentions(dir / "big.npy", "big-endian");

  std::string complex = good;
  complex.replace(complex.find("<f4"), 3, "<c8");
  testing::write_bytes(dir / "complex.npy", complex);
  expect_error_mentions(dir / "complex.npy", "unsupported dtype");

  expect_error_mentions(dir / "missing.npy", "cannot open");
}

// A version-1 .npy file with this header text (padded like numpy) followed by `data`.
std::string npy_with_header(std::string header, const std::string& data) {
  header.append((64 - (10 + header.size() + 1) % 64) % 64, ' ');
  header += '\n';
  return std::string("\x93NUMPY\x01\x00", 8) + char(header.size() & 0xff) + char(header.size() >> 8) + header + data;
}

std::string error_reading(const std::filesystem::path& path) {
  return testing::error_of([&] { read_npy(path); });
}

TEST(Npy, DeclaredShapeIsCheckedAgainstTheFileSizeBeforeAllocating) {
  TempDir dir;
  // 3.2 GB declared in a file of a few hundred bytes: an error, not an allocation.
  testing::write_bytes(dir / "huge.npy",
                       npy_with_header("{'descr': '<f4', 'fortran_order': False, 'shape': (100000000, 8), }",
                                       std::string(864, '\0')));
  std::string message = error_reading(dir / "huge.npy");
  EXPECT_NE(message.find((dir / "huge.npy").string()), std::string::npos) << message;
  EXPECT_NE(message.find("3200000000 bytes"), std::string::npos) << message;
  EXPECT_NE(message.find("864"), std::string::npos) << message;

  // 32 TiB: would be std::bad_alloc.
  testing::write_bytes(dir / "tera.npy",
                       npy_with_header("{'descr': '|u1', 'fortran_order': False, 'shape': (35184372088832,), }", ""));
  EXPECT_NE(error_reading(dir / "tera.npy").find("tera.npy"), std::string::npos);

  // The element count wraps to 0 in 64 bits: must not read as an empty array.
  testing::write_bytes(
      dir / "wrap.npy",
      npy_with_header("{'descr': '|u1', 'fortran_order': False, 'shape': (4294967296, 4294967296), }", ""));
  message = error_reading(dir / "wrap.npy");
  EXPECT_NE(message.find("wrap.npy"), std::string::npos) << message;
  EXPECT_NE(message.find("too large"), std::string::npos) << message;
  testing::write_bytes(
      dir / "wrap8.npy",
      npy_with_header("{'descr': '<f8', 'fortran_order': False, 'shape': (2305843009213693952,), }", ""));
  EXPECT_NE(error_reading(dir / "wrap8.npy").find("too large"), std::string::npos);

  // Bytes left over after the declared data mean the shape is wrong.
  testing::write_bytes(dir / "extra.npy",
                       npy_with_header("{'descr': '|u1', 'fortran_order': False, 'shape': (2, 2), }", "12345678"));
  message = error_reading(dir / "extra.npy");
  EXPECT_NE(message.find("extra.npy"), std::string::npos) << message;
  EXPECT_NE(message.find("4 bytes"), std::string::npos) << message;
}

TEST(Npy, RejectsNegativeAndMalformedDimensions) {
  TempDir dir;
  const std::string data(40, '\1');
  for (std::string shape : {"(-5, 8)", "(5, -8)", "(5.0, 8)", "(5 8)", "(5,, 8)", "(0x5, 8)", "(5, 8", "[5, 8]", "5",
                            "(99999999999999999999999, 8)", "(, 8)", "(5LL, 8)"}) {
    testing::write_bytes(dir / "shape.npy",
                         npy_with_header("{'descr': '|u1', 'fortran_order': False, 'shape': " + shape + ", }", data));
    std::string message = error_reading(dir / "shape.npy");
    EXPECT_NE(message.find("shape.npy"), std::string::npos) << shape << ": " << message;
    EXPECT_NE(message.find("shape"), std::string::npos) << shape << ": " << message;
  }
  // What numpy writes for scalars, 1-D and empty arrays still reads.
  for (const auto& [shape, dims] : std::vector<std::pair<std::string, std::vector<std::size_t>>>{
           {"()", {}},
           {"(40,)", {40}},
           {"(5, 8)", {5, 8}},
           {"(5,8)", {5, 8}},
           {"(5L, 8L)", {5, 8}},
           {"(0, 8)", {0, 8}},
           {"(2, 4, 5)", {2, 4, 5}}}) {
    const std::size_t count = std::accumulate(dims.begin(), dims.end(), std::size_t{1}, std::multiplies<>());
    testing::write_bytes(dir / "ok.npy",
                         npy_with_header("{'descr': '|u1', 'fortran_order': False, 'shape': " + shape + ", }",
                                         data.substr(0, count)));
    EXPECT_EQ(read_npy(dir / "ok.npy").shape, dims) << shape;
  }
}

TEST(Npy, HeaderMustBeADictWithEachKeyOnce) {
  TempDir dir;
  const std::string data(40, '\1');
  for (std::string header : {
           "{'descr': '|u1', 'fortran_order': False, 'shape': (5, 8), 'shape': (40,), }",
           "{'descr': '|u1', 'descr': '<f4', 'fortran_order': False, 'shape': (10,), }",
           "{'descr': '|u1', 'fortran_order': False, 'fortran_order': True, 'shape': (5, 8), }",
           "'descr': '|u1', 'fortran_order': False, 'shape': (5, 8)",
           "['descr', '|u1', 'fortran_order', False, 'shape', (5, 8)]",
           "{'descr': '|u1', 'fortran_order': False, 'shape': (5, 8), } trailing",
           "{'descr': '|u1', 'fortran_order': False, 'shape': (5, 8), 'extra': 1, }",
           "{'descr': '|u1', 'fortran_order': False, }",
           "{'descr': '|u1', 'fortran_order': False, 'shape': (5, 8) 'x': 1}",
           "{'descr': '|u1', 'fortran_order': 0, 'shape': (5, 8), }",
           "{'descr': '|u1' 'fortran_order': False, 'shape': (5, 8), }",
           "{'descr': '|u1', 'fortran_order': False, 'shape': (5, 8), 'x_shape': (40,), 'shape': (40,)}",
       }) {
    testing::write_bytes(dir / "header.npy", npy_with_header(header, data));
    std::string message = error_reading(dir / "header.npy");
    EXPECT_NE(message.find("header.npy"), std::string::npos) << header << ": " << message;
    EXPECT_NE(message.find("header"), std::string::npos) << header << ": " << message;
  }
  // Key order, double quotes and no trailing comma are all valid Python and numpy reads them.
  for (std::string header : {
           "{'shape': (5, 8), 'fortran_order': False, 'descr': '|u1'}",
           "{\"descr\": \"|u1\", \"fortran_order\": False, \"shape\": (5, 8)}",
       }) {
    testing::write_bytes(dir / "header.npy", npy_with_header(header, data));
    EXPECT_EQ(read_npy(dir / "header.npy").shape, (std::vector<std::size_t>{5, 8})) << header;
  }
}

TEST(Npy, MessagesQuoteHeaderBytesSafely) {
  TempDir dir;
  std::string header = "{'descr': '\x01\xff" + std::string(500, 'x') + "', 'fortran_order': False, 'shape': (1,), }";
  testing::write_bytes(dir / "binary.npy", npy_with_header(header, "1"));
  std::string message = error_reading(dir / "binary.npy");
  EXPECT_NE(message.find("binary.npy"), std::string::npos) << message;
  EXPECT_EQ(message.find('\x01'), std::string::npos) << message;
  EXPECT_EQ(message.find('\xff'), std::string::npos) << message;
  EXPECT_LT(message.size(), 300u) << message;
}

TEST(Npy, FloatMatrixReaderRejectsNaN) {
  TempDir dir;
  std::vector<float> floats = {1.f, NAN, 2.f, 3.f};
  write_npy<float>(dir / "nan.npy", floats, {2, 2});
  std::size_t rows = 0, columns = 0;
  EXPECT_THROW(read_npy_matrix_f32(dir / "nan.npy", rows, columns), Error);
}

TEST(Npy, LabelsMustBeOneDimensionalIntegers) {
  TempDir dir;
  std::vector<float> floats = {1.f, 2.f};
  write_npy<float>(dir / "f.npy", floats, {2});
  EXPECT_THROW(read_npy_labels(dir / "f.npy"), Error);
  std::vector<std::int32_t> ints = {1, 2};
  write_npy<std::int32_t>(dir / "m.npy", ints, {1, 2});
  EXPECT_THROW(read_npy_labels(dir / "m.npy"), Error);
}

}  // namespace
}  // namespace shrewd
