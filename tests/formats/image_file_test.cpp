// Image files (src/shrewd/formats/image_file.hpp): JPEG through libjpeg-turbo, PNG through libpng;
// everything else refused with a message that says so.
#include "shrewd/formats/image_file.hpp"

#include <gtest/gtest.h>
#include <stb_image_write.h>
#include <turbojpeg.h>

#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "shrewd/common/error.hpp"
#include "support/error_of.hpp"

namespace shrewd::formats {
namespace {

using shrewd::testing::error_of;

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// An image whose pixels vary smoothly (JPEG at quality 100 keeps them within a few levels).
std::vector<std::uint8_t> gradient(int width, int height, int channels) {
  std::vector<std::uint8_t> pixels(std::size_t(width * height * channels));
  for (int y = 0; y < height; ++y)
    for (int x = 0; x < width; ++x)
      for (int c = 0; c < channels; ++c)
        pixels[std::size_t((y * width + x) * channels + c)] = std::uint8_t(40 + 4 * x + 3 * y + 50 * c);
  return pixels;
}

// A JPEG file of 8-bit pixels: grey (1 channel), RGB (3) or CMYK (4, written as Adobe's YCCK).
std::string jpeg(int width, int height, int channels, const std::vector<std::uint8_t>& pixels) {
  const int format = channels == 1 ? TJPF_GRAY : channels == 3 ? TJPF_RGB : TJPF_CMYK;
  tjhandle encoder = tjInitCompress();
  unsigned char* file = nullptr;
  unsigned long size = 0;
  const int failed = tjCompress2(encoder, pixels.data(), width, 0, height, format, &file, &size,
                                 channels == 1 ? TJSAMP_GRAY : TJSAMP_444, 100, 0);
  std::string bytes = failed ? std::string() : std::string(reinterpret_cast<char*>(file), size);
  tjFree(file);
  tjDestroy(encoder);
  EXPECT_FALSE(failed);
  return bytes;
}

int largest_difference(const std::vector<std::uint8_t>& a, const std::vector<std::uint8_t>& b) {
  int largest = a.size() == b.size() ? 0 : 256;
  for (std::size_t i = 0; i < a.size() && i < b.size(); ++i) largest = std::max(largest, std::abs(int(a[i]) - int(b[i])));
  return largest;
}

TEST(ImageFile, DecodesJpegColourAndGrey) {
  const auto colour = gradient(16, 8, 3), grey = gradient(16, 8, 1);
  const auto rgb = decode_image(jpeg(16, 8, 3, colour));
  EXPECT_EQ(rgb.width, 16);
  EXPECT_EQ(rgb.height, 8);
  EXPECT_EQ(rgb.channels, 3);
  EXPECT_LE(largest_difference(rgb.pixels, colour), 8);
  const auto y = decode_image(jpeg(16, 8, 1, grey));
  EXPECT_EQ(y.channels, 1);
  EXPECT_LE(largest_difference(y.pixels, grey), 4);
}

TEST(ImageFile, DecodesCmykJpegToRgb) {
  // TurboJPEG writes CMYK pixels as a YCCK JPEG (Adobe's inverted CMYK); RGB = colour x K / 255.
  const int width = 8, height = 8;
  std::vector<std::uint8_t> cmyk(std::size_t(width * height * 4));
  for (std::size_t i = 0; i < cmyk.size(); i += 4) cmyk[i] = 200, cmyk[i + 1] = 100, cmyk[i + 2] = 50, cmyk[i + 3] = 128;
  const auto bytes = jpeg(width, height, 4, cmyk);
  const auto rgb = decode_image(bytes);
  EXPECT_EQ(rgb.channels, 3);
  const std::vector<std::uint8_t> expected{100, 50, 25};  // 200 x 128 / 255, 100 x 128 / 255, 50 x 128 / 255
  for (std::size_t i = 0; i < rgb.pixels.size(); ++i) EXPECT_NEAR(rgb.pixels[i], expected[i % 3], 3) << i;
}

TEST(ImageFile, RefusesCorruptTruncatedAndUnsupportedFiles) {
  const auto whole = jpeg(16, 8, 3, gradient(16, 8, 3));
  // Cut in the scan: libjpeg would fill the rest with grey; here it is an error.
  EXPECT_TRUE(contains(error_of([&] { decode_image(whole.substr(0, whole.size() - 20)); }), "cannot be decoded as JPEG"));
  // A Huffman table that declares more than 256 codes (stb_image 2.27 wrote past its tables).
  auto bogus = whole;
  const auto table = bogus.find("\xff\xc4");
  ASSERT_NE(table, std::string::npos);
  for (std::size_t i = 0; i < 16; ++i) bogus[table + 5 + i] = char(0xff);
  EXPECT_TRUE(contains(error_of([&] { decode_image(bogus); }), "JPEG")) << error_of([&] { decode_image(bogus); });

  // Formats Debian's stb_image 2.27 decoded (and fuzzing found it overflowing on: a PNM header
  // integer) or tried on any bytes (TGA has no magic bytes), all refused before any decoder runs.
  for (const std::string& other : {std::string("GIF89a\x01\x00\x01\x00\x00\x00\x00,", 14), std::string("BM\x3a\x00"),
                                  std::string("P5 2222222222 1 255\n"),
                                  std::string("\x00\x00\x02\x00\x00\x00\x00\x00\x00\x00\x00\x00\x01\x00\x01\x00\x18\x00\x01\x02\x03", 21)})
    EXPECT_TRUE(contains(error_of([&] { decode_image(other); }), "only JPEG and PNG files are read")) << other;
  EXPECT_TRUE(contains(error_of([&] { decode_image(""); }), "empty"));
  EXPECT_TRUE(contains(error_of([&] { decode_image(std::string("\x89PNG\r\n\x1a\n", 8) + "junk"); }), "PNG"));
}

TEST(ImageFile, RefusesImagesLargerThanTheLimitBeforeDecoding) {
  ImageLimits limits;
  limits.max_side = 8;
  EXPECT_TRUE(contains(error_of([&] { decode_image(jpeg(16, 8, 3, gradient(16, 8, 3)), limits); }), "16 x 8 pixels"));
  std::string png;
  const std::vector<std::uint8_t> pixels(9 * 2, 7);
  stbi_write_png_to_func([](void* to, void* data, int size) { static_cast<std::string*>(to)->append(static_cast<char*>(data), std::size_t(size)); },
                         &png, 9, 2, 1, pixels.data(), 0);
  EXPECT_TRUE(contains(error_of([&] { decode_image(png, limits); }), "9 x 2 pixels"));
  limits.max_side = 9;
  EXPECT_EQ(decode_image(png, limits).pixels, pixels);
}

}  // namespace
}  // namespace shrewd::formats
