// read_file, seconds_since and the bitmap helpers.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <string>
#include <thread>
#include <vector>

#include "shrewd/common/bitmap.hpp"
#include "shrewd/common/read_file.hpp"
#include "shrewd/common/seconds_since.hpp"
#include "support/error_of.hpp"
#include "support/temp_dir.hpp"

namespace shrewd {
namespace {

TEST(ReadFile, ReturnsEveryByte) {
  testing::TempDir dir;
  std::string bytes(200000, '\0');  // more than one read buffer, with NULs and high bytes
  for (std::size_t i = 0; i < bytes.size(); ++i) bytes[i] = char(i * 7 % 256);
  testing::write_bytes(dir / "f.bin", bytes);
  EXPECT_EQ(read_file(dir / "f.bin"), bytes);
  testing::write_bytes(dir / "empty", "");
  EXPECT_EQ(read_file(dir / "empty"), "");
}

TEST(ReadFile, ReadsFilesOfUnknownSize) {
  // /proc files report size 0 but have content.
  EXPECT_NE(read_file("/proc/self/cmdline"), "");
}

TEST(ReadFile, MissingFileNamesThePathAndWhatItIs) {
  testing::TempDir dir;
  const std::string message = testing::error_of([&] { read_file(dir / "none.json", "the shard manifest"); });
  EXPECT_NE(message.find((dir / "none.json").string()), std::string::npos) << message;
  EXPECT_NE(message.find("cannot open the shard manifest"), std::string::npos) << message;
  EXPECT_NE(message.find("No such file"), std::string::npos) << message;
}

TEST(SecondsSince, CountsElapsedWallTime) {
  const auto start = std::chrono::steady_clock::now();
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  const double seconds = seconds_since(start);
  EXPECT_GE(seconds, 0.019);
  EXPECT_LT(seconds, 10.0);
}

TEST(Bitmap, FlagIIsBitIMod64OfWordIDiv64) {
  EXPECT_EQ(bitmap_words(0), 0u);
  EXPECT_EQ(bitmap_words(64), 1u);
  EXPECT_EQ(bitmap_words(65), 2u);
  std::vector<std::uint64_t> bitmap(bitmap_words(130), 0);
  for (std::size_t i : {0, 63, 64, 129}) bitmap_set(bitmap, i);
  EXPECT_EQ(bitmap[0], (std::uint64_t{1} << 63) | 1u);
  EXPECT_EQ(bitmap[1], 1u);
  EXPECT_EQ(bitmap[2], 2u);
  EXPECT_EQ(bitmap_count(bitmap), 4u);
  for (std::size_t i = 0; i < 130; ++i) EXPECT_EQ(bitmap_test(bitmap, i), i == 0 || i == 63 || i == 64 || i == 129) << i;
}

TEST(Bitmap, EmptyBitmapSetsNoFlag) {
  EXPECT_FALSE(bitmap_test({}, 0));
  EXPECT_FALSE(bitmap_test({}, 1000));
  EXPECT_EQ(bitmap_count({}), 0u);
}

}  // namespace
}  // namespace shrewd
