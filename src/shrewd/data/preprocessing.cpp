#include "shrewd/data/preprocessing.hpp"

#include <fmt/format.h>
#include <stb_image_resize.h>

#include <algorithm>
#include <cmath>

#include "shrewd/common/error.hpp"

namespace shrewd::data {
namespace {

constexpr int kMaxSide = 4096;

void in_range(const std::string& where, const char* key, int value, int low, int high) {
  if (value < low || value > high)
    fail(where + "." + key, fmt::format("must be in {}..{}, got {}", low, high, value));
}

// The channels of `image` turned into `channels` (0: kept).
ImageItem with_channels(ImageItem image, int channels, const std::string& item) {
  if (channels == 0 || channels == image.channels) return image;
  const std::size_t plane = std::size_t(image.height) * std::size_t(image.width);
  ImageItem out{channels, image.height, image.width, std::vector<float>(plane * std::size_t(channels))};
  if (channels == 3 && image.channels == 1) {
    for (int c = 0; c < 3; ++c) std::copy_n(image.values.begin(), plane, out.values.begin() + std::ptrdiff_t(c * plane));
  } else if (channels == 1 && image.channels == 3) {
    const float *r = image.values.data(), *g = r + plane, *b = g + plane;
    for (std::size_t p = 0; p < plane; ++p) out.values[p] = formats::grey_level(r[p], g[p], b[p]);
  } else {
    fail(item, fmt::format("cannot convert {} channels to {}", image.channels, channels));
  }
  return out;
}

// The size after resizing the shorter side to `resize` (0: unchanged), aspect kept.
std::pair<int, int> resized_size(int height, int width, int resize) {
  if (resize == 0 || std::min(height, width) == resize) return {height, width};
  const double scale = double(resize) / double(std::min(height, width));
  const auto scaled = [&](int side) { return std::max(1, int(std::lround(double(side) * scale))); };
  return height <= width ? std::pair{resize, scaled(width)} : std::pair{scaled(height), resize};
}

ImageItem resized(ImageItem image, int resize, const std::string& item) {
  const auto [height, width] = resized_size(image.height, image.width, resize);
  if (height == image.height && width == image.width) return image;
  ImageItem out{image.channels, height, width, std::vector<float>(std::size_t(image.channels) * std::size_t(height) * std::size_t(width))};
  for (int c = 0; c < image.channels; ++c) {
    const float* from = image.values.data() + std::size_t(c) * std::size_t(image.height) * std::size_t(image.width);
    float* to = out.values.data() + std::size_t(c) * std::size_t(height) * std::size_t(width);
    if (!stbir_resize_float(from, image.width, image.height, 0, to, width, height, 0, 1))
      fail(item, "cannot resize the image");
  }
  return out;
}

// The side of the square crop for an image of height x width after resizing; 0 without a crop.
int crop_side(const Preprocessing& p, int height, int width) {
  if (p.crop == Crop::None) return 0;
  if (p.crop_size > 0) return p.crop_size;
  if (p.resize > 0) return p.resize;
  return std::min(height, width);
}

}  // namespace

ImageItem to_item(const formats::Image& image) {
  ImageItem item{image.channels, image.height, image.width, {}};
  const std::size_t plane = std::size_t(image.height) * std::size_t(image.width);
  item.values.resize(plane * std::size_t(image.channels));
  for (std::size_t p = 0; p < plane; ++p)
    for (int c = 0; c < image.channels; ++c)
      item.values[std::size_t(c) * plane + p] = float(image.pixels[p * std::size_t(image.channels) + std::size_t(c)]) / 255.0f;
  return item;
}

void check_preprocessing(const Preprocessing& p, const std::string& where) {
  if (p.channels != 0 && p.channels != 1 && p.channels != 3)
    fail(where + ".channels", fmt::format("must be 0 (the data's own), 1 or 3, got {}", p.channels));
  in_range(where, "resize", p.resize, 0, kMaxSide);
  in_range(where, "crop_size", p.crop_size, 0, kMaxSide);
  in_range(where, "crop_padding", p.crop_padding, 0, 1024);
  if (p.crop == Crop::None && p.crop_size > 0) fail(where + ".crop_size", "is set but crop is none (use centre or random)");
  if (p.crop == Crop::Centre && p.crop_padding > 0)
    fail(where + ".crop_padding", "needs crop none or random (a centred crop does not move)");
  if (p.mean.size() != p.std.size())
    fail(where + ".std", fmt::format("needs as many values as mean ({}), got {}", p.mean.size(), p.std.size()));
  for (float value : p.mean)
    if (!std::isfinite(value)) fail(where + ".mean", "values must be finite");
  for (float value : p.std)
    if (!(std::isfinite(value) && value > 0.0f)) fail(where + ".std", "values must be positive and finite");
}

std::string preprocessing_to_json(const Preprocessing& p) {
  const nlohmann::json json = {{"channels", p.channels},         {"resize", p.resize}, {"crop", p.crop},
                               {"crop_size", p.crop_size},       {"crop_padding", p.crop_padding},
                               {"flip", p.flip},                 {"mean", p.mean},     {"std", p.std}};
  return json.dump();
}

Preprocessing preprocessing_from_json(const std::string& text, const std::string& where) {
  Preprocessing p;
  try {
    const auto json = nlohmann::json::parse(text);
    if (!json.is_object()) fail(where, "must be a JSON object");
    for (const auto& [key, value] : json.items()) {
      if (key == "channels") p.channels = value.get<int>();
      else if (key == "resize") p.resize = value.get<int>();
      else if (key == "crop") {
        const auto word = value.get<std::string>();
        if (word != "none" && word != "centre" && word != "random") fail(where + ".crop", "unknown crop '" + word + "'");
        p.crop = value.get<Crop>();
      } else if (key == "crop_size") p.crop_size = value.get<int>();
      else if (key == "crop_padding") p.crop_padding = value.get<int>();
      else if (key == "flip") p.flip = value.get<bool>();
      else if (key == "mean") p.mean = value.get<std::vector<float>>();
      else if (key == "std") p.std = value.get<std::vector<float>>();
      else fail(where, "unknown key '" + key + "'");
    }
  } catch (const nlohmann::json::exception& error) {
    fail(where, error.what());
  }
  check_preprocessing(p, where);
  return p;
}

Preprocessing preprocessing_for_input_shape(const std::vector<std::int64_t>& shape) {
  Preprocessing p;
  if (shape.size() == 3 && (shape[0] == 1 || shape[0] == 3) && shape[1] == shape[2] && shape[1] >= 1 &&
      shape[1] <= kMaxSide) {
    p.channels = int(shape[0]);
    p.resize = int(shape[1]);
    p.crop = Crop::Centre;
  }
  return p;
}

std::vector<std::int64_t> output_shape(const Preprocessing& p, int channels, int height, int width,
                                       const std::string& item) {
  const int out_channels = p.channels == 0 ? channels : p.channels;
  if (out_channels != channels && !((channels == 1 || channels == 3) && (out_channels == 1 || out_channels == 3)))
    fail(item, fmt::format("cannot convert {} channels to {}", channels, out_channels));
  const auto [h, w] = resized_size(height, width, p.resize);
  const int side = crop_side(p, h, w);
  if (side == 0) return {out_channels, h, w};
  if (side > h || side > w)
    fail(item, fmt::format("a crop of {} x {} does not fit the image of {} x {} (after resizing); set "
                           "preprocessing.resize to at least preprocessing.crop_size", side, side, w, h));
  return {out_channels, side, side};
}

std::mt19937_64 item_random(std::uint64_t seed, std::uint64_t epoch, std::uint64_t index) {
  std::seed_seq sequence{std::uint32_t(seed),  std::uint32_t(seed >> 32),  std::uint32_t(epoch),
                         std::uint32_t(epoch >> 32), std::uint32_t(index), std::uint32_t(index >> 32),
                         0x41554721u};
  return std::mt19937_64(sequence);
}

void preprocess_image(const Preprocessing& p, ImageItem image, std::mt19937_64* random, float* out,
                      const std::string& item) {
  const auto shape = output_shape(p, image.channels, image.height, image.width, item);
  image = resized(with_channels(std::move(image), p.channels, item), p.resize, item);
  const int channels = image.channels, height = int(shape[1]), width = int(shape[2]);
  // The window's top-left corner in the image; outside the image (padding) reads 0.
  int top = (image.height - height) / 2, left = (image.width - width) / 2;
  bool flip = false;
  if (random) {
    const int pad = p.crop_padding;
    if (p.crop != Crop::Centre) {
      std::uniform_int_distribution<int> rows(-pad, image.height - height + pad), columns(-pad, image.width - width + pad);
      top = rows(*random);
      left = columns(*random);
    }
    flip = p.flip && std::bernoulli_distribution(0.5)(*random);
  }
  for (int c = 0; c < channels; ++c) {
    const std::size_t k = p.mean.size() == 1 ? 0 : std::size_t(c);
    const bool normalise = !p.mean.empty();
    const float mean = normalise ? p.mean[k] : 0.0f, std = normalise ? p.std[k] : 1.0f;
    const float* plane = image.values.data() + std::size_t(c) * std::size_t(image.height) * std::size_t(image.width);
    for (int y = 0; y < height; ++y) {
      const int sy = top + y;
      float* row = out + (std::size_t(c) * std::size_t(height) + std::size_t(y)) * std::size_t(width);
      for (int x = 0; x < width; ++x) {
        const int sx = left + (flip ? width - 1 - x : x);
        const float value = (sy >= 0 && sy < image.height && sx >= 0 && sx < image.width)
                                ? plane[std::size_t(sy) * std::size_t(image.width) + std::size_t(sx)]
                                : 0.0f;
        row[x] = normalise ? (value - mean) / std : value;
      }
    }
  }
}

void preprocess_features(const Preprocessing& p, const float* in, std::int64_t dims, float* out) {
  if (p.mean.empty()) {
    std::copy_n(in, dims, out);
    return;
  }
  for (std::int64_t d = 0; d < dims; ++d) {
    const std::size_t k = p.mean.size() == 1 ? 0 : std::size_t(d);
    out[d] = (in[d] - p.mean[k]) / p.std[k];
  }
}

}  // namespace shrewd::data
