#include <fmt/format.h>
#include <torch/nn/functional/activation.h>
#include <torch/nn/modules/batchnorm.h>
#include <torch/nn/modules/container/sequential.h>
#include <torch/nn/modules/conv.h>
#include <torch/nn/modules/dropout.h>
#include <torch/nn/modules/linear.h>

#include "shrewd/common/error.hpp"
#include "shrewd/model/backbone.hpp"

namespace shrewd::model {
namespace {

namespace F = torch::nn::functional;

torch::nn::Conv2d conv3x3(std::int64_t in, std::int64_t out, std::int64_t stride = 1) {
  return torch::nn::Conv2d(torch::nn::Conv2dOptions(in, out, 3).stride(stride).padding(1).bias(false));
}

// Every 4-D parameter (the convolution weights) in channels-last layout.
void convolutions_to_channels_last(torch::nn::Module& module) {
  for (auto& parameter : module.parameters())
    if (parameter.dim() == 4) parameter.set_data(parameter.contiguous(at::MemoryFormat::ChannelsLast));
}

class SmallCnn : public Backbone {
 public:
  explicit SmallCnn(const HashModelOptions& options) {
    const auto widths = with_backbone_defaults(options).channels;
    std::int64_t in = options.input_shape[0], h = options.input_shape[1], w = options.input_shape[2];
    for (std::size_t i = 0; i < widths.size(); ++i) {
      const auto stage = std::to_string(i);
      convs_.push_back(register_module("conv" + stage, conv3x3(in, widths[i])));
      norms_.push_back(register_module("bn" + stage, torch::nn::BatchNorm2d(widths[i])));
      for (std::int64_t j = 1; j < options.convs_per_stage; ++j) {
        const auto name = fmt::format("{}_{}", stage, j);
        extra_convs_.push_back(register_module("conv" + name, conv3x3(widths[i], widths[i])));
        extra_norms_.push_back(register_module("bn" + name, torch::nn::BatchNorm2d(widths[i])));
      }
      in = widths[i];
      h /= 2;
      w /= 2;
    }
    if (h < 1 || w < 1)
      fail("input_shape", fmt::format("the cnn halves the image {} times: {}x{} is too small",
                                      widths.size(), options.input_shape[1], options.input_shape[2]));
    dim_ = with_backbone_defaults(options).feature_dim;
    fc_ = register_module("fc", torch::nn::Linear(torch::nn::LinearOptions(in * h * w, dim_).bias(false)));
    fc_norm_ = register_module("fc_bn", torch::nn::BatchNorm1d(dim_));
    // Channels-last (NHWC) convolutions are faster than NCHW ones in LibTorch's oneDNN path on CPU
    // (training step of the default CNN: 1.1x); the weights start in that layout, forward() converts the input.
    convolutions_to_channels_last(*this);
  }

  at::Tensor forward(const at::Tensor& input) override {
    auto x = input.contiguous(at::MemoryFormat::ChannelsLast);
    // Pooling before BN and ReLU does their work on a quarter of the pixels; a stage's extra
    // convolutions run at the pooled size.
    const std::size_t extra = convs_.empty() ? 0 : extra_convs_.size() / convs_.size();
    for (std::size_t i = 0; i < convs_.size(); ++i) {
      x = torch::relu(norms_[i](at::max_pool2d(convs_[i](x), {2, 2})));
      for (std::size_t j = i * extra; j < (i + 1) * extra; ++j) x = torch::relu(extra_norms_[j](extra_convs_[j](x)));
    }
    return torch::relu(fc_norm_(fc_(x.flatten(1))));
  }
  std::int64_t output_dim() const override { return dim_; }

 private:
  std::vector<torch::nn::Conv2d> convs_;
  std::vector<torch::nn::BatchNorm2d> norms_;
  std::vector<torch::nn::Conv2d> extra_convs_;  // convs_per_stage - 1 per stage, stage by stage
  std::vector<torch::nn::BatchNorm2d> extra_norms_;
  torch::nn::Linear fc_{nullptr};
  torch::nn::BatchNorm1d fc_norm_{nullptr};
  std::int64_t dim_ = 0;
};

class BasicBlockImpl : public torch::nn::Module {
 public:
  BasicBlockImpl(std::int64_t in, std::int64_t out, std::int64_t stride)
      : conv1_(register_module("conv1", conv3x3(in, out, stride))),
        bn1_(register_module("bn1", torch::nn::BatchNorm2d(out))),
        conv2_(register_module("conv2", conv3x3(out, out))),
        bn2_(register_module("bn2", torch::nn::BatchNorm2d(out))) {
    if (stride != 1 || in != out) {
      shortcut_ = register_module(
          "shortcut", torch::nn::Sequential(torch::nn::Conv2d(torch::nn::Conv2dOptions(in, out, 1).stride(stride).bias(false)),
                                            torch::nn::BatchNorm2d(out)));
    }
  }
  at::Tensor forward(const at::Tensor& x) {
    auto y = bn2_(conv2_(torch::relu(bn1_(conv1_(x)))));
    return torch::relu(y + (shortcut_ ? shortcut_->forward(x) : x));
  }

