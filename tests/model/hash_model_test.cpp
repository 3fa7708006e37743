// Backbones, hash head, save/load and the TorchScript import.
#include <gtest/gtest.h>
#include <torch/csrc/jit/api/module.h>
#include <torch/nn/functional/loss.h>
#include <torch/optim/sgd.h>

#include <ATen/Parallel.h>

#include "shrewd/common/error.hpp"
#include "shrewd/model/backbone.hpp"
#include "shrewd/model/hash_model.hpp"
#include "shrewd/model/threads.hpp"
#include "support/error_of.hpp"
#include "support/temp_dir.hpp"

namespace shrewd::model {
namespace {

using shrewd::testing::error_of;
using shrewd::testing::TempDir;

HashModelOptions make_options(const std::string& backbone, std::vector<std::int64_t> shape, std::int64_t bits,
                              std::int64_t classes) {
  HashModelOptions options;
  options.backbone = backbone;
  options.input_shape = std::move(shape);
  options.bits = bits;
  options.classes = classes;
  return options;
}

at::Tensor batch_for(const HashModelOptions& options, std::int64_t batch) {
  std::vector<std::int64_t> shape{batch};
  shape.insert(shape.end(), options.input_shape.begin(), options.input_shape.end());
  return at::rand(shape);
}

// One SGD step on cross-entropy (or on sum(u) without a classifier).
void train_step(HashModel& model, const at::Tensor& inputs) {
  torch::optim::SGD optimizer(model->parameters(), torch::optim::SGDOptions(0.1));
  model->train();
  auto out = model->forward(inputs);
  auto loss = out.logits.defined()
                  ? torch::nn::functional::cross_entropy(out.logits, at::zeros({inputs.size(0)}, at::kLong))
                  : out.u.sum();
  loss.backward();
  optimizer.step();
}

TEST(HashModel, EveryBackboneMapsABatchToKBitsAndClassLogits) {
  torch::manual_seed(0);
  const std::vector<HashModelOptions> cases = {
      make_options("cnn", {1, 28, 28}, 64, 10), make_options("cnn", {3, 32, 32}, 16, 100),
      make_options("mlp", {20}, 32, 5), make_options("resnet18", {3, 32, 32}, 8, 10)};
  for (const auto& options : cases) {
    HashModel model(options);
    model->eval();
    auto out = model->forward(batch_for(options, 3));
    EXPECT_EQ(out.u.sizes(), (std::vector<std::int64_t>{3, options.bits})) << options.backbone;
    EXPECT_TRUE(at::allclose(out.z, at::tanh(out.u)));
    EXPECT_EQ(out.logits.sizes(), (std::vector<std::int64_t>{3, options.classes}));
  }
  HashModel plain(make_options("mlp", {4}, 8, 0));
  EXPECT_FALSE(plain->forward(at::rand({2, 4})).logits.defined());
}

TEST(HashModel, RejectsOptionsThatDescribeNoModel) {
  EXPECT_THROW(HashModel(make_options("cnn", {1, 28, 28}, 12, 0)), Error);    // K not a multiple of 8
  EXPECT_THROW(HashModel(make_options("cnn", {784}, 64, 0)), Error);          // cnn needs [C, H, W]
  EXPECT_THROW(HashModel(make_options("cnn", {1, 4, 4}, 64, 0)), Error);      // too small for 3 poolings
  EXPECT_THROW(HashModel(make_options("missing.pt", {4}, 64, 0)), Error);     // no such TorchScript file
  EXPECT_THROW(options_from_json(R"({"bits": 64, "colour": 3})"), Error);
  auto no_convs = make_options("cnn", {1, 28, 28}, 64, 0);
  no_convs.convs_per_stage = 0;
  EXPECT_THROW(HashModel{no_convs}, Error);
  // Files written before convs_per_stage existed load as one convolution per stage.
  EXPECT_EQ(options_from_json(R"({"backbone": "cnn", "input_shape": [1, 28, 28], "bits": 64})").convs_per_stage, 1);
  auto options = make_options("mlp", {7}, 24, 3);
  options.hidden = {9};
  auto back = options_from_json(options_to_json(options));
  EXPECT_EQ(back.input_shape, options.input_shape);
  EXPECT_EQ(back.bits, 24);
  EXPECT_EQ(back.hidden, options.hidden);
}

TEST(HashModel, SaveAndLoadReproduceTheTrainedModelExactly) {
  torch::manual_seed(1);
  TempDir dir;
  auto options = make_options("cnn", {1, 12, 12}, 16, 4);
  options.channels = {8, 16};
  options.convs_per_stage = 2;
  HashModel model(options);
  // Per stage: conv + BN, then one more conv + BN at the pooled size (weights and BN affine).
  EXPECT_EQ(model->named_parameters().keys().size(), 2 * (1 + 2 + 1 + 2) + 1 + 2 + 2 + 2);
  EXPECT_TRUE(model->named_parameters().contains("backbone.conv1_1.weight"));
  auto inputs = batch_for(options, 6);
  train_step(model, inputs);  // moves weights and BatchNorm running statistics away from their initial values
  save_model(model, dir / "model.pt");
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir.path()), {}), 1);  // no temporary left

  auto loaded = load_model(dir / "model.pt");
  EXPECT_EQ(loaded->options().channels, options.channels);
  EXPECT_EQ(loaded->options().convs_per_stage, 2);
  model->eval();
  loaded->eval();
  auto expected = model->forward(inputs), got = loaded->forward(inputs);
  EXPECT_TRUE(at::equal(expected.u, got.u));
  EXPECT_TRUE(at::equal(expected.logits, got.logits));

  testing::write_bytes(dir / "junk.pt", "not a model");
  EXPECT_THROW(load_model(dir / "junk.pt"), Error);
  EXPECT_THROW(load_model(dir / "absent.pt"), Error);
}

