#include "shrewd/serve/image.hpp"

#include <gtest/gtest.h>

#include "shrewd/common/error.hpp"

namespace shrewd::serve {
namespace {

Image gradient(int width, int height, int channels) {
  Image image{width, height, channels, {}};
  for (int y = 0; y < height; ++y)
    for (int x = 0; x < width; ++x)
      for (int c = 0; c < channels; ++c) image.pixels.push_back(std::uint8_t((x * 7 + y * 13 + c * 50) % 256));
  return image;
}

TEST(Image, PngRoundTripsGreyAndColourPixelsExactly) {
  for (const int channels : {1, 3}) {
    const Image original = gradient(9, 5, channels);
    const std::string png = encode_png(original);
    ASSERT_EQ(png.substr(1, 3), "PNG");
    const Image decoded = decode_image(png);
    EXPECT_EQ(decoded.width, 9);
    EXPECT_EQ(decoded.height, 5);
    EXPECT_EQ(decoded.channels, channels);
    EXPECT_EQ(decoded.pixels, original.pixels);
  }
}

TEST(Image, DecodeRejectsEmptyGarbageAndTruncatedFiles) {
  EXPECT_THROW(decode_image(""), Error);
  EXPECT_THROW(decode_image("this is not an image at all"), Error);
  const std::string png = encode_png(gradient(16, 16, 3));
  EXPECT_THROW(decode_image(png.substr(0, 40)), Error);
}

TEST(Image, DecodeRejectsImagesLargerThanTheLimitBeforeDecoding) {
  const std::string png = encode_png(gradient(40, 10, 1));
  EXPECT_NO_THROW(decode_image(png, ImageLimits{40}));
  EXPECT_THROW(decode_image(png, ImageLimits{39}), Error);
}

TEST(Image, ConvertMakesGreyFromColourAndResizes) {
  Image red{2, 2, 3, std::vector<std::uint8_t>(12, 0)};
  for (int p = 0; p < 4; ++p) red.pixels[std::size_t(p) * 3] = 200;
  const Image grey = convert_image(red, 2, 2, 1);
  ASSERT_EQ(grey.pixels.size(), 4u);
  EXPECT_EQ(grey.pixels[0], 60);  // 0.299 * 200, rounded
  const Image larger = convert_image(gradient(4, 4, 1), 8, 6, 3);
  EXPECT_EQ(larger.width, 8);
  EXPECT_EQ(larger.height, 6);
  EXPECT_EQ(larger.pixels.size(), 8u * 6u * 3u);
}

}  // namespace
}  // namespace shrewd::serve
