#include "shrewd/formats/image_file.hpp"

#include <climits>
#include <fmt/format.h>
#include <memory>

#include <stb_image.h>

#include "shrewd/common/error.hpp"
#include "shrewd/common/read_file.hpp"

namespace shrewd::formats {

Image decode_image(std::string_view file_bytes, const ImageLimits& limits) {
  if (file_bytes.empty()) fail("image", "the file is empty");
  if (file_bytes.size() > std::size_t(INT_MAX)) fail("image", "the file is too large");
  const auto* data = reinterpret_cast<const stbi_uc*>(file_bytes.data());
  const int size = int(file_bytes.size());
  int width = 0, height = 0, channels = 0;
  if (!stbi_info_from_memory(data, size, &width, &height, &channels))
    fail("image", std::string("not a readable PNG, JPEG, BMP, GIF or PNM file (") + stbi_failure_reason() + ")");
  if (width <= 0 || height <= 0 || width > limits.max_side || height > limits.max_side)
    fail("image", fmt::format("{} x {} pixels is outside the accepted 1..{} per side", width, height, limits.max_side));
  const int wanted_channels = (channels == 1 || channels == 2) ? 1 : 3;
  std::unique_ptr<stbi_uc, decltype(&stbi_image_free)> pixels(
      stbi_load_from_memory(data, size, &width, &height, &channels, wanted_channels), &stbi_image_free);
  if (!pixels) fail("image", std::string("cannot be decoded (") + stbi_failure_reason() + ")");
  Image image{width, height, wanted_channels, {}};
  image.pixels.assign(pixels.get(), pixels.get() + std::size_t(width) * std::size_t(height) * std::size_t(wanted_channels));
  return image;
}

Image read_image_file(const std::filesystem::path& path, const ImageLimits& limits) {
  const std::string bytes = read_file(path, "the image");
  try {
    return decode_image(bytes, limits);
  } catch (const Error& error) {
    fail(path.string(), error.what());
  }
}

}  // namespace shrewd::formats
