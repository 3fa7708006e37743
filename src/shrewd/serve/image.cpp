#include "shrewd/serve/image.hpp"

#include <stb_image_resize.h>
#include <stb_image_write.h>

#include "shrewd/common/error.hpp"

namespace shrewd::serve {
namespace {

void append_to_string(void* context, void* data, int size) {
  static_cast<std::string*>(context)->append(static_cast<const char*>(data), std::size_t(size));
}

std::uint8_t luminance(const std::uint8_t* rgb) {
  return std::uint8_t(formats::grey_level(rgb[0], rgb[1], rgb[2]) + 0.5f);
}

}  // namespace

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
