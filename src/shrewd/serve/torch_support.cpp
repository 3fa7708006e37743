#include "shrewd/serve/torch_support.hpp"

#include <mutex>

#include <fmt/format.h>
#include <torch/torch.h>

#include "shrewd/common/error.hpp"
#include "shrewd/data/batch_loader.hpp"
#include "shrewd/data/load_dataset.hpp"
#include "shrewd/data/preprocessing.hpp"
#include "shrewd/model/hash_model.hpp"
#include "shrewd/train/encode.hpp"

namespace shrewd::serve {
namespace {

class ModelEncoder : public QueryEncoder {
 public:
  explicit ModelEncoder(const std::filesystem::path& path)
      : path_(path), model_(model::load_model(path)), preprocessing_(train::model_preprocessing(model_, path.string())) {
    shape_ = model_->options().input_shape;
    if (shape_.size() != 3 || (shape_[0] != 1 && shape_[0] != 3))
      fail(path.string(), "the model does not take images ([1 or 3, H, W]), so it cannot encode uploads");
  }

  std::size_t bits() const override { return std::size_t(model_->options().bits); }

  CodeMatrix encode(const Image& image) const override { return train::codes_from_outputs(outputs_of(image)); }

  std::vector<float> outputs(const Image& image) const override {
    const torch::Tensor z = outputs_of(image);
    return std::vector<float>(z.data_ptr<float>(), z.data_ptr<float>() + z.numel());
  }

  std::string description() const override {
    return fmt::format("{} ({}, {} bits, {}x{}x{} input)", path_.filename().string(), model_->options().backbone, bits(),
                       shape_[0], shape_[1], shape_[2]);
  }

 private:
  // z [1, K] of the upload: it goes through the model's preprocessing (evaluation: no random
  // parts), as the same file in a dataset does in `shrewd encode` and in training's validation.
  torch::Tensor outputs_of(const Image& image) const {
    data::ImageItem item = data::to_item(image);
    const auto shape = data::output_shape(preprocessing_, item.channels, item.height, item.width, "image");
    if (shape != shape_)
      fail("image", fmt::format("{} x {} pixels do not give the model's input after its preprocessing (the model was "
                                "trained on images of one size without preprocessing.resize and crop)",
                                image.width, image.height));
    auto input = torch::empty({1, shape_[0], shape_[1], shape_[2]}, torch::kFloat32);
    data::preprocess_image(preprocessing_, std::move(item), nullptr, input.data_ptr<float>(), "image");
    std::lock_guard lock(mutex_);  // encode_outputs switches the module's mode while it runs
    return train::encode_outputs(model_, input, torch::kCPU, 1);
  }

  std::filesystem::path path_;
  mutable model::HashModel model_;
  data::Preprocessing preprocessing_;
  std::vector<std::int64_t> shape_;
  mutable std::mutex mutex_;
};

// Images on disk as thumbnails for the page (RGB, the shorter side resized to 64 and centre-cropped),
// decoded by two workers: float32 [N, 3, 64, 64] in [0, 1].
torch::Tensor thumbnails(const data::Dataset& dataset) {
  data::BatchOptions options;
  options.batch_size = 256;
  options.shuffle = false;
  options.workers = 2;
  options.preprocessing.channels = 3;
  options.preprocessing.resize = 64;
  options.preprocessing.crop = data::Crop::Centre;
  data::BatchLoader loader(dataset, options);
  std::vector<torch::Tensor> parts;
  for (const auto& batch : loader) parts.push_back(batch.inputs);
  return torch::cat(parts);
}

data::DataSource parse_dataset_spec(const std::string& spec) {
  data::DataSource source;
  const auto first = spec.find(':');
  source.format = spec.substr(0, first);
  if (first != std::string::npos) {
    const auto second = spec.find(':', first + 1);
    const std::string split = spec.substr(first + 1, second == std::string::npos ? std::string::npos : second - first - 1);
    if (split != "train" && split != "test")
      fail("--dataset", "\"" + spec + "\": the split must be train or test (format:split[:path])");
    source.train = split == "train";
    if (second != std::string::npos) source.path = spec.substr(second + 1);
  } else {
    source.train = false;
  }
  return source;
}

}  // namespace

void add_dataset(const std::string& spec, ItemCatalog& catalog) {
  const data::Dataset dataset = data::load_dataset(parse_dataset_spec(spec));
  if (dataset.labels.defined()) {
    const auto labels = dataset.labels.to(torch::kInt64).contiguous();
    catalog.labels.assign(labels.data_ptr<std::int64_t>(), labels.data_ptr<std::int64_t>() + labels.numel());
  }
  catalog.class_names = dataset.class_names;
  if (dataset.is_image()) {
    const auto inputs = dataset.image_files.empty() ? dataset.inputs : thumbnails(dataset);
    const auto& sizes = inputs.sizes();
    const int channels = int(sizes[1]), height = int(sizes[2]), width = int(sizes[3]);
    if (channels != 1 && channels != 3) fail(dataset.source, fmt::format("images with {} channels cannot be shown", channels));
    const auto bytes = inputs.mul(255.0).round().clamp(0, 255).to(torch::kUInt8).permute({0, 2, 3, 1}).contiguous();
    catalog.images = ImageSet(std::size_t(sizes[0]), height, width, channels,
                              std::vector<std::uint8_t>(bytes.data_ptr<std::uint8_t>(),
                                                        bytes.data_ptr<std::uint8_t>() + bytes.numel()));
  }
}

std::shared_ptr<const QueryEncoder> load_model_encoder(const std::filesystem::path& model_file) {
  return std::make_shared<ModelEncoder>(model_file);
}

}  // namespace shrewd::serve
