#pragma once

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "shrewd/formats/image_file.hpp"

namespace shrewd::data {

// One image as floats in [0, 1], channel planes: values[(c * height + y) * width + x].
struct ImageItem {
  int channels = 0, height = 0, width = 0;
  std::vector<float> values;
};

// Decoded pixels (formats::Image, interleaved bytes) as an ImageItem: byte / 255.
ImageItem to_item(const formats::Image& image);

enum class Crop { None, Centre, Random };
NLOHMANN_JSON_SERIALIZE_ENUM(Crop, {{Crop::None, "none"}, {Crop::Centre, "centre"}, {Crop::Random, "random"}})

// How an image becomes a model's input, in this order: channels, resize of the shorter side, crop
// (with padding), flip, normalisation. Training, `shrewd encode` and `shrewd serve` apply it with
// the one function below; the random parts (random crop offset, padding shift, flip) only in
// training. A model file stores it (docs/training.md, "Preprocessing").
struct Preprocessing {
  int channels = 0;       // 1 (grey) or 3 (RGB); 0 keeps the data's own
  int resize = 0;         // the shorter side becomes this many pixels, aspect kept; 0 keeps the size
  Crop crop = Crop::None; // a square crop: centre, or random in training (centre otherwise)
  int crop_size = 0;      // the crop's side; 0: resize (or the shorter side without resize)
  int crop_padding = 0;   // training: zero padding on each side before the crop is placed (crop none or random)
  bool flip = false;      // training: left-right flip with probability 1/2
  std::vector<float> mean, std;  // (x - mean[c]) / std[c]; one value for all channels; empty: none

  bool operator==(const Preprocessing&) const = default;
  // Only normalisation: what feature vectors (and old model files) may have.
  bool geometry_is_identity() const { return channels == 0 && resize == 0 && crop == Crop::None && crop_padding == 0 && !flip; }
};

// Fails with an Error naming `where` + ".key" unless every value is in range (sizes 0..4096,
// channels 0, 1 or 3, padding 0..1024, as many positive std values as mean values, one or three).
void check_preprocessing(const Preprocessing& preprocessing, const std::string& where);

// The JSON text a model file stores, and back (unknown keys and bad values are Errors naming `where`).
std::string preprocessing_to_json(const Preprocessing& preprocessing);
Preprocessing preprocessing_from_json(const std::string& text, const std::string& where);

// For model files saved before preprocessing was stored: images [C, H, W] with H == W are converted
// to C channels, resized to H and centre-cropped (the identity for data already of that size);
// anything else gets no preprocessing.
Preprocessing preprocessing_for_input_shape(const std::vector<std::int64_t>& input_shape);

// The [C, H, W] an image of [channels, height, width] becomes; an Error naming `item` when the crop
// does not fit or the channels cannot be converted.
std::vector<std::int64_t> output_shape(const Preprocessing& preprocessing, int channels, int height, int width,
                                       const std::string& item);

// The random stream of item `index` in epoch `epoch` of a run seeded with `seed`: each item's
// augmentation depends on these three only (not on batches, workers or timing).
std::mt19937_64 item_random(std::uint64_t seed, std::uint64_t epoch, std::uint64_t index);

// Writes the preprocessed image into `out` (the product of output_shape floats). With `random`
// (training) the random parts are drawn from it; with nullptr (evaluation) the crop is centred,
// without padding or flip. `item` names the image in Errors.
void preprocess_image(const Preprocessing& preprocessing, ImageItem image, std::mt19937_64* random, float* out,
                      const std::string& item);

// Feature vectors take normalisation only: out[d] = (in[d] - mean[d]) / std[d].
void preprocess_features(const Preprocessing& preprocessing, const float* in, std::int64_t dims, float* out);

}  // namespace shrewd::data
