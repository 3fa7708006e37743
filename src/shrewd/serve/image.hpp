#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace shrewd::serve {

// 8-bit pixels, row after row, channels interleaved (1 = grey, 3 = RGB, 4 = RGBA).
struct Image {
  int width = 0;
  int height = 0;
  int channels = 0;
  std::vector<std::uint8_t> pixels;
};

// Bounds for decoding untrusted uploads: checked from the header before any pixel is decoded.
struct ImageLimits {
  int max_side = 4096;
};

// Decodes a PNG, JPEG, BMP, GIF or PNM file held in memory. Anything that is not such an image,
// is truncated or is larger than the limits fails with an Error saying so.
Image decode_image(std::string_view file_bytes, const ImageLimits& limits = {});

// The image as a PNG file.
std::string encode_png(const Image& image);

// The image converted to `channels` (1 or 3) and resized to width x height.
Image convert_image(const Image& image, int width, int height, int channels);

}  // namespace shrewd::serve
