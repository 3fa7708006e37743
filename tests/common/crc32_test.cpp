#include "shrewd/common/crc32.hpp"

#include <gtest/gtest.h>
#include <zlib.h>

#include <random>
#include <vector>

namespace shrewd {
namespace {

// The folded CRC equals zlib's for every length around its block sizes, any start and any alignment.
TEST(Crc32, EqualsZlibForEveryLengthStartAndAlignment) {
  std::mt19937 rng(7);
  std::vector<unsigned char> bytes(5000);
  for (auto& b : bytes) b = static_cast<unsigned char>(rng());
  for (std::size_t length : {0u, 1u, 15u, 16u, 63u, 64u, 255u, 256u, 257u, 271u, 319u, 320u, 333u, 1024u, 4999u})
    for (std::size_t offset : {0u, 1u, 7u})
      for (std::uint32_t start : {0u, 1u, 0xDEADBEEFu, 0xFFFFFFFFu}) {
        if (offset + length > bytes.size()) continue;
        const auto want = std::uint32_t(crc32_z(start, bytes.data() + offset, length));
        EXPECT_EQ(crc32(start, bytes.data() + offset, length), want)
            << "length " << length << ", offset " << offset << ", start " << start;
      }
}

TEST(Crc32, ChainsLikeOneBuffer) {
  std::vector<unsigned char> bytes(10000);
  for (std::size_t i = 0; i < bytes.size(); ++i) bytes[i] = static_cast<unsigned char>(i * 31 + 7);
  const std::uint32_t whole = crc32(0, bytes.data(), bytes.size());
  EXPECT_EQ(crc32(crc32(0, bytes.data(), 3000), bytes.data() + 3000, 7000), whole);
  EXPECT_EQ(whole, std::uint32_t(crc32_z(0, bytes.data(), bytes.size())));
}

}  // namespace
}  // namespace shrewd
