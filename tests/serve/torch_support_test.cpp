#include "shrewd/serve/torch_support.hpp"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include "shrewd/common/error.hpp"
#include "shrewd/model/hash_model.hpp"
#include "shrewd/serve/code_text.hpp"
#include "shrewd/train/encode.hpp"
#include "support/temp_dir.hpp"

namespace shrewd::serve {
namespace {

model::HashModel small_cnn(std::int64_t channels) {
  model::HashModelOptions options;
  options.backbone = "cnn";
  options.input_shape = {channels, 28, 28};
  options.bits = 32;
  options.channels = {4, 8};
  options.feature_dim = 16;
  torch::manual_seed(3);
  return model::HashModel(options);
}

Image stripes(int side, int channels) {
  Image image{side, side, channels, {}};
  for (int y = 0; y < side; ++y)
    for (int x = 0; x < side; ++x)
      for (int c = 0; c < channels; ++c) image.pixels.push_back(std::uint8_t((x / 3 % 2) * 200 + c * 20));
  return image;
}

TEST(ModelEncoder, EncodesAnUploadedImageExactlyAsTheModelEncodesItsTensor) {
  shrewd::testing::TempDir dir;
  auto model = small_cnn(1);
  model::save_model(model, dir / "model.pt");
  const auto encoder = load_model_encoder(dir / "model.pt");
  EXPECT_EQ(encoder->bits(), 32u);
  EXPECT_NE(encoder->description().find("32 bits"), std::string::npos) << encoder->description();

  const Image image = stripes(28, 1);
  const CodeMatrix code = encoder->encode(image);
  auto pixels = torch::tensor(std::vector<float>(image.pixels.begin(), image.pixels.end())).div(255.0).reshape({1, 1, 28, 28});
  const CodeMatrix expected = train::codes_from_outputs(train::encode_outputs(model, pixels, torch::kCPU));
  EXPECT_EQ(hex_of_code(code.span(), 0), hex_of_code(expected.span(), 0));

  // Other sizes and colour are converted to the model's input.
  EXPECT_EQ(encoder->encode(stripes(64, 3)).bits(), 32u);
}

TEST(ModelEncoder, AModelThatDoesNotTakeImagesIsRefused) {
  shrewd::testing::TempDir dir;
  model::HashModelOptions options;
  options.backbone = "mlp";
  options.input_shape = {20};
  options.bits = 16;
  model::HashModel mlp(options);
  model::save_model(mlp, dir / "mlp.pt");
  EXPECT_THROW(load_model_encoder(dir / "mlp.pt"), Error);
}

TEST(Dataset, FashionMnistTestGivesImagesLabelsAndClassNames) {
  ItemCatalog catalog;
  add_dataset("fashion-mnist:test", catalog);
  ASSERT_TRUE(catalog.images);
  EXPECT_EQ(catalog.images->size(), 10000u);
  EXPECT_EQ(catalog.images->width(), 28);
  EXPECT_EQ(catalog.images->channels(), 1);
  EXPECT_EQ(catalog.labels.size(), 10000u);
  ASSERT_EQ(catalog.class_names.size(), 10u);
  EXPECT_NO_THROW(catalog.validate());
  EXPECT_EQ(encode_png(catalog.images->image(0)).substr(1, 3), "PNG");
}

TEST(Dataset, ASpecWithAnUnknownSplitIsRefused) {
  ItemCatalog catalog;
  EXPECT_THROW(add_dataset("fashion-mnist:validation", catalog), Error);
}

}  // namespace
}  // namespace shrewd::serve
