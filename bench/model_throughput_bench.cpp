// Training throughput of the backbones (forward + backward + SGD step, batch 128, random data,
// cross-entropy on the classifier head) and the batch loader. items_per_second: images per second
// of wall time, all cores; items_per_cpu_s: images per CPU second of the process (per busy core).
#include <sys/resource.h>

#include <benchmark/benchmark.h>
#include <torch/torch.h>

#include "shrewd/data/batch_loader.hpp"
#include "shrewd/model/hash_model.hpp"
#include "shrewd/common/recommended_environment.hpp"
#include "shrewd/model/threads.hpp"

namespace {

// CPU seconds of the whole process (all threads): items / this is the throughput per busy core,
// a figure that other programs running on the same machine disturb much less than wall time.
double process_cpu_seconds() {
  rusage usage;
  getrusage(RUSAGE_SELF, &usage);
  return double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
         1e-6 * double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec);
}

using shrewd::model::HashModel;
using shrewd::model::HashModelOptions;

void train_steps(benchmark::State& state, HashModelOptions options) {
  shrewd::model::configure_threads(0);
  torch::manual_seed(0);
  const std::int64_t batch = 128;
  HashModel model(options);
  model->train();
  torch::optim::SGD optimizer(model->parameters(), torch::optim::SGDOptions(0.01).momentum(0.9));
  std::vector<std::int64_t> shape{batch};
  shape.insert(shape.end(), options.input_shape.begin(), options.input_shape.end());
  auto inputs = torch::rand(shape);
  auto labels = torch::randint(options.classes, {batch}, torch::kLong);
  auto step = [&] {
    optimizer.zero_grad();
    auto out = model->forward(inputs);
    torch::nn::functional::cross_entropy(out.logits, labels).backward();
    optimizer.step();
  };
  step();  // untimed: the first step picks convolution algorithms and allocates
  const double cpu_start = process_cpu_seconds();
  for (auto _ : state) step();
  state.SetItemsProcessed(state.iterations() * batch);
  state.counters["items_per_cpu_s"] = double(state.iterations() * batch) / (process_cpu_seconds() - cpu_start);
}

HashModelOptions image_options(const std::string& backbone, std::int64_t channels, std::int64_t side) {
  HashModelOptions options;
  options.backbone = backbone;
  options.input_shape = {channels, side, side};
  options.bits = 64;
  options.classes = 10;
  return options;
}

void BM_TrainCnn28(benchmark::State& state) { train_steps(state, image_options("cnn", 1, 28)); }
void BM_TrainCnn28Light(benchmark::State& state) {
  auto options = image_options("cnn", 1, 28);
  options.channels = {16, 32, 64};
  options.feature_dim = 128;
  train_steps(state, options);
}
void BM_TrainCnn32Rgb(benchmark::State& state) { train_steps(state, image_options("cnn", 3, 32)); }
void BM_TrainResNet18Cifar(benchmark::State& state) { train_steps(state, image_options("resnet18", 3, 32)); }
void BM_TrainMlp512(benchmark::State& state) {
  HashModelOptions options;
  options.backbone = "mlp";
  options.input_shape = {512};
  options.classes = 10;
  train_steps(state, options);
}

// Batches of 128 Fashion-MNIST-sized images with crop + flip augmentation and normalisation.
void BM_BatchLoaderAugmented28(benchmark::State& state) {
  shrewd::data::Dataset dataset;
  dataset.inputs = torch::rand({8192, 1, 28, 28});
  dataset.labels = torch::randint(10, {8192}, torch::kLong);
  dataset.source = "random images";
  shrewd::data::BatchOptions options;
  options.workers = int(state.range(0));
  options.preprocessing.crop_padding = 2;
  options.preprocessing.flip = true;
  options.preprocessing.mean = {0.286f};
  options.preprocessing.std = {0.353f};
  options.training = true;
  shrewd::data::BatchLoader loader(dataset, options);
  std::int64_t items = 0;
  int epoch = 0;
  for (auto _ : state) {
    loader.start_epoch(epoch++);
    for (const auto& batch : loader) items += batch.inputs.size(0);
  }
  state.SetItemsProcessed(items);
}

}  // namespace

// Wall-clock time: the figure that matters is images per second of real time on all cores.
BENCHMARK(BM_TrainCnn28)->Unit(benchmark::kMillisecond)->MinTime(3.0)->UseRealTime();
BENCHMARK(BM_TrainCnn28Light)->Unit(benchmark::kMillisecond)->MinTime(3.0)->UseRealTime();
BENCHMARK(BM_TrainCnn32Rgb)->Unit(benchmark::kMillisecond)->MinTime(3.0)->UseRealTime();
BENCHMARK(BM_TrainMlp512)->Unit(benchmark::kMillisecond)->MinTime(2.0)->UseRealTime();
BENCHMARK(BM_TrainResNet18Cifar)->Unit(benchmark::kMillisecond)->Iterations(3)->UseRealTime();
BENCHMARK(BM_BatchLoaderAugmented28)->Arg(0)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();

// Runs with OMP_WAIT_POLICY=PASSIVE and OPENBLAS_NUM_THREADS=1 unless the caller set them.
int main(int argc, char** argv) {
  shrewd::apply_recommended_environment(argv);
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