 private:
  torch::nn::Conv2d conv1_;
  torch::nn::BatchNorm2d bn1_;
  torch::nn::Conv2d conv2_;
  torch::nn::BatchNorm2d bn2_;
  torch::nn::Sequential shortcut_{nullptr};
};
TORCH_MODULE(BasicBlock);

class ResNet18 : public Backbone {
 public:
  explicit ResNet18(const HashModelOptions& options) {
    stem_ = register_module("conv1", conv3x3(options.input_shape[0], 64));
    stem_norm_ = register_module("bn1", torch::nn::BatchNorm2d(64));
    std::int64_t in = 64;
    const std::int64_t widths[] = {64, 128, 256, 512};
    for (int stage = 0; stage < 4; ++stage) {
      for (int block = 0; block < 2; ++block) {
        const std::int64_t stride = (stage > 0 && block == 0) ? 2 : 1;
        blocks_.push_back(register_module(fmt::format("layer{}_{}", stage + 1, block),
                                          BasicBlock(in, widths[stage], stride)));
        in = widths[stage];
      }
    }
    convolutions_to_channels_last(*this);  // as in the small CNN
  }
  at::Tensor forward(const at::Tensor& input) override {
    auto x = torch::relu(stem_norm_(stem_(input.contiguous(at::MemoryFormat::ChannelsLast))));
    for (auto& block : blocks_) x = block(x);
    return x.mean({2, 3});
  }
  std::int64_t output_dim() const override { return 512; }

 private:
  torch::nn::Conv2d stem_{nullptr};
  torch::nn::BatchNorm2d stem_norm_{nullptr};
  std::vector<BasicBlock> blocks_;
};

class Mlp : public Backbone {
 public:
  explicit Mlp(const HashModelOptions& options) {
    const auto hidden = with_backbone_defaults(options).hidden;
    std::int64_t in = options.input_shape[0];
    for (std::size_t i = 0; i < hidden.size(); ++i) {
      layers_.push_back(register_module(fmt::format("fc{}", i), torch::nn::Linear(in, hidden[i])));
      in = hidden[i];
    }
    if (options.dropout > 0) dropout_ = register_module("dropout", torch::nn::Dropout(options.dropout));
    dim_ = in;
  }
  at::Tensor forward(const at::Tensor& input) override {
    auto x = input.flatten(1);
    for (std::size_t i = 0; i < layers_.size(); ++i) {
      x = torch::relu(layers_[i](x));
      if (dropout_ && i + 1 < layers_.size()) x = dropout_(x);
    }
    return x;
  }
  std::int64_t output_dim() const override { return dim_; }

 private:
  std::vector<torch::nn::Linear> layers_;
  torch::nn::Dropout dropout_{nullptr};
  std::int64_t dim_ = 0;
};

}  // namespace

HashModelOptions with_backbone_defaults(HashModelOptions options) {
  if (options.backbone == "cnn") {
    if (options.channels.empty()) options.channels = {32, 64, 128};
    if (options.feature_dim <= 0) options.feature_dim = 256;
  } else if (options.backbone == "mlp") {
    if (options.hidden.empty()) options.hidden = {512, 512};
  }
  return options;
}

std::shared_ptr<Backbone> make_small_cnn(const HashModelOptions& options) { return std::make_shared<SmallCnn>(options); }
std::shared_ptr<Backbone> make_resnet18(const HashModelOptions& options) { return std::make_shared<ResNet18>(options); }
std::shared_ptr<Backbone> make_mlp(const HashModelOptions& options) { return std::make_shared<Mlp>(options); }

std::shared_ptr<Backbone> make_backbone(const HashModelOptions& options, const std::string& script) {
  if (options.backbone == "cnn") return make_small_cnn(options);
  if (options.backbone == "resnet18") return make_resnet18(options);
  if (options.backbone == "mlp") return make_mlp(options);
  return make_torchscript_backbone(options, script);
}

}  // namespace shrewd::model
