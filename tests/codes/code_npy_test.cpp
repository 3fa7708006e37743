#include "shrewd/codes/code_npy.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "shrewd/common/error.hpp"
#include "support/temp_dir.hpp"

namespace shrewd {
namespace {

using testing::TempDir;

TEST(CodeNpy, PackbitsRoundTrip) {
  TempDir dir;
  std::vector<std::uint8_t> packed = {0x80, 0x01, 0xff, 0x00, 0x12, 0x34};
  write_npy<std::uint8_t>(dir / "p.npy", packed, {3, 2});
  CodeMatrix codes = read_codes_npy(dir / "p.npy");
  EXPECT_EQ(codes.size(), 3u);
  EXPECT_EQ(codes.bits(), 16u);
  EXPECT_TRUE(codes.bit(0, 0));
  EXPECT_TRUE(codes.bit(0, 15));
  write_codes_npy(dir / "q.npy", codes);
  EXPECT_EQ(testing::read_bytes(dir / "p.npy"), testing::read_bytes(dir / "q.npy"));
}

TEST(CodeNpy, AllElementLayoutsGiveTheSameCodes) {
  TempDir dir;
  // Two 8-bit codes: 10110000 and 00000001.
  std::vector<std::uint8_t> packed = {0xb0, 0x01};
  std::vector<std::uint8_t> zero_one = {1, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
  std::vector<std::int8_t> signs;
  std::vector<float> floats;
  for (auto b : zero_one) {
    signs.push_back(b ? 1 : -1);
    floats.push_back(b ? 0.0f : -0.25f);  // zero counts as a set bit
  }
  write_npy<std::uint8_t>(dir / "packed.npy", packed, {2, 1});
  write_npy<std::uint8_t>(dir / "bits.npy", zero_one, {2, 8});
  write_npy(dir / "bool.npy", DType::Bool, {2, 8}, zero_one.data());
  write_npy<std::int8_t>(dir / "signs.npy", signs, {2, 8});
  write_npy<float>(dir / "floats.npy", floats, {2, 8});

  const auto expected = read_codes_npy(dir / "packed.npy").packed_bytes();
  EXPECT_EQ(expected, packed);
  EXPECT_EQ(read_codes_npy(dir / "bits.npy", CodeLayout::Unpacked).packed_bytes(), expected);
  EXPECT_EQ(read_codes_npy(dir / "bool.npy").packed_bytes(), expected);
  EXPECT_EQ(read_codes_npy(dir / "signs.npy").packed_bytes(), expected);
  EXPECT_EQ(read_codes_npy(dir / "floats.npy").packed_bytes(), expected);
}

void expect_rejected(const std::filesystem::path& path, const std::string& fragment,
                     CodeLayout layout = CodeLayout::Detect) {
  try {
    read_codes_npy(path, layout);
    FAIL() << "accepted " << path;
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find(path.string()), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find(fragment), std::string::npos) << e.what();
  }
}

TEST(CodeNpy, RejectsBadCodesWithClearErrors) {
  TempDir dir;
  std::vector<float> floats(2 * 12, 1.f);
  write_npy<float>(dir / "k12.npy", floats, {2, 12});
  expect_rejected(dir / "k12.npy", "multiple of 8");

  std::vector<float> nan(8, NAN);
  write_npy<float>(dir / "nan.npy", nan, {1, 8});
  expect_rejected(dir / "nan.npy", "NaN");

  std::vector<std::int8_t> zeros(8, 0);
  write_npy<std::int8_t>(dir / "zero.npy", zeros, {1, 8});
  expect_rejected(dir / "zero.npy", "-1 or +1");

  std::vector<std::uint8_t> twos(8, 2);
  write_npy<std::uint8_t>(dir / "twos.npy", twos, {1, 8});
  expect_rejected(dir / "twos.npy", "0 or 1", CodeLayout::Unpacked);

  std::vector<std::uint8_t> flat(8, 0);
  write_npy<std::uint8_t>(dir / "flat.npy", flat, {8});
  expect_rejected(dir / "flat.npy", "2-D");

  std::vector<double> doubles(8, 0.0);
  write_npy<double>(dir / "double.npy", doubles, {1, 8});
  expect_rejected(dir / "double.npy", "float64");
}

TEST(CodeNpy, AmbiguousZeroOneUint8NeedsTheLayoutSaid) {
  TempDir dir;
  // [3, 64] of 0/1: 64-bit codes one element per bit, or 512-bit packbits? Once silently the latter.
  std::vector<std::uint8_t> zero_one(3 * 64, 0);
  for (std::size_t i = 0; i < zero_one.size(); i += 3) zero_one[i] = 1;
  write_npy<std::uint8_t>(dir / "bits.npy", zero_one, {3, 64});
  try {
    read_codes_npy(dir / "bits.npy");
    FAIL() << "accepted an ambiguous layout";
  } catch (const Error& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find((dir / "bits.npy").string()), std::string::npos) << message;
    EXPECT_NE(message.find("--unpacked"), std::string::npos) << message;
    EXPECT_NE(message.find("--packed"), std::string::npos) << message;
    EXPECT_NE(message.find("64-bit"), std::string::npos) << message;
    EXPECT_NE(message.find("512-bit"), std::string::npos) << message;
  }
  EXPECT_THROW(read_codes_npy(dir / "bits.npy", CodeLayout::Detect), Error);
  const CodeMatrix unpacked = read_codes_npy(dir / "bits.npy", CodeLayout::Unpacked);
  EXPECT_EQ(unpacked.bits(), 64u);
  EXPECT_EQ(read_codes_npy(dir / "bits.npy", CodeLayout::Unpacked).packed_bytes(), unpacked.packed_bytes());
  const CodeMatrix packed = read_codes_npy(dir / "bits.npy", CodeLayout::Packed);
  EXPECT_EQ(packed.bits(), 512u);
  EXPECT_EQ(packed.packed_bytes(), zero_one);

  // Not ambiguous: a byte above 1 (packbits), a width that cannot be K bits, no rows.
  std::vector<std::uint8_t> bytes = zero_one;
  bytes[5] = 0x80;
  write_npy<std::uint8_t>(dir / "packed.npy", bytes, {3, 64});
  EXPECT_EQ(read_codes_npy(dir / "packed.npy").bits(), 512u);
  write_npy<std::uint8_t>(dir / "narrow.npy", std::vector<std::uint8_t>(12, 1), {3, 4});
  EXPECT_EQ(read_codes_npy(dir / "narrow.npy").bits(), 32u);
  write_npy<std::uint8_t>(dir / "empty.npy", std::vector<std::uint8_t>{}, {0, 8});
  EXPECT_EQ(read_codes_npy(dir / "empty.npy").bits(), 64u);
  // Packed forced on elements that are not bytes, or unpacked on values above 1, are errors.
  write_npy<float>(dir / "floats.npy", std::vector<float>(16, 0.5f), {2, 8});
  EXPECT_THROW(read_codes_npy(dir / "floats.npy", CodeLayout::Packed), Error);
  EXPECT_THROW(read_codes_npy(dir / "packed.npy", CodeLayout::Unpacked), Error);
}

}  // namespace
}  // namespace shrewd
