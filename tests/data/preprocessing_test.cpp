// The one preprocessing of images (train, encode, serve): each step, its checks and its JSON form.
#include "shrewd/data/preprocessing.hpp"

#include <gtest/gtest.h>
#include <stb_image_write.h>

#include <set>

#include "shrewd/common/error.hpp"
#include "shrewd/common/read_file.hpp"
#include "support/idx_files.hpp"
#include "support/temp_dir.hpp"

namespace shrewd::data {
namespace {

using shrewd::testing::expect_error;

// An image whose value at (c, y, x) is (100 c + 10 y + x) / 1000.
ImageItem numbered(int channels, int height, int width) {
  ImageItem image{channels, height, width, {}};
  for (int c = 0; c < channels; ++c)
    for (int y = 0; y < height; ++y)
      for (int x = 0; x < width; ++x) image.values.push_back(float(100 * c + 10 * y + x) / 1000.0f);
  return image;
}

std::vector<float> apply(const Preprocessing& p, const ImageItem& image, std::mt19937_64* random = nullptr) {
  const auto shape = output_shape(p, image.channels, image.height, image.width, "test image");
  std::vector<float> out(std::size_t(shape[0] * shape[1] * shape[2]));
  preprocess_image(p, image, random, out.data(), "test image");
  return out;
}

TEST(Preprocessing, TheDefaultIsTheIdentity) {
  const auto image = numbered(3, 4, 5);
  EXPECT_EQ(apply({}, image), image.values);
  // Model files without stored preprocessing: the identity for images of the model's size.
  const auto legacy = preprocessing_for_input_shape({3, 4, 4});
  EXPECT_EQ(legacy.channels, 3);
  EXPECT_EQ(legacy.resize, 4);
  const auto square = numbered(3, 4, 4);
  EXPECT_EQ(apply(legacy, square), square.values);
  EXPECT_EQ(preprocessing_for_input_shape({16}), Preprocessing{});
}

TEST(Preprocessing, ColourBecomesGreyWithOneSetOfWeights) {
  ImageItem rgb{3, 1, 1, {1.0f, 0.5f, 0.25f}};
  Preprocessing grey;
  grey.channels = 1;
  EXPECT_FLOAT_EQ(apply(grey, rgb)[0], 0.299f * 1.0f + 0.587f * 0.5f + 0.114f * 0.25f);
  EXPECT_FLOAT_EQ(formats::grey_level(1.0f, 0.5f, 0.25f), apply(grey, rgb)[0]);
  Preprocessing colour;
  colour.channels = 3;
  EXPECT_EQ(apply(colour, ImageItem{1, 1, 1, {0.75f}}), (std::vector<float>{0.75f, 0.75f, 0.75f}));
}

TEST(Preprocessing, ResizesTheShorterSideAndCropsTheCentre) {
  Preprocessing p;
  p.resize = 5;
  EXPECT_EQ(output_shape(p, 3, 10, 20, "x"), (std::vector<std::int64_t>{3, 5, 10}));
  EXPECT_EQ(output_shape(p, 3, 30, 10, "x"), (std::vector<std::int64_t>{3, 15, 5}));
  p.crop = Crop::Centre;
  EXPECT_EQ(output_shape(p, 1, 10, 20, "x"), (std::vector<std::int64_t>{1, 5, 5}));
  p.crop_size = 4;
  EXPECT_EQ(output_shape(p, 1, 10, 20, "x"), (std::vector<std::int64_t>{1, 4, 4}));

  Preprocessing crop;
  crop.crop = Crop::Centre;
  crop.crop_size = 2;
  // 4 x 6 image: rows 1..2, columns 2..3.
  EXPECT_EQ(apply(crop, numbered(1, 4, 6)), (std::vector<float>{0.012f, 0.013f, 0.022f, 0.023f}));
  crop.crop = Crop::Random;  // centred too outside training
  EXPECT_EQ(apply(crop, numbered(1, 4, 6)), (std::vector<float>{0.012f, 0.013f, 0.022f, 0.023f}));

  crop.crop_size = 5;
  expect_error([&] { apply(crop, numbered(1, 4, 6)); }, {"test image", "does not fit", "preprocessing.resize"});
}

TEST(Preprocessing, RandomCropsAndFlipsComeOnlyFromTheItemsStream) {
  Preprocessing p;
  p.crop = Crop::Random;
  p.crop_size = 3;
  p.flip = true;
  const auto image = numbered(2, 6, 7);
  std::set<std::vector<float>> seen;
  for (std::uint64_t index = 0; index < 40; ++index) {
    auto random = item_random(9, 1, index);
    auto again = item_random(9, 1, index);
    const auto out = apply(p, image, &random);
    EXPECT_EQ(out, apply(p, image, &again));
    seen.insert(out);
  }
  EXPECT_GT(seen.size(), 10u);  // 5 x 4 offsets x 2 flips
}

TEST(Preprocessing, NormalisesPerChannelOrWithOneValue) {
  ImageItem image{2, 1, 2, {0.5f, 1.0f, 0.0f, 0.25f}};
  Preprocessing p;
  p.mean = {0.5f, 0.0f};
  p.std = {0.5f, 0.25f};
  EXPECT_EQ(apply(p, image), (std::vector<float>{0.0f, 1.0f, 0.0f, 1.0f}));
  p.mean = {0.5f};
  p.std = {0.5f};
  EXPECT_EQ(apply(p, image), (std::vector<float>{0.0f, 1.0f, -1.0f, -0.5f}));
  float features[2] = {3.0f, 5.0f}, out[2];
  preprocess_features(p, features, 2, out);
  EXPECT_EQ(out[1], 9.0f);
}

TEST(Preprocessing, RoundTripsThroughJsonAndNamesBadKeys) {
  Preprocessing p;
  p.channels = 3;
  p.resize = 256;
  p.crop = Crop::Random;
  p.crop_size = 224;
  p.flip = true;
  p.mean = {0.485f, 0.456f, 0.406f};
  p.std = {0.229f, 0.224f, 0.225f};
  EXPECT_EQ(preprocessing_from_json(preprocessing_to_json(p), "model"), p);

  expect_error([] { preprocessing_from_json(R"({"channels": 2})", "model.pt: preprocessing"); },
               {"model.pt: preprocessing.channels", "0 (the data's own), 1 or 3"});
  expect_error([] { preprocessing_from_json(R"({"crop": "middle"})", "m"); }, {"m.crop", "middle"});
  expect_error([] { preprocessing_from_json(R"({"colour": 1})", "m"); }, {"m", "unknown key 'colour'"});
  expect_error([] { preprocessing_from_json(R"({"mean": [0.5], "std": [0]})", "m"); }, {"m.std", "positive"});
  expect_error([] { preprocessing_from_json(R"({"resize": 5000})", "m"); }, {"m.resize", "0..4096"});
  expect_error([] { preprocessing_from_json(R"({"crop": "centre", "crop_padding": 4})", "m"); }, {"m.crop_padding"});
}

TEST(ImageFile, DecodesGreyAndColourWithoutAlphaAndNamesBadFiles) {
  shrewd::testing::TempDir dir;
  const std::vector<std::uint8_t> grey_alpha = {10, 255, 20, 128}, rgba = {1, 2, 3, 255, 4, 5, 6, 0};
  ASSERT_TRUE(stbi_write_png((dir / "ga.png").c_str(), 2, 1, 2, grey_alpha.data(), 0));
  ASSERT_TRUE(stbi_write_png((dir / "rgba.png").c_str(), 2, 1, 4, rgba.data(), 0));
  const auto grey = formats::read_image_file(dir / "ga.png");
  EXPECT_EQ(grey.channels, 1);
  EXPECT_EQ(grey.pixels, (std::vector<std::uint8_t>{10, 20}));
  const auto colour = formats::read_image_file(dir / "rgba.png");
  EXPECT_EQ(colour.channels, 3);
  EXPECT_EQ(colour.pixels, (std::vector<std::uint8_t>{1, 2, 3, 4, 5, 6}));
  // An upload is the same bytes through the same decoder.
  EXPECT_EQ(formats::decode_image(read_file(dir / "rgba.png")).pixels, colour.pixels);

  expect_error([&] { formats::read_image_file(dir / "missing.png"); }, {"missing.png", "cannot open"});
  shrewd::testing::write_bytes(dir / "junk.png", "not an image");
  expect_error([&] { formats::read_image_file(dir / "junk.png"); }, {"junk.png", "not a readable"});
}

}  // namespace
}  // namespace shrewd::data