// A tiny scripted backbone, made with LibTorch's TorchScript API as Python's torch.jit.script
// would: a nested module with a parameter and a buffer, forward [B, 2, 3] -> [B, 5].
void write_tiny_torchscript(const std::filesystem::path& path) {
  torch::jit::Module inner("Inner");
  inner.register_parameter("weight", at::randn({6, 5}), false);
  inner.register_buffer("offset", at::full({5}, 0.25));
  inner.define(R"(
def forward(self, x):
    return torch.matmul(x, self.weight) + self.offset
)");
  torch::jit::Module outer("TinyBackbone");
  outer.register_module("inner", inner);
  outer.define(R"(
def forward(self, x):
    return torch.relu(self.inner.forward(x.flatten(1)))
)");
  outer.save(path.string());
}

TEST(HashModel, TrainsAndStoresATorchScriptBackbone) {
  torch::manual_seed(2);
  TempDir dir;
  write_tiny_torchscript(dir / "tiny.pt");
  auto options = make_options((dir / "tiny.pt").string(), {2, 3}, 8, 3);
  HashModel model(options);
  EXPECT_EQ(model->feature_dim(), 5);
  auto names = model->named_parameters().keys();
  EXPECT_NE(std::find(names.begin(), names.end(), "backbone.inner__weight"), names.end());
  EXPECT_EQ(model->named_buffers().size(), 1u);

  auto inputs = at::rand({4, 2, 3});
  model->eval();
  auto before = model->forward(inputs).u;
  auto weight_before = model->named_parameters()["backbone.inner__weight"].clone();
  train_step(model, inputs);
  EXPECT_FALSE(at::equal(model->named_parameters()["backbone.inner__weight"], weight_before));  // backbone trains
  model->eval();
  auto after = model->forward(inputs).u;
  EXPECT_FALSE(at::allclose(before, after));

  save_model(model, dir / "model.pt");
  std::filesystem::remove(dir / "tiny.pt");  // the model file carries the script itself
  auto loaded = load_model(dir / "model.pt");
  loaded->eval();
  EXPECT_TRUE(at::equal(loaded->forward(inputs).u, after));

  testing::write_bytes(dir / "fake.pt", "PK not a torchscript archive");
  EXPECT_THROW(HashModel(make_options((dir / "fake.pt").string(), {2, 3}, 8, 0)), Error);
}

