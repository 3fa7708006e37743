// The share of the semantic-hashing losses in a training step (issue: at most 10% at batch 128,
// K = 64). Side by side:
//   BM_SimilarityAndKlLosses  forward + backward of L_sim (hierarchy targets) + per-bit KL on
//                             z [128, 64] alone;
//   BM_DemoTrainingStep       a whole step of the demo model (small CNN with two convolutions
//                             per stage on 28x28, 64 bits, classifier): forward,
//                             CE + 3 L_sim + 0.01 KL, backward, Adam.
//   BM_DemoStepWithoutHashLosses  the same step with CE only, for reference.
// The "loss_share" counter of BM_DemoTrainingStep is (time of the first) / (its own time),
// measured in the same process.
#include <benchmark/benchmark.h>
#include <torch/torch.h>

#include <chrono>

#include "shrewd/model/hash_model.hpp"
#include "shrewd/model/threads.hpp"
#include "shrewd/train/target_distances.hpp"
#include "shrewd/train/total_loss.hpp"

namespace {

using namespace shrewd;
constexpr std::int64_t kBatch = 128, kBits = 64, kClasses = 10;

torch::Tensor random_class_distances() {
  auto d = torch::rand({kClasses, kClasses});
  d = (d + d.t()) / 2;
  return d.fill_diagonal_(0);
}

// The demo's weights (the LossWeights defaults) with CE switched as asked.
train::TotalLoss make_loss(double w_ce) {
  const train::LossWeights demo;
  return train::TotalLoss({w_ce, demo.sim, demo.kl}, {}, {}, 1);
}

double seconds_per_loss_step() {
  torch::manual_seed(0);
  auto labels = torch::randint(kClasses, {kBatch}, torch::kLong);
  auto classes = random_class_distances();
  auto u = torch::randn({kBatch, kBits}).requires_grad_();
  auto loss = make_loss(0);
  const int reps = 200;
  const auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < reps; ++i) {
    auto terms = loss(torch::tanh(u), {}, {}, train::class_matrix_distances(labels, classes));
    terms.total.backward();
  }
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() / reps;
}

void BM_SimilarityAndKlLosses(benchmark::State& state) {
  model::configure_threads(0);
  torch::manual_seed(0);
  auto labels = torch::randint(kClasses, {kBatch}, torch::kLong);
  auto classes = random_class_distances();
  auto u = torch::randn({kBatch, kBits}).requires_grad_();
  auto loss = make_loss(0);
  for (auto _ : state) {
    auto terms = loss(torch::tanh(u), {}, {}, train::class_matrix_distances(labels, classes));
    terms.total.backward();
  }
  state.SetItemsProcessed(state.iterations() * kBatch);
}

void demo_step(benchmark::State& state, bool hash_losses) {
  model::configure_threads(0);
  torch::manual_seed(0);
  model::HashModelOptions options;
  options.backbone = "cnn";
  options.input_shape = {1, 28, 28};
  options.bits = kBits;
  options.classes = kClasses;
  options.convs_per_stage = 2;  // configs/fashion-mnist-64.json
  model::HashModel net(options);
  net->train();
  torch::optim::Adam adam(net->parameters(), torch::optim::AdamOptions(1e-3));
  auto inputs = torch::rand({kBatch, 1, 28, 28});
  auto labels = torch::randint(kClasses, {kBatch}, torch::kLong);
  auto classes = random_class_distances();
  auto loss = hash_losses ? make_loss(1.0) : train::TotalLoss({1.0, 0.0, 0.0}, {}, {}, 1);
  for (auto _ : state) {
    auto out = net->forward(inputs);
    auto terms = loss(out.z, out.logits, labels, train::class_matrix_distances(labels, classes));
    adam.zero_grad();
    terms.total.backward();
    adam.step();
  }
  state.SetItemsProcessed(state.iterations() * kBatch);
  if (hash_losses) {
    // Time of one step, against the losses alone measured right here.
    const auto start = std::chrono::steady_clock::now();
    const int reps = 20;
    for (int i = 0; i < reps; ++i) {
      auto out = net->forward(inputs);
      auto terms = loss(out.z, out.logits, labels, train::class_matrix_distances(labels, classes));
      adam.zero_grad();
      terms.total.backward();
      adam.step();
    }
    const double step = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() / reps;
    state.counters["loss_share"] = seconds_per_loss_step() / step;
  }
}

void BM_DemoTrainingStep(benchmark::State& state) { demo_step(state, true); }
void BM_DemoStepWithoutHashLosses(benchmark::State& state) { demo_step(state, false); }

}  // namespace

BENCHMARK(BM_SimilarityAndKlLosses)->Unit(benchmark::kMillisecond)->MinTime(2.0);
BENCHMARK(BM_DemoTrainingStep)->Unit(benchmark::kMillisecond)->MinTime(3.0);
BENCHMARK(BM_DemoStepWithoutHashLosses)->Unit(benchmark::kMillisecond)->MinTime(3.0);
BENCHMARK_MAIN();
