#include "shrewd/formats/image_file.hpp"

#include <cstring>
#include <fmt/format.h>
#include <memory>

#include <png.h>
#include <turbojpeg.h>

#include "shrewd/common/error.hpp"
#include "shrewd/common/read_file.hpp"

namespace shrewd::formats {

namespace {

bool starts_with(std::string_view bytes, std::string_view magic) { return bytes.substr(0, magic.size()) == magic; }

void check_size(long long width, long long height, const ImageLimits& limits) {
  if (width <= 0 || height <= 0 || width > limits.max_side || height > limits.max_side)
    fail("image", fmt::format("{} x {} pixels is outside the accepted 1..{} per side", width, height, limits.max_side));
}

std::size_t pixel_bytes(int width, int height, int channels) {
  return std::size_t(width) * std::size_t(height) * std::size_t(channels);
}

// Keeps the first `keep` of every `stride` bytes: drops an alpha channel (or CMYK's K after use).
void keep_leading_channels(std::vector<std::uint8_t>& pixels, int stride, int keep) {
  std::size_t out = 0;
  for (std::size_t in = 0; in < pixels.size(); in += std::size_t(stride))
    for (int c = 0; c < keep; ++c) pixels[out++] = pixels[in + std::size_t(c)];
  pixels.resize(out);
}

// libjpeg-turbo (TurboJPEG): the decoder of PIL and torchvision, so a pretrained backbone sees the
// pixels it was trained on; corrupt or truncated data is an error, not a grey fill.
Image decode_jpeg(std::string_view bytes, const ImageLimits& limits) {
  const std::unique_ptr<void, int (*)(tjhandle)> decoder(tjInitDecompress(), &tjDestroy);
  if (!decoder) fail("image", "the JPEG decoder cannot start");
  const auto* data = reinterpret_cast<const unsigned char*>(bytes.data());
  int width = 0, height = 0, subsampling = 0, colorspace = 0;
  if (tjDecompressHeader3(decoder.get(), data, bytes.size(), &width, &height, &subsampling, &colorspace) != 0)
    fail("image", fmt::format("not a readable JPEG file ({})", tjGetErrorStr2(decoder.get())));
  if (width <= 0 || height <= 0) fail("image", "not a readable JPEG file (no frame header before the scan)");
  check_size(width, height, limits);
  const bool grey = colorspace == TJCS_GRAY, cmyk = colorspace == TJCS_CMYK || colorspace == TJCS_YCCK;
  const int format = grey ? TJPF_GRAY : cmyk ? TJPF_CMYK : TJPF_RGB;
  Image image{width, height, grey ? 1 : 3, std::vector<std::uint8_t>(pixel_bytes(width, height, tjPixelSize[format]))};
  if (tjDecompress2(decoder.get(), data, bytes.size(), image.pixels.data(), width, 0, height, format,
                    TJFLAG_STOPONWARNING | TJFLAG_LIMITSCANS) != 0)
    fail("image", fmt::format("cannot be decoded as JPEG ({})", tjGetErrorStr2(decoder.get())));
  if (cmyk) {  // Adobe's inverted CMYK, as stored: each colour times K
    for (std::size_t i = 0; i < image.pixels.size(); i += 4)
      for (std::size_t c = 0; c < 3; ++c)
        image.pixels[i + c] = std::uint8_t((image.pixels[i + c] * image.pixels[i + 3] + 127) / 255);
    keep_leading_channels(image.pixels, 4, 3);
  }
  return image;
}

// libpng's simplified API: palettes and 16-bit samples become 8-bit grey or RGB; alpha is dropped
// (the colour as stored, as PIL's convert("RGB") and torchvision do).
Image decode_png(std::string_view bytes, const ImageLimits& limits) {
  png_image png;
  std::memset(&png, 0, sizeof png);
  png.version = PNG_IMAGE_VERSION;
  if (!png_image_begin_read_from_memory(&png, bytes.data(), bytes.size()))
    fail("image", fmt::format("not a readable PNG file ({})", png.message));
  const std::unique_ptr<png_image, void (*)(png_imagep)> release(&png, &png_image_free);
  check_size(png.width, png.height, limits);
  const bool colour = png.format & PNG_FORMAT_FLAG_COLOR, alpha = png.format & PNG_FORMAT_FLAG_ALPHA;
  png.format = colour ? (alpha ? PNG_FORMAT_RGBA : PNG_FORMAT_RGB) : (alpha ? PNG_FORMAT_GA : PNG_FORMAT_GRAY);
  const int width = int(png.width), height = int(png.height), stored = int(PNG_IMAGE_PIXEL_CHANNELS(png.format));
  Image image{width, height, colour ? 3 : 1, std::vector<std::uint8_t>(pixel_bytes(width, height, stored))};
  if (!png_image_finish_read(&png, nullptr, image.pixels.data(), 0, nullptr))
    fail("image", fmt::format("cannot be decoded as PNG ({})", png.message));
  if (alpha) keep_leading_channels(image.pixels, stored, image.channels);
  return image;
}

}  // namespace

Image decode_image(std::string_view file_bytes, const ImageLimits& limits) {
  if (file_bytes.empty()) fail("image", "the file is empty");
  if (starts_with(file_bytes, "\xff\xd8\xff")) return decode_jpeg(file_bytes, limits);
  if (starts_with(file_bytes, "\x89PNG\r\n\x1a\n")) return decode_png(file_bytes, limits);
  fail("image", "not a readable image: only JPEG and PNG files are read (convert BMP, GIF, PNM and others to PNG)");
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
