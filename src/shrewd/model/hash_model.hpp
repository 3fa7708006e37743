#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include <torch/nn/module.h>
#include <torch/nn/modules/dropout.h>
#include <torch/nn/modules/linear.h>
#include <torch/nn/pimpl.h>

namespace shrewd::model {

struct HashModelOptions {
  std::string backbone = "cnn";           // cnn | resnet18 | mlp | path to a TorchScript .pt file
  std::vector<std::int64_t> input_shape;  // [C, H, W] for images or [D] for features
  std::int64_t bits = 64;                 // K, multiple of 8, 8..1024 (check_code_bits)
  std::int64_t classes = 0;               // 0: no classifier head
  std::vector<std::int64_t> hidden;       // mlp hidden sizes (default {512, 512} when empty)
  double dropout = 0.0;                   // before the hash layer (and between mlp layers)
  std::vector<std::int64_t> channels;     // cnn conv widths (default {32, 64, 128} when empty)
  std::int64_t convs_per_stage = 1;       // cnn: convolutions per width (the extra ones after pooling)
  std::int64_t feature_dim = 0;           // cnn: width of the FC layer after the convs (0: 256)
};

// The options as a JSON object text and back; unknown keys and bad values are Errors.
std::string options_to_json(const HashModelOptions& options);
HashModelOptions options_from_json(const std::string& json);
// The options with the backbone's defaults in place of the empty and 0 values that stand for them
// (cnn: channels and feature_dim; mlp: hidden), as the backbone builds them.
HashModelOptions with_backbone_defaults(HashModelOptions options);
// Fails with an Error naming the option unless the options describe a buildable model.
void validate_options(const HashModelOptions& options);

// u = head(features), z = tanh(u), logits = classifier(z) (undefined when classes == 0).
struct HashOutput {
  at::Tensor u, z, logits;
};

class Backbone;

// backbone -> (dropout) -> linear to K -> tanh, plus a linear classifier on z when classes > 0.
class HashModelImpl : public torch::nn::Module {
 public:
  // For a TorchScript backbone, `script` holds the serialized module (the bytes of the .pt file);
  // when empty, the file named by options.backbone is read.
  explicit HashModelImpl(HashModelOptions options, std::string script = {});
  HashOutput forward(const at::Tensor& x);
  // The classifier head applied to other codes than z (GreedyHash classifies sign(u)); an Error
  // when the model has no classifier.
  at::Tensor classify(const at::Tensor& codes);
  const HashModelOptions& options() const { return options_; }
  // The backbone's output width (the hash layer's input).
  std::int64_t feature_dim() const { return feature_dim_; }
  // The feature extractor; its parameters are a subset of parameters() (the rest is the head).
  Backbone& backbone() { return *backbone_; }
  // The TorchScript backbone's bytes, which save_model stores; empty for built-in backbones.
  const std::string& script() const { return script_; }
  // How inputs are prepared for this model (data::preprocessing_to_json), which save_model stores;
  // empty for model files saved before it was stored.
  const std::string& preprocessing() const { return preprocessing_; }
  void set_preprocessing(std::string json) { preprocessing_ = std::move(json); }

 private:
  HashModelOptions options_;
  std::string script_;
  std::string preprocessing_;
  std::int64_t feature_dim_ = 0;
  std::shared_ptr<Backbone> backbone_;
  torch::nn::Dropout dropout_{nullptr};
  torch::nn::Linear hash_{nullptr};
  torch::nn::Linear classifier_{nullptr};
};

TORCH_MODULE(HashModel);

// Writes the model atomically: options (JSON), parameters and buffers, and for TorchScript
// backbones the script itself, so load_model needs nothing else.
void save_model(HashModel& model, const std::filesystem::path& path);
HashModel load_model(const std::filesystem::path& path, at::Device device = at::kCPU);

}  // namespace shrewd::model
