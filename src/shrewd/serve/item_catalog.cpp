#include "shrewd/serve/item_catalog.hpp"

#include <cmath>
#include <fmt/format.h>

#include "shrewd/common/error.hpp"
#include "shrewd/common/npy.hpp"

namespace shrewd::serve {

ImageSet::ImageSet(std::size_t count, int height, int width, int channels, std::vector<std::uint8_t> pixels)
    : count_(count), height_(height), width_(width), channels_(channels), pixels_(std::move(pixels)) {
  if (height <= 0 || width <= 0 || (channels != 1 && channels != 3 && channels != 4) ||
      pixels_.size() != count * std::size_t(height) * std::size_t(width) * std::size_t(channels))
    fail("images", fmt::format("pixel buffer does not match {} x {} x {} x {}", count, height, width, channels));
}

ImageSet ImageSet::from_npy(const std::filesystem::path& path) {
  NpyArray array = read_npy(path);
  array.require_dtype(DType::UInt8);
  const auto& shape = array.shape;
  if (shape.size() != 3 && shape.size() != 4)
    fail(path.string(), "images must be uint8 [N, H, W] or [N, H, W, C], got shape " + array.shape_text());
  const std::size_t channels = shape.size() == 4 ? shape[3] : 1;
  if (channels != 1 && channels != 3 && channels != 4)
    fail(path.string(), fmt::format("images must have 1, 3 or 4 channels (last axis), got {}", channels));
  if (shape[1] == 0 || shape[2] == 0 || shape[1] > 4096 || shape[2] > 4096)
    fail(path.string(), fmt::format("image size {} x {} is outside 1..4096 per side", shape[1], shape[2]));
  const auto values = array.values<std::uint8_t>();
  return ImageSet(shape[0], int(shape[1]), int(shape[2]), int(channels),
                  std::vector<std::uint8_t>(values.begin(), values.end()));
}

Image ImageSet::image(std::size_t item) const {
  if (item >= count_) fail("images", fmt::format("item {} has no image", item));
  const std::size_t per_image = std::size_t(height_) * std::size_t(width_) * std::size_t(channels_);
  const auto first = pixels_.begin() + std::ptrdiff_t(item * per_image);
  return Image{width_, height_, channels_, std::vector<std::uint8_t>(first, first + std::ptrdiff_t(per_image))};
}

std::optional<std::int64_t> ItemCatalog::label_of(std::int64_t item) const {
  if (item < 0 || std::size_t(item) >= labels.size()) return std::nullopt;
  return labels[std::size_t(item)];
}

std::optional<std::string> ItemCatalog::class_name_of(std::int64_t label) const {
  if (label < 0 || std::size_t(label) >= class_names.size()) return std::nullopt;
  return class_names[std::size_t(label)];
}

std::size_t ItemCatalog::class_count() const {
  if (!class_similarity.empty()) return class_similarity.size();
  if (!class_names.empty()) return class_names.size();
  std::int64_t largest = -1;
  for (const auto label : labels) largest = std::max(largest, label);
  return std::size_t(largest + 1);
}

std::optional<double> ItemCatalog::similarity(std::int64_t label_a, std::int64_t label_b) const {
  const auto classes = std::int64_t(class_count());
  if (label_a < 0 || label_b < 0 || label_a >= classes || label_b >= classes) return std::nullopt;
  if (class_similarity.empty()) return label_a == label_b ? 1.0 : 0.0;
  return class_similarity[std::size_t(label_a)][std::size_t(label_b)];
}

void ItemCatalog::validate() const {
  for (std::size_t i = 0; i < labels.size(); ++i)
    if (labels[i] < 0) fail("labels", fmt::format("item {} has the negative label {}", i, labels[i]));
  if (!class_names.empty())
    for (std::size_t i = 0; i < labels.size(); ++i)
      if (std::size_t(labels[i]) >= class_names.size())
        fail("labels", fmt::format("item {} has label {} but there are only {} class names",
                                   i, labels[i], class_names.size()));
  if (class_similarity.empty()) return;
  const std::size_t classes = class_similarity.size();
  if (!class_names.empty() && class_names.size() != classes)
    fail("hierarchy", fmt::format("gives similarities for {} classes but there are {} class names",
                                  classes, class_names.size()));
  for (std::size_t a = 0; a < classes; ++a) {
    if (class_similarity[a].size() != classes) fail("hierarchy", "class similarity matrix is not square");
    for (const double s : class_similarity[a])
      if (!std::isfinite(s) || s < 0.0 || s > 1.0) fail("hierarchy", "class similarity outside [0, 1]");
  }
  for (std::size_t i = 0; i < labels.size(); ++i)
    if (std::size_t(labels[i]) >= classes)
      fail("labels", fmt::format("item {} has label {} outside the hierarchy's {} classes", i, labels[i], classes));
}

}  // namespace shrewd::serve
