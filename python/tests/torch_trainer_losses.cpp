// The trainer's side of python/tests/test_torch_losses.py: one batch through the loss objects
// exactly as Trainer::train_epoch builds and calls them (configuration with overrides,
// BatchTargets, make_hashing_loss, start_epoch of epoch 0, LossInputs), then backward.
//
//   shrewd_torch_trainer_losses BATCH_DIR METHOD STEP OUT_PREFIX [section.key=value ...]
//
// BATCH_DIR holds u.npy (float32 [n, K], the hash layer's outputs), labels.npy (int64 [n]),
// weight.npy and bias.npy (float32 [C, K] and [C], the classifier head on z) and embeddings.npy
// (float32 [n, E]). Writes OUT_PREFIX.terms.npy (float64 [total, ce, sim, kl], NaN where a term is
// undefined) and OUT_PREFIX.grad.npy (float32 [n, K], d total / d u).
#include <cmath>
#include <cstdint>
#include <iostream>
#include <limits>
#include <string>
#include <vector>

#include <torch/torch.h>

#include "shrewd/common/error.hpp"
#include "shrewd/common/npy.hpp"
#include "shrewd/data/dataset.hpp"
#include "shrewd/train/baselines/hashing_loss.hpp"
#include "shrewd/train/batch_targets.hpp"
#include "shrewd/train/run_options.hpp"

namespace {

using namespace shrewd;

torch::Tensor read_tensor(const std::string& path) {
  auto array = read_npy(path);
  std::vector<std::int64_t> shape(array.shape.begin(), array.shape.end());
  if (array.dtype == DType::Int64)
    return torch::from_blob(array.bytes.data(), shape, torch::kLong).clone();
  return torch::from_blob(const_cast<float*>(array.values<float>().data()), shape, torch::kFloat).clone();
}

double term_value(const torch::Tensor& term) {
  return term.defined() ? term.item<double>() : std::numeric_limits<double>::quiet_NaN();
}

int run(int argc, char** argv) {
  if (argc < 5) fail("usage", "shrewd_torch_trainer_losses BATCH_DIR METHOD STEP OUT_PREFIX [section.key=value ...]");
  const std::string batch = argv[1], method = argv[2], out = argv[4];
  const std::int64_t step = std::stoll(argv[3]);

  auto json = train::default_config();
  train::apply_override(json, "loss.method=" + method);
  for (int i = 5; i < argc; ++i) train::apply_override(json, argv[i]);
  const auto config = train::parse_config(json);

  auto u = read_tensor(batch + "/u.npy").requires_grad_(true);
  auto labels = read_tensor(batch + "/labels.npy");
  auto weight = read_tensor(batch + "/weight.npy"), bias = read_tensor(batch + "/bias.npy");
  auto embeddings = read_tensor(batch + "/embeddings.npy");

  data::Dataset dataset;  // what BatchTargets and the factory read of the training data
  dataset.labels = torch::arange(weight.size(0), torch::kLong);
  dataset.embeddings = embeddings;
  dataset.source = batch;
  const train::BatchTargets targets(config, dataset, torch::kCPU);
  auto loss = train::make_hashing_loss(config.loss.method, train::method_settings(config), dataset.num_classes());
  loss->start_epoch(config.train.seed * 1000003ULL);  // epoch 0, as Trainer::train_epoch

  auto classify = [&](const torch::Tensor& codes) { return torch::nn::functional::linear(codes, weight, bias); };
  auto z = torch::tanh(u);
  train::LossInputs in{u, z, classify(z), labels,
                       loss->needs_target_distances() ? targets(labels, embeddings) : torch::Tensor(), step, classify};
  auto terms = (*loss)(in);
  terms.total.backward();

  const std::vector<double> values{term_value(terms.total), term_value(terms.ce), term_value(terms.sim),
                                   term_value(terms.kl)};
  write_npy<double>(out + ".terms.npy", values, {values.size()});
  auto grad = u.grad().contiguous();
  write_npy<float>(out + ".grad.npy", {grad.data_ptr<float>(), static_cast<std::size_t>(grad.numel())},
                   {static_cast<std::size_t>(grad.size(0)), static_cast<std::size_t>(grad.size(1))});
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(argc, argv);
  } catch (const std::exception& e) {
    std::cerr << "shrewd_torch_trainer_losses: " << e.what() << "\n";
    return 1;
  }
}
