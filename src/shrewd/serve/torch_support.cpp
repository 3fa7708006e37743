#include "shrewd/serve/torch_support.hpp"

#include <mutex>

#include <torch/torch.h>

#include "shrewd/common/error.hpp"
#include "shrewd/data/load_dataset.hpp"
#include "shrewd/model/hash_model.hpp"
#include "shrewd/train/encode.hpp"

namespace shrewd::serve {
namespace {

class ModelEncoder : public QueryEncoder {
 public:
  explicit ModelEncoder(const std::filesystem::path& path) : path_(path), model_(model::load_model(path)) {
    const auto& shape = model_->options().input_shape;
    if (shape.size() != 3 || (shape[0] != 1 && shape[0] != 3))
      fail(path.string(), "the model does not take images ([1 or 3, H, W]), so it cannot encode uploads");
    channels_ = int(shape[0]);
    height_ = int(shape[1]);
    width_ = int(shape[2]);
  }

  std::size_t bits() const override { return std::size_t(model_->options().bits); }

  CodeMatrix encode(const Image& image) const override {
    const Image input = convert_image(image, width_, height_, channels_);
    // Interleaved HWC bytes -> float [1, C, H, W] in [0, 1].
    auto pixels = torch::from_blob(const_cast<std::uint8_t*>(input.pixels.data()), {1, height_, width_, channels_},
                                   torch::kUInt8)
                      .permute({0, 3, 1, 2})
                      .to(torch::kFloat32)
                      .div(255.0)
                      .contiguous();
    std::lock_guard lock(mutex_);  // encode_outputs switches the module's mode while it runs
    const torch::Tensor z = train::encode_outputs(model_, pixels, torch::kCPU, 1);
    return train::codes_from_outputs(z);
  }

  std::string description() const override {
    return path_.filename().string() + " (" + model_->options().backbone + ", " + std::to_string(bits()) + " bits, " +
           std::to_string(channels_) + "x" + std::to_string(height_) + "x" + std::to_string(width_) + " input)";
  }

 private:
  std::filesystem::path path_;
  mutable model::HashModel model_;
  mutable std::mutex mutex_;
  int channels_ = 1, height_ = 0, width_ = 0;
};

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
    const auto& sizes = dataset.inputs.sizes();
    const int channels = int(sizes[1]), height = int(sizes[2]), width = int(sizes[3]);
    if (channels != 1 && channels != 3) fail(dataset.source, "images with " + std::to_string(channels) + " channels cannot be shown");
    const auto bytes = dataset.inputs.mul(255.0).round().clamp(0, 255).to(torch::kUInt8).permute({0, 2, 3, 1}).contiguous();
    catalog.images = ImageSet(std::size_t(sizes[0]), height, width, channels,
                              std::vector<std::uint8_t>(bytes.data_ptr<std::uint8_t>(),
                                                        bytes.data_ptr<std::uint8_t>() + bytes.numel()));
  }
}

std::shared_ptr<const QueryEncoder> load_model_encoder(const std::filesystem::path& model_file) {
  return std::make_shared<ModelEncoder>(model_file);
}

}  // namespace shrewd::serve
