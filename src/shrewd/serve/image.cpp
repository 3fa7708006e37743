#include "shrewd/serve/image.hpp"

#include <climits>

#include <stb_image.h>
#include <stb_image_resize.h>
#include <stb_image_write.h>

#include "shrewd/common/error.hpp"

namespace shrewd::serve {
namespace {

void append_to_string(void* context, void* data, int size) {
  static_cast<std::string*>(context)->append(static_cast<const char*>(data), std::size_t(size));
}

std::uint8_t luminance(const std::uint8_t* rgb) {
  return std::uint8_t((299 * rgb[0] + 587 * rgb[1] + 114 * rgb[2] + 500) / 1000);
}

}  // namespace

Image decode_image(std::string_view file_bytes, const ImageLimits& limits) {
  if (file_bytes.empty()) fail("image", "the upload is empty");
  if (file_bytes.size() > std::size_t(INT_MAX)) fail("image", "the upload is too large");
  const auto* data = reinterpret_cast<const stbi_uc*>(file_bytes.data());
  const int size = int(file_bytes.size());
  int width = 0, height = 0, channels = 0;
  if (!stbi_info_from_memory(data, size, &width, &height, &channels))
    fail("image", std::string("not a readable PNG, JPEG, BMP, GIF or PNM file (") + stbi_failure_reason() + ")");
  if (width <= 0 || height <= 0 || width > limits.max_side || height > limits.max_side)
    fail("image", std::to_string(width) + " x " + std::to_string(height) + " pixels is outside the accepted 1.." +
                      std::to_string(limits.max_side) + " per side");
  const int wanted_channels = (channels == 1 || channels == 2) ? 1 : 3;
  stbi_uc* pixels = stbi_load_from_memory(data, size, &width, &height, &channels, wanted_channels);
  if (!pixels) fail("image", std::string("cannot be decoded (") + stbi_failure_reason() + ")");
  Image image{width, height, wanted_channels, {}};
  image.pixels.assign(pixels, pixels + std::size_t(width) * std::size_t(height) * std::size_t(wanted_channels));
  stbi_image_free(pixels);
  return image;
}

std::string encode_png(const Image& image) {
  if (image.width <= 0 || image.height <= 0 || image.channels < 1 || image.channels > 4 ||
      image.pixels.size() != std::size_t(image.width) * std::size_t(image.height) * std::size_t(image.channels))
    fail("png", "image buffer does not match its size");
  std::string png;
  if (!stbi_write_png_to_func(append_to_string, &png, image.width, image.height, image.channels, image.pixels.data(),
                              image.width * image.channels))
    fail("png", "encoding failed");
  return png;
}

Image convert_image(const Image& image, int width, int height, int channels) {
  if (channels != 1 && channels != 3) fail("image", "can only convert to 1 or 3 channels");
  Image recoloured{image.width, image.height, channels, {}};
  const std::size_t pixels = std::size_t(image.width) * std::size_t(image.height);
  recoloured.pixels.resize(pixels * std::size_t(channels));
  for (std::size_t p = 0; p < pixels; ++p) {
    const std::uint8_t* in = &image.pixels[p * std::size_t(image.channels)];
    std::uint8_t* out = &recoloured.pixels[p * std::size_t(channels)];
    if (channels == 1)
      out[0] = image.channels >= 3 ? luminance(in) : in[0];
    else
      for (int c = 0; c < 3; ++c) out[c] = image.channels >= 3 ? in[c] : in[0];
  }
  if (width == image.width && height == image.height) return recoloured;
  Image resized{width, height, channels, std::vector<std::uint8_t>(std::size_t(width) * std::size_t(height) * std::size_t(channels))};
  if (!stbir_resize_uint8(recoloured.pixels.data(), image.width, image.height, 0, resized.pixels.data(), width, height, 0,
                          channels))
    fail("image", "resizing failed");
  return resized;
}

}  // namespace shrewd::serve
