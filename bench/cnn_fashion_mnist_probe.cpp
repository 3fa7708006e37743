// Sanity check of the data and model layers on their own: the default CNN with a plain
// cross-entropy classifier (no hashing losses), Adam 2e-3, batch 128, normalised inputs, on
// Fashion-MNIST; prints seconds per epoch and test accuracy.
//   cnn_fashion_mnist_probe [epochs] [augment]
#include <torch/torch.h>

#include <chrono>
#include <cstdlib>
#include <iostream>

#include "shrewd/data/batch_loader.hpp"
#include "shrewd/data/idx_reader.hpp"
#include "shrewd/model/hash_model.hpp"
#include "shrewd/common/recommended_environment.hpp"
#include "shrewd/model/threads.hpp"

using namespace shrewd;

namespace {

double test_accuracy(model::HashModel& net, const data::Dataset& test, data::BatchOptions options) {
  torch::NoGradGuard no_grad;
  net->eval();
  options.shuffle = false;
  options.training = false;
  options.workers = 0;
  options.batch_size = 1000;
  data::BatchLoader loader(test, options);
  std::int64_t correct = 0;
  for (const auto& batch : loader)
    correct += (net->forward(batch.inputs).logits.argmax(1) == batch.labels).sum().item<std::int64_t>();
  return double(correct) / double(test.size());
}

}  // namespace

int main(int argc, char** argv) {
  apply_recommended_environment(argv);
  model::configure_threads(0);
  torch::manual_seed(0);
  const int epochs = argc > 1 ? std::atoi(argv[1]) : 1;
  auto train = data::load_fashion_mnist("/usr/share/datasets/fashion-mnist", true);
  auto test = data::load_fashion_mnist("/usr/share/datasets/fashion-mnist", false);

  data::BatchOptions options;
  options.preprocessing = data::with_computed_normalization(train, {});
  if (argc > 2) {
    options.preprocessing.crop_padding = 2;
    options.preprocessing.flip = true;
    options.training = true;
  }
  data::BatchLoader loader(train, options);

  model::HashModelOptions model_options;
  model_options.input_shape = {1, 28, 28};
  model_options.classes = 10;
  model::HashModel net(model_options);
  torch::optim::Adam optimizer(net->parameters(), torch::optim::AdamOptions(2e-3));

  for (int epoch = 0; epoch < epochs; ++epoch) {
    const auto start = std::chrono::steady_clock::now();
    net->train();
    loader.start_epoch(epoch);
    for (const auto& batch : loader) {
      optimizer.zero_grad();
      torch::nn::functional::cross_entropy(net->forward(batch.inputs).logits, batch.labels).backward();
      optimizer.step();
    }
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::cout << "epoch " << epoch << ": " << seconds << " s (" << double(train.size()) / seconds
              << " images/s), test accuracy " << test_accuracy(net, test, options) << std::endl;
  }
}
