#include "shrewd/data/dataset.hpp"

#include <ATen/ATen.h>
#include <fmt/format.h>

#include "shrewd/common/error.hpp"

namespace shrewd::data {

std::int64_t Dataset::size() const {
  if (!image_files.empty()) return std::int64_t(image_files.size());
  return inputs.defined() ? inputs.size(0) : 0;
}

ImageItem Dataset::image(std::int64_t item) const {
  if (!image_files.empty()) return to_item(formats::read_image_file(image_files.at(std::size_t(item))));
  if (!is_image()) fail(source, "holds feature vectors, not images");
  const auto pixels = inputs[item].contiguous();
  ImageItem image{int(inputs.size(1)), int(inputs.size(2)), int(inputs.size(3)), {}};
  image.values.assign(pixels.data_ptr<float>(), pixels.data_ptr<float>() + pixels.numel());
  return image;
}

std::string Dataset::item_name(std::int64_t item) const {
  if (!image_files.empty()) return image_files.at(std::size_t(item)).string();
  return fmt::format("{} item {}", source, item);
}

std::int64_t Dataset::num_classes() const {
  if (!class_names.empty()) return std::int64_t(class_names.size());
  if (!labels.defined() || labels.numel() == 0) return 0;
  return labels.max().item<std::int64_t>() + 1;
}

Dataset Dataset::subset(const at::Tensor& indices) const {
  auto rows = indices.to(at::kLong);
  Dataset part;
  if (inputs.defined()) part.inputs = inputs.index_select(0, rows);
  if (!image_files.empty()) {
    auto picked = rows.contiguous();
    const auto* index = picked.data_ptr<std::int64_t>();
    part.image_files.reserve(std::size_t(picked.numel()));
    for (std::int64_t i = 0; i < picked.numel(); ++i) part.image_files.push_back(image_files.at(std::size_t(index[i])));
  }
  if (labels.defined()) part.labels = labels.index_select(0, rows);
  if (embeddings.defined()) part.embeddings = embeddings.index_select(0, rows);
  if (!captions.empty()) {
    auto picked = rows.contiguous();
    const auto* index = picked.data_ptr<std::int64_t>();
    part.captions.reserve(std::size_t(picked.numel()));
    for (std::int64_t i = 0; i < picked.numel(); ++i) part.captions.push_back(captions.at(std::size_t(index[i])));
  }
  part.class_names = class_names;
  part.source = source;
  return part;
}

Dataset to_dataset(const formats::LabelledImages& data) {
  const auto& images = data.images;
  Dataset dataset;
  dataset.source = data.source;
  auto bytes = at::from_blob(const_cast<std::uint8_t*>(images.pixels.data()),
                             {images.count, images.channels, images.height, images.width}, at::kByte);
  dataset.inputs = bytes.to(at::kFloat).div_(255.0f);
  dataset.labels = at::from_blob(const_cast<std::int64_t*>(data.labels.data()), {std::int64_t(data.labels.size())}, at::kLong)
                       .clone();
  dataset.class_names = data.class_names;
  validate(dataset);
  return dataset;
}

void validate(const Dataset& dataset) {
  const auto& where = dataset.source;
  if (dataset.inputs.defined() == !dataset.image_files.empty())
    fail(where, dataset.inputs.defined() ? "dataset has both inputs in memory and image files" : "dataset has no items");
  if (dataset.inputs.defined()) {
    if (dataset.inputs.scalar_type() != at::kFloat) fail(where, "inputs must be float32");
    if (dataset.inputs.dim() != 2 && dataset.inputs.dim() != 4)
      fail(where, "inputs must be [N, D] features or [N, C, H, W] images");
  }
  const auto n = dataset.size();
  if (dataset.labels.defined()) {
    if (dataset.labels.scalar_type() != at::kLong || dataset.labels.dim() != 1)
      fail(where, "labels must be int64 [N]");
    if (dataset.labels.size(0) != n)
      fail(where, fmt::format("{} labels for {} items", dataset.labels.size(0), n));
    if (n > 0 && dataset.labels.min().item<std::int64_t>() < 0) fail(where, "negative label");
    if (n > 0 && !dataset.class_names.empty() &&
        dataset.labels.max().item<std::int64_t>() >= std::int64_t(dataset.class_names.size()))
      fail(where, fmt::format("label out of range of the {} class names", dataset.class_names.size()));
  }
  if (dataset.embeddings.defined()) {
    if (dataset.embeddings.scalar_type() != at::kFloat || dataset.embeddings.dim() != 2)
      fail(where, "embeddings must be float32 [N, E]");
    if (dataset.embeddings.size(0) != n)
      fail(where, fmt::format("{} embeddings for {} items", dataset.embeddings.size(0), n));
  }
  if (!dataset.captions.empty() && std::int64_t(dataset.captions.size()) != n)
    fail(where, fmt::format("{} captions for {} items", dataset.captions.size(), n));
}

}  // namespace shrewd::data
