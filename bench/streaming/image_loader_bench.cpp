// Does the loader keep up with the model? Images/s of the batch loader alone (decode + the
// preprocessing, no model) with 0, 1 and 2 workers over an image folder, against images/s of the
// model's training step on batches of the same shape (no loading). bench/streaming/run.sh runs it.
// Usage: image_loader_bench FOLDER [BATCH=64] [SIDE=32] [BATCHES=40]
#include <torch/torch.h>

#include <chrono>
#include <cstdlib>
#include <iostream>

#include "shrewd/common/recommended_environment.hpp"
#include "shrewd/data/batch_loader.hpp"
#include "shrewd/data/image_folder.hpp"
#include "shrewd/model/hash_model.hpp"
#include "shrewd/model/threads.hpp"

using namespace shrewd;
using Clock = std::chrono::steady_clock;

namespace {

double seconds_since(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

}  // namespace

int main(int argc, char** argv) {
  apply_recommended_environment(argv);
  if (argc < 2) {
    std::cerr << "usage: image_loader_bench FOLDER [BATCH=64] [SIDE=32] [BATCHES=40]\n";
    return 2;
  }
  const std::int64_t batch = argc > 2 ? std::atoll(argv[2]) : 64;
  const int side = argc > 3 ? std::atoi(argv[3]) : 32;
  const std::int64_t batches = argc > 4 ? std::atoll(argv[4]) : 40;
  model::configure_threads(0);
  const auto dataset = data::read_image_folder(argv[1]);

  data::BatchOptions options;
  options.batch_size = batch;
  options.training = true;
  options.preprocessing.channels = 3;
  options.preprocessing.resize = side;
  options.preprocessing.crop = data::Crop::Random;
  options.preprocessing.flip = true;
  for (int workers : {0, 1, 2}) {
    options.workers = workers;
    data::BatchLoader loader(dataset, options);
    const auto start = Clock::now();
    std::int64_t images = 0, done = 0;
    for (const auto& b : loader) {
      images += b.inputs.size(0);
      if (++done == batches) break;
    }
    std::cout << "loader, " << workers << " workers: " << double(images) / seconds_since(start) << " images/s\n";
  }

  // The model's step (forward, CE loss, backward, Adam) on random batches of the same shape.
  model::HashModelOptions model_options;
  model_options.input_shape = {3, side, side};
  model_options.channels = {8, 16, 32};  // the model of bench/streaming/config.json
  model_options.feature_dim = 64;
  model_options.bits = 32;
  model_options.classes = 10;
  model::HashModel net(model_options);
  torch::optim::Adam optimizer(net->parameters(), torch::optim::AdamOptions(1e-3));
  const auto inputs = torch::rand({batch, 3, side, side});
  const auto labels = torch::randint(10, {batch}, torch::kLong);
  const auto steps = std::max<std::int64_t>(batches / 4, 5);
  const auto start = Clock::now();
  for (std::int64_t s = 0; s < steps; ++s) {
    optimizer.zero_grad();
    torch::nn::functional::cross_entropy(net->forward(inputs).logits, labels).backward();
    optimizer.step();
  }
  std::cout << "model step (cnn 8-16-32, FC 64, " << side << "x" << side
            << "): " << double(steps * batch) / seconds_since(start) << " images/s\n";
}
