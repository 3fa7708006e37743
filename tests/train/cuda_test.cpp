// Training and encoding on a CUDA device give what they give on the CPU (within floating-point
// tolerance). Skipped where LibTorch sees no CUDA device (docs/training.md, "GPU").
#include <gtest/gtest.h>
#include <torch/torch.h>

#include "shrewd/common/npy.hpp"
#include "shrewd/model/hash_model.hpp"
#include "shrewd/train/encode.hpp"
#include "shrewd/train/parameter_groups.hpp"
#include "shrewd/train/run_config.hpp"
#include "shrewd/train/similarity_loss.hpp"
#include "shrewd/train/trainer.hpp"
#include "support/temp_dir.hpp"

namespace shrewd::train {
namespace {

#define SKIP_WITHOUT_CUDA() \
  if (!torch::cuda::is_available()) GTEST_SKIP() << "LibTorch sees no CUDA device"

model::HashModel small_cnn() {
  torch::manual_seed(3);
  model::HashModelOptions options;
  options.input_shape = {3, 16, 16};
  options.channels = {8, 16};
  options.feature_dim = 32;
  options.bits = 16;
  options.classes = 4;
  return model::HashModel(options);
}

// One Adam step on CE + L_sim (backbone at 0.5 x the rate) on `device`; the parameters after it, on the CPU.
std::vector<torch::Tensor> one_step(torch::Device device, const torch::Tensor& images, const torch::Tensor& labels) {
  auto model = small_cnn();
  model->to(device);
  OptimConfig config;
  config.lr = 0.01;
  config.backbone_lr_multiplier = 0.5;
  auto optimizer = make_run_optimizer(config, model);
  set_training_mode(model, false);
  auto x = images.to(device), y = labels.to(device);
  auto out = model->forward(x);
  auto targets = (y.unsqueeze(0) != y.unsqueeze(1)).to(torch::kFloat);
  auto loss = torch::nn::functional::cross_entropy(out.logits, y) + similarity_loss(out.z, targets);
  optimizer.optimizer->zero_grad();
  loss.backward();
  optimizer.optimizer->step();
  std::vector<torch::Tensor> parameters;
  for (const auto& parameter : model->parameters()) parameters.push_back(parameter.detach().to(torch::kCPU));
  return parameters;
}

TEST(Cuda, ATrainingStepOnCudaMatchesTheCpuStep) {
  SKIP_WITHOUT_CUDA();
  torch::manual_seed(4);
  const auto images = torch::rand({16, 3, 16, 16});
  const auto labels = torch::arange(16, torch::kLong) % 4;
  const auto cpu = one_step(torch::kCPU, images, labels), cuda = one_step(torch::kCUDA, images, labels);
  ASSERT_EQ(cpu.size(), cuda.size());
  for (std::size_t i = 0; i < cpu.size(); ++i)
    EXPECT_TRUE(torch::allclose(cpu[i], cuda[i], 1e-4, 1e-5))
        << "parameter " << i << ": largest difference " << (cpu[i] - cuda[i]).abs().max().item<float>();
}

TEST(Cuda, TrainsWithTrainDeviceCudaAndEncodesOnCudaAsOnTheCpu) {
  SKIP_WITHOUT_CUDA();
  testing::TempDir dir;
  torch::manual_seed(21);
  auto labels = torch::arange(128, torch::kLong) % 4;
  auto features = (torch::randn({4, 16}).index_select(0, labels) * 3 + torch::randn({128, 16})).contiguous();
  write_npy(dir / "x.npy", DType::Float32, {128, 16}, features.data_ptr<float>());
  write_npy(dir / "y.npy", DType::Int64, {128}, labels.data_ptr<std::int64_t>());
  auto config = default_config();
  merge_config(config, nlohmann::json::parse(R"({
    "data": {"format": "npy", "validation_fraction": 0.25, "workers": 0},
    "model": {"backbone": "mlp", "bits": 16, "hidden": [32]},
    "loss": {"targets": "labels"},
    "train": {"epochs": 2, "batch_size": 32, "threads": 1, "progress": false, "device": "cuda"},
    "validation": {"map_at": 50, "ahp_at": 20}
  })"), "test");
  config["data"]["path"] = (dir / "x.npy").string();
  config["data"]["labels"] = (dir / "y.npy").string();
  config["train"]["out"] = (dir / "run").string();
  const auto summary = run_training(config);
  EXPECT_EQ(summary.epochs_done, 2);
  EXPECT_GT(summary.validation_map, 0.5);

  auto on_cpu = model::load_model(summary.files.model(), torch::kCPU);
  auto on_cuda = model::load_model(summary.files.model(), torch::kCUDA);
  const auto z_cpu = encode_outputs(on_cpu, features, torch::kCPU);
  const auto z_cuda = encode_outputs(on_cuda, features, torch::kCUDA);
  EXPECT_TRUE(z_cuda.device().is_cpu());
  EXPECT_TRUE(torch::allclose(z_cpu, z_cuda, 1e-4, 1e-5)) << (z_cpu - z_cuda).abs().max().item<float>();
}

}  // namespace
}  // namespace shrewd::train
