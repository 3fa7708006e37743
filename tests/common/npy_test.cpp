#include "shrewd/common/npy.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "shrewd/common/error.hpp"
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
