#pragma once

// IDX (MNIST-style) files made by tests, plain or gzipped.

#include <gtest/gtest.h>
#include <zlib.h>

#include <cstdint>
#include <filesystem>
#include <initializer_list>
#include <string>

#include "support/error_of.hpp"

namespace shrewd::testing {

inline std::string big_endian_u32(std::uint32_t v) {
  return {char(v >> 24), char((v >> 16) & 255), char((v >> 8) & 255), char(v & 255)};
}

// IDX images [n, rows, cols] with pixel (i, y, x) = i * 10 + y * cols + x.
inline std::string idx_images(std::uint32_t n, std::uint32_t rows, std::uint32_t cols) {
  std::string bytes = std::string("\0\0\x08\x03", 4) + big_endian_u32(n) + big_endian_u32(rows) + big_endian_u32(cols);
  for (std::uint32_t i = 0; i < n; ++i)
    for (std::uint32_t p = 0; p < rows * cols; ++p) bytes += char(i * 10 + p);
  return bytes;
}

// IDX labels [n]: i % 10, except the first, which is `first`.
inline std::string idx_labels(std::uint32_t n, unsigned char first = 0) {
  std::string bytes = std::string("\0\0\x08\x01", 4) + big_endian_u32(n);
  for (std::uint32_t i = 0; i < n; ++i) bytes += char(i == 0 ? first : i % 10);
  return bytes;
}

inline void write_gzip(const std::filesystem::path& path, const std::string& bytes) {
  gzFile file = gzopen(path.c_str(), "wb");
  ASSERT_NE(file, nullptr);
  ASSERT_EQ(gzwrite(file, bytes.data(), unsigned(bytes.size())), int(bytes.size()));
  gzclose(file);
}

// Runs `action`, expecting an Error whose message contains every one of `parts`.
template <class Action>
void expect_error(Action action, std::initializer_list<std::string> parts) {
  const std::string message = error_of(action);
  for (const auto& part : parts) EXPECT_NE(message.find(part), std::string::npos) << message;
}

}  // namespace shrewd::testing
