// Image files (src/shrewd/formats/image_file.*: JPEG through libjpeg-turbo, PNG through libpng, any
// other format refused), as image datasets and uploads to `shrewd serve` decode them, then the one preprocessing
// (src/shrewd/data/preprocessing.*) as training (random parts on) or encode and serve apply it.
// Byte 0 picks the preprocessing: bits 0-1 channels (keep, grey, RGB), bit 2 resize to 24, bits
// 3-4 crop (none, centre, random; 16 pixels), bit 5 flip, bit 6 padding 2, bit 7 the random parts.
// The rest is the file.
#include <cstddef>
#include <cstdint>
#include <random>
#include <string_view>
#include <vector>

#include "shrewd/common/error.hpp"
#include "shrewd/data/preprocessing.hpp"
#include "shrewd/formats/image_file.hpp"

namespace {

shrewd::data::Preprocessing preprocessing_for(std::uint8_t bits) {
  shrewd::data::Preprocessing p;
  using shrewd::data::Crop;
  constexpr int kChannels[] = {0, 1, 3, 3};
  constexpr Crop kCrops[] = {Crop::None, Crop::Centre, Crop::Random, Crop::Random};
  p.channels = kChannels[bits & 3];
  p.resize = bits & 4 ? 24 : 0;
  p.crop = kCrops[(bits >> 3) & 3];
  if (p.crop != Crop::None) p.crop_size = 16;
  p.flip = bits & 32;
  p.crop_padding = bits & 64 ? 2 : 0;
  p.mean = {0.5f};
  p.std = {0.25f};
  return p;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  const auto preprocessing = preprocessing_for(data[0]);
  const std::string_view file(reinterpret_cast<const char*>(data + 1), size - 1);
  try {
    shrewd::data::check_preprocessing(preprocessing, "fuzz");
    const auto image = shrewd::formats::decode_image(file);
    const auto shape = shrewd::data::output_shape(preprocessing, image.channels, image.height, image.width, "fuzz");
    std::vector<float> out(static_cast<std::size_t>(shape[0] * shape[1] * shape[2]));
    std::mt19937_64 random(1);
    shrewd::data::preprocess_image(preprocessing, shrewd::data::to_item(image), data[0] & 128 ? &random : nullptr,
                                   out.data(), "fuzz");
  } catch (const shrewd::Error&) {
  }
  return 0;
}