// tests/model/data/tiny_backbone.pt comes from Python (make_tiny_backbone.py: torch.jit.script of
// Conv2d-BatchNorm2d-ReLU-MaxPool2d-Linear-ReLU, [B, 1, 8, 8] -> [B, 12]).
TEST(HashModel, RunsABackboneExportedFromPython) {
  const std::string fixture = "tests/model/data/tiny_backbone.pt";
  ASSERT_TRUE(std::filesystem::exists(fixture)) << "run the tests from the repository root";
  HashModel model(make_options(fixture, {1, 8, 8}, 16, 0));
  EXPECT_EQ(model->feature_dim(), 12);

  // The features Python printed for this input in eval mode.
  auto x = at::arange(64, at::kFloat).view({1, 1, 8, 8}) / 64;
  HashModelOptions options = model->options();
  auto backbone = make_backbone(options, model->script());
  backbone->eval();
  auto features = backbone->forward(x)[0];
  const float expected[12] = {0, 0, 0, 0, 0.392472f, 0.314011f, 0, 0, 0.274394f, 0, 0, 0};
  for (int i = 0; i < 12; ++i) EXPECT_NEAR(features[i].item<float>(), expected[i], 1e-5) << "feature " << i;

  // BatchNorm statistics are shared buffers: a training-mode forward moves them.
  auto buffers = model->named_buffers();
  ASSERT_TRUE(buffers.contains("backbone.features__1__running_mean"));
  auto before = buffers["backbone.features__1__running_mean"].clone();
  model->train();
  model->forward(at::rand({4, 1, 8, 8}));
  EXPECT_FALSE(at::equal(model->named_buffers()["backbone.features__1__running_mean"], before));
}

// The feature size comes from a forward pass on the data's shape; a module that does not take
// that shape, or does not return [B, ...], is an error saying so, with both shapes.
TEST(HashModel, InfersTheFeatureSizeOfATorchScriptBackboneOrSaysWhyNot) {
  TempDir dir;
  write_tiny_torchscript(dir / "tiny.pt");  // [B, 2, 3] -> [B, 5]
  EXPECT_EQ(HashModel(make_options((dir / "tiny.pt").string(), {6}, 8, 0))->feature_dim(), 5);  // 6 = 2 x 3 flattened
  const auto wrong_shape = error_of([&] { HashModel(make_options((dir / "tiny.pt").string(), {3, 4}, 8, 0)); });
  EXPECT_NE(wrong_shape.find("cannot find the feature size"), std::string::npos) << wrong_shape;
  EXPECT_NE(wrong_shape.find("[2, 3, 4]"), std::string::npos) << wrong_shape;
  EXPECT_EQ(wrong_shape.find("Traceback"), std::string::npos) << wrong_shape;  // the cause, not the interpreter's trace
  EXPECT_EQ(wrong_shape.find('\n'), std::string::npos) << wrong_shape;

  torch::jit::Module scalar("Scalar");
  scalar.define(R"(
def forward(self, x):
    return x.sum()
)");
  scalar.save((dir / "scalar.pt").string());
  const auto no_batch = error_of([&] { HashModel(make_options((dir / "scalar.pt").string(), {4}, 8, 0)); });
  EXPECT_NE(no_batch.find("cannot find the feature size"), std::string::npos) << no_batch;
}

TEST(Threads, ConfigureThreadsSetsTheIntraOpCount) {
  configure_threads(1);
  EXPECT_EQ(at::get_num_threads(), 1);
  configure_threads(2);
  EXPECT_EQ(at::get_num_threads(), 2);
}

}  // namespace
}  // namespace shrewd::model
