// search_result_npy.hpp and ids_npy.hpp: the .npy files of search answers and of item ids.
#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <vector>

#include "shrewd/common/npy.hpp"
#include "shrewd/index/ids_npy.hpp"
#include "shrewd/index/search_result_npy.hpp"
#include "support/error_of.hpp"
#include "support/temp_dir.hpp"

namespace shrewd {
namespace {

using testing::error_of;
using testing::TempDir;

template <class T>
std::vector<T> values_of(const NpyArray& array) {
  const auto values = array.values<T>();
  return {values.begin(), values.end()};
}

TEST(SearchResultNpy, KnnIsIdsAndDistancesOfShapeQByK) {
  TempDir dir;
  const KnnResult result{2, 3, {4, 7, -1, 0, 1, 2}, {1, 5, -1, 0, 0, 3}};
  const std::string prefix = (dir / "r").string();
  EXPECT_EQ(write_search_result_npy(prefix, result), (std::vector<std::string>{prefix + ".ids.npy", prefix + ".dist.npy"}));
  const NpyArray ids = read_npy(prefix + ".ids.npy"), dist = read_npy(prefix + ".dist.npy");
  EXPECT_EQ(ids.shape, (std::vector<std::size_t>{2, 3}));
  EXPECT_EQ(dist.shape, (std::vector<std::size_t>{2, 3}));
  EXPECT_EQ(values_of<std::int64_t>(ids), result.ids);
  EXPECT_EQ(values_of<std::int32_t>(dist), result.distances);
}

TEST(SearchResultNpy, RadiusIsOffsetsAndFlatIdsAndDistances) {
  TempDir dir;
  const RadiusResult result{{0, 2, 2, 3}, {9, 4, 6}, {0, 2, 1}};
  const std::string prefix = (dir / "r").string();
  EXPECT_EQ(write_search_result_npy(prefix, result),
            (std::vector<std::string>{prefix + ".offsets.npy", prefix + ".ids.npy", prefix + ".dist.npy"}));
  const NpyArray offsets = read_npy(prefix + ".offsets.npy");
  EXPECT_EQ(offsets.shape, (std::vector<std::size_t>{4}));
  EXPECT_EQ(values_of<std::int64_t>(offsets), result.offsets);
  EXPECT_EQ(values_of<std::int64_t>(read_npy(prefix + ".ids.npy")), result.ids);
  EXPECT_EQ(values_of<std::int32_t>(read_npy(prefix + ".dist.npy")), result.distances);
}

TEST(IdsNpy, ReadsAnyIntegerDtype) {
  TempDir dir;
  const std::vector<std::int32_t> small = {3, 0, 7};
  write_npy<std::int32_t>(dir / "i32.npy", small, {3});
  EXPECT_EQ(read_ids_npy(dir / "i32.npy"), (std::vector<std::uint64_t>{3, 0, 7}));
  const std::vector<std::uint64_t> large = {std::uint64_t{1} << 62, 5};
  write_npy<std::uint64_t>(dir / "u64.npy", large, {2});
  EXPECT_EQ(read_ids_npy(dir / "u64.npy", 2), large);
}

TEST(IdsNpy, RejectsIdsOutside0To2Pow63AndWrongCounts) {
  TempDir dir;
  const std::vector<std::int64_t> negative = {1, -2};
  write_npy<std::int64_t>(dir / "neg.npy", negative, {2});
  EXPECT_NE(error_of([&] { read_ids_npy(dir / "neg.npy"); }).find("id -2 is negative"), std::string::npos);
  const std::vector<std::uint64_t> huge = {std::uint64_t{1} << 63};
  write_npy<std::uint64_t>(dir / "huge.npy", huge, {1});
  EXPECT_NE(error_of([&] { read_ids_npy(dir / "huge.npy"); }).find("is not below 2^63"), std::string::npos);
  const std::vector<std::int64_t> three = {1, 2, 3};
  write_npy<std::int64_t>(dir / "three.npy", three, {3});
  const std::string message = error_of([&] { read_ids_npy(dir / "three.npy", 4); });
  EXPECT_NE(message.find((dir / "three.npy").string()), std::string::npos) << message;
  EXPECT_NE(message.find("has 3 ids but the codes file has 4 codes"), std::string::npos) << message;
  const std::vector<float> floats = {1.0f};
  write_npy<float>(dir / "f.npy", floats, {1});
  EXPECT_THROW(read_ids_npy(dir / "f.npy"), Error);
  write_npy<std::int64_t>(dir / "matrix.npy", three, {1, 3});
  EXPECT_THROW(read_ids_npy(dir / "matrix.npy"), Error);
}

}  // namespace
}  // namespace shrewd
