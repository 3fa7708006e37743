// `shrewd train` and `shrewd encode`: training a hash model from a JSON run configuration, and
// turning a dataset into codes (.npy packbits) and continuous outputs with a trained model.
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <torch/torch.h>

#include "shrewd/cli/commands.hpp"
#include "shrewd/codes/code_npy.hpp"
#include "shrewd/common/error.hpp"
#include "shrewd/common/npy.hpp"
#include "shrewd/common/recommended_environment.hpp"
#include "shrewd/data/load_dataset.hpp"
#include "shrewd/model/device.hpp"
#include "shrewd/model/hash_model.hpp"
#include "shrewd/model/threads.hpp"
#include "shrewd/train/checkpoint.hpp"
#include "shrewd/train/encode.hpp"
#include "shrewd/train/run_config.hpp"
#include "shrewd/train/trainer.hpp"

namespace shrewd::cli {
namespace {

struct TrainArgs {
  std::string config;
  std::vector<std::string> overrides;
  std::string resume;
  bool overwrite = false;
  train::DistributedOptions distributed;  // --world-size, --rank, --rendezvous (docs/scaling.md)
};

void run_train(const TrainArgs& args) {
  if (args.config.empty() && args.resume.empty()) fail("train", "give --config run.json (or --resume checkpoint.pt)");
  // A resumed run starts from the configuration stored in its checkpoint; a config file and
  // --set values given as well apply on top of it (e.g. --set train.epochs=20 to train longer).
  nlohmann::json config = train::default_config();
  if (!args.resume.empty()) {
    auto stored = nlohmann::json::parse(train::read_checkpoint_info(args.resume).config_json);
    train::merge_config(config, stored, args.resume);
  }
  if (!args.config.empty()) {
    auto from_file = train::resolve_config(args.config, {});
    train::merge_config(config, from_file, args.config);
  }
  for (const auto& assignment : args.overrides) train::apply_override(config, assignment);
  const auto summary = train::run_training(config, args.resume, args.distributed, args.overwrite);
  std::cout << "model: " << summary.files.model().string() << "\n"
            << "checkpoint: " << summary.files.checkpoint().string() << "\n"
            << "config: " << summary.files.config().string() << "\n"
            << "log: " << summary.files.log().string() << "\n";
}

struct EncodeArgs {
  std::string model;
  std::string format = "fashion-mnist";
  std::string path;
  std::string split = "train";
  std::string data_labels;
  std::string data_embeddings;
  bool coarse = false;
  std::string classes;
  std::vector<std::string> drop_classes;
  std::string out;
  std::string features;
  std::string labels;
  std::string device = "cpu";
  int threads = 0;
  std::int64_t batch_size = 512;
  int workers = 1;
  bool quiet = false;
};

void run_encode(const EncodeArgs& args) {
  model::configure_threads(args.threads);
  if (args.split != "train" && args.split != "test") fail("--split", "expected train or test, got '" + args.split + "'");
  const torch::Device device = model::choose_device(args.device == "cuda", "--device");

  data::DataSource source;
  source.format = args.format;
  source.path = args.path;
  source.train = args.split == "train";
  source.labels = args.data_labels;
  source.embeddings = args.data_embeddings;
  source.coarse_labels = args.coarse;
  source.classes = args.classes;
  source.drop_classes = args.drop_classes;
  if (!source.drop_classes.empty() && source.classes.empty()) fail("--drop-classes", "names classes of --classes, which is not given");
  const auto dataset = data::load_dataset(source);

  // The model's own preprocessing (stored in its file): the images are prepared as in training's
  // validation, decoded from disk by the workers.
  auto model = model::load_model(args.model, device);
  const auto preprocessing = train::model_preprocessing(model, args.model);
  auto z = train::encode_dataset(model, dataset, preprocessing, device, args.batch_size, args.workers, !args.quiet);
  write_codes_npy(args.out, train::codes_from_outputs(z));
  if (!args.features.empty()) train::write_outputs_npy(args.features, z);
  if (!args.labels.empty()) {
    if (!dataset.labels.defined()) fail(dataset.source, "has no labels to write to " + args.labels);
    auto labels = dataset.labels.to(torch::kLong).contiguous();
    write_npy(args.labels, DType::Int64, {static_cast<std::size_t>(labels.numel())}, labels.data_ptr<std::int64_t>());
  }
  std::cout << args.out << ": " << z.size(0) << " codes of " << z.size(1) << " bits from " << dataset.source << "\n";
}

}  // namespace

void add_train_commands(CLI::App& app) {
  auto train_args = std::make_shared<TrainArgs>();
  auto* train = app.add_subcommand("train", "Train a hash model (config keys: docs/training.md)");
  train->add_option("--config", train_args->config, "JSON run configuration")->check(CLI::ExistingFile);
  train->add_option("--set", train_args->overrides, "Override one key: section.key=value (repeatable)");
  train->add_option("--resume", train_args->resume, "Continue from this checkpoint")->check(CLI::ExistingFile);
  train->add_flag("--overwrite", train_args->overwrite,
                  "Replace the run in train.out (without it, a train.out that holds a run is an error)");
  train->add_option("--world-size", train_args->distributed.world_size,
                    "Data-parallel processes (default 1; docs/scaling.md)")->check(CLI::PositiveNumber);
  train->add_option("--rank", train_args->distributed.rank, "This process's rank, 0 .. world size - 1")
      ->check(CLI::NonNegativeNumber);
  train->add_option("--rendezvous", train_args->distributed.rendezvous,
                    "tcp://HOST:PORT (rank 0 listens) or file:///PATH (one machine, a fresh file)");
  // Each re-executes itself once with OMP_WAIT_POLICY=PASSIVE and OPENBLAS_NUM_THREADS=1 (the
  // runtimes read them before main; user values are kept); other commands never pay for that.
  train->callback([train_args] {
    set_recommended_environment();
    run_train(*train_args);
  });

  auto encode_args = std::make_shared<EncodeArgs>();
  auto* encode = app.add_subcommand("encode", "Encode a dataset into codes (.npy packbits) with a trained model");
  encode->add_option("--model", encode_args->model, "Trained model (model.pt of a run)")->required()->check(CLI::ExistingFile);
  encode->add_option("--data", encode_args->format,
                     "Dataset format: fashion-mnist, mnist, idx, cifar10, cifar100, image-folder, npy, captions")
      ->capture_default_str();
  encode->add_option("--path", encode_args->path, "Dataset directory or file (default for fashion-mnist: the Debian package)");
  encode->add_option("--split", encode_args->split, "train or test part")->capture_default_str();
  encode->add_option("--data-labels", encode_args->data_labels, "idx: labels file; npy: labels .npy");
  encode->add_option("--data-embeddings", encode_args->data_embeddings, "captions: embeddings .npy");
  encode->add_flag("--coarse", encode_args->coarse, "cifar100: the 20 superclasses");
  encode->add_option("--classes", encode_args->classes,
                     "Classes file the labels follow, by class name (training's loss.classes)")->check(CLI::ExistingFile);
  encode->add_option("--drop-classes", encode_args->drop_classes, "Classes to leave out (as data.drop_classes)");
  encode->add_option("--out", encode_args->out, "Codes: uint8 [N, K/8] packbits .npy")->required();
  encode->add_option("--features", encode_args->features, "Also write the continuous outputs z: float32 [N, K] .npy");
  encode->add_option("--labels", encode_args->labels, "Also write the labels: int64 [N] .npy");
  encode->add_option("--device", encode_args->device, "cpu or cuda")
      ->check(CLI::IsMember({"cpu", "cuda"}))
      ->capture_default_str();
  encode->add_option("--threads", encode_args->threads, "LibTorch threads (0: all)")->capture_default_str();
  encode->add_option("--batch-size", encode_args->batch_size, "Items per forward pass")->capture_default_str();
  encode->add_flag("--quiet", encode_args->quiet, "No progress line on stderr");
  encode->add_option("--workers", encode_args->workers, "Threads decoding and preparing images ahead (0: none)")
      ->check(CLI::Range(0, 256))
      ->capture_default_str();
  encode->callback([encode_args] {
    set_recommended_environment();
    run_encode(*encode_args);
  });
}

}  // namespace shrewd::cli
