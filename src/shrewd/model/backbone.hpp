#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include <torch/nn/module.h>

#include "shrewd/model/hash_model.hpp"

namespace shrewd::model {

// A feature extractor: [B, input_shape...] -> [B, output_dim()].
class Backbone : public torch::nn::Module {
 public:
  virtual at::Tensor forward(const at::Tensor& x) = 0;
  virtual std::int64_t output_dim() const = 0;
};

// The backbone the options name ("cnn", "resnet18", "mlp" or a TorchScript file; `script` as in
// HashModelImpl).
std::shared_ptr<Backbone> make_backbone(const HashModelOptions& options, const std::string& script);

// Small VGG-style CNN for 28x28 / 32x32 images: per width w in channels: conv3x3(w) BN ReLU
// maxpool2, then flatten -> FC(feature_dim) BN ReLU.
std::shared_ptr<Backbone> make_small_cnn(const HashModelOptions& options);
// CIFAR-style ResNet-18: conv3x3(64) stem without max pooling, 4 stages of 2 basic blocks
// (64, 128, 256, 512; stride 2 from stage 2), global average pooling -> 512.
std::shared_ptr<Backbone> make_resnet18(const HashModelOptions& options);
// MLP for feature vectors: Linear ReLU (Dropout) per hidden size.
std::shared_ptr<Backbone> make_mlp(const HashModelOptions& options);
// A TorchScript module whose forward maps [B, input_shape...] to [B, ...] (flattened to
// [B, D]); its parameters are trained with the rest.
std::shared_ptr<Backbone> make_torchscript_backbone(const HashModelOptions& options, const std::string& script);

}  // namespace shrewd::model
