#pragma once

#include <cstdint>
#include <filesystem>
#include <string_view>
#include <vector>

namespace shrewd::formats {

// 8-bit pixels, row after row, channels interleaved (1 = grey, 3 = RGB, 4 = RGBA).
struct Image {
  int width = 0;
  int height = 0;
  int channels = 0;
  std::vector<std::uint8_t> pixels;
};

// Bounds for decoding untrusted files: checked from the header before any pixel is decoded.
struct ImageLimits {
  int max_side = 4096;
};

// Decodes a JPEG (libjpeg-turbo; CMYK becomes RGB) or PNG (libpng) file held in memory into grey
// (grey and grey + alpha files) or RGB (colour files; alpha is dropped). The format is told by the
// file's first bytes. Any other format, a corrupt or truncated file, or one larger than the limits
// fails with an Error("image: ...").
Image decode_image(std::string_view file_bytes, const ImageLimits& limits = {});

// decode_image of a file's bytes (an Error names the file): image datasets and uploads to
// `shrewd serve` go through the same decoder, so the same file gives the same pixels.
Image read_image_file(const std::filesystem::path& path, const ImageLimits& limits = {});

// The one grey level of a colour pixel (ITU-R BT.601 weights), used wherever colour becomes grey.
constexpr float kGreyRed = 0.299f, kGreyGreen = 0.587f, kGreyBlue = 0.114f;
inline float grey_level(float red, float green, float blue) {
  return kGreyRed * red + kGreyGreen * green + kGreyBlue * blue;
}

}  // namespace shrewd::formats
