#include "shrewd/train/trainer.hpp"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <memory>
#include <optional>

#include "shrewd/common/atomic_file.hpp"
#include "shrewd/common/error.hpp"
#include "shrewd/data/batch_loader.hpp"
#include "shrewd/data/split.hpp"
#include "shrewd/eval/retrieval.hpp"
#include "shrewd/model/threads.hpp"
#include "shrewd/train/baselines/hashing_loss.hpp"
#include "shrewd/train/batch_targets.hpp"
#include "shrewd/train/experiment_data.hpp"
#include "shrewd/train/checkpoint.hpp"
#include "shrewd/train/distributed_loss.hpp"
#include "shrewd/train/encode.hpp"
#include "shrewd/train/progress_bar.hpp"
#include "shrewd/train/run_config.hpp"
#include "shrewd/train/total_loss.hpp"

namespace shrewd::train {
namespace {

using nlohmann::json;
using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

torch::Device pick_device(const std::string& name) {
  if (name == "cuda") {
    if (!torch::cuda::is_available()) fail("config train.device", "cuda requested but LibTorch sees no CUDA device");
    return torch::Device(torch::kCUDA);
  }
  return torch::Device(torch::kCPU);
}

double learning_rate(const TrainConfig& c, std::int64_t step, std::int64_t steps_per_epoch) {
  const double epoch = static_cast<double>(step) / static_cast<double>(steps_per_epoch);
  if (epoch < c.warmup_epochs) return c.lr * (step + 1) / static_cast<double>(c.warmup_epochs * steps_per_epoch);
  if (c.schedule == "step") return c.lr * std::pow(c.gamma, std::floor(epoch / c.step_epochs));
  if (c.schedule == "cosine") {
    const double span = static_cast<double>(c.epochs - c.warmup_epochs);
    const double t = span > 0 ? (epoch - c.warmup_epochs) / span : 1.0;
    return c.lr * 0.5 * (1 + std::cos(M_PI * std::min(1.0, t)));
  }
  return c.lr;
}

std::unique_ptr<torch::optim::Optimizer> make_optimizer(const TrainConfig& c, model::HashModel& model) {
  if (c.optimizer == "sgd")
    return std::make_unique<torch::optim::SGD>(
        model->parameters(), torch::optim::SGDOptions(c.lr).momentum(c.momentum).weight_decay(c.weight_decay));
  return std::make_unique<torch::optim::Adam>(model->parameters(),
                                              torch::optim::AdamOptions(c.lr).weight_decay(c.weight_decay));
}

struct ValidationScores {
  double map = -1, mahp = -1, mahp_cosine = -1, seconds = 0;
};

// mAP@k and mAHP@k of the validation split against itself (each query left out of its own
// ranking), with binary codes and with the continuous outputs (for the binarisation gap).
ValidationScores validate(model::HashModel& model, const data::Dataset& validation, const std::vector<float>& similarity,
                          const TrainConfig& c, torch::Device device) {
  ValidationScores scores;
  if (validation.size() < 2 || !validation.labels.defined()) return scores;
  const auto start = Clock::now();
  auto z = encode_outputs(model, validation.inputs, device);
  auto codes = codes_from_outputs(z);
  auto label_tensor = validation.labels.to(torch::kLong).contiguous();
  std::vector<std::int64_t> labels(label_tensor.data_ptr<std::int64_t>(),
                                   label_tensor.data_ptr<std::int64_t>() + label_tensor.numel());
  auto truth = eval::Labels::single(labels, "validation split");
  eval::ClassRelevance relevance(truth, truth, similarity, static_cast<std::size_t>(validation.num_classes()));
  eval::EvalOptions options;
  options.cutoffs.map_at = c.map_at;
  options.cutoffs.ahp_at = c.ahp_at;
  options.cutoffs.precision_at = {10};
  options.queries_in_database = true;
  options.threads = c.threads;
  auto hamming = eval::evaluate_hamming(codes, codes, relevance, options);
  scores.map = hamming.index_ties.map;
  scores.mahp = hamming.index_ties.mahp;

  eval::Features features;
  features.source = "validation outputs";
  features.rows = static_cast<std::size_t>(z.size(0));
  features.columns = static_cast<std::size_t>(z.size(1));
  features.values.assign(z.data_ptr<float>(), z.data_ptr<float>() + z.numel());
  scores.mahp_cosine = eval::evaluate_cosine(features, features, relevance, options).mahp;
  scores.seconds = seconds_since(start);
  return scores;
}

// Running means of the loss terms over an epoch.
struct TermMeans {
  double total = 0, ce = 0, sim = 0, kl = 0;
  std::int64_t count = 0;
  void add(const LossTerms& terms) {
    ++count;
    total += terms.total.item<double>();
    if (terms.ce.defined()) ce += terms.ce.item<double>();
    if (terms.sim.defined()) sim += terms.sim.item<double>();
    if (terms.kl.defined()) kl += terms.kl.item<double>();
  }
  json to_json() const {
    const double n = count > 0 ? static_cast<double>(count) : 1.0;
    return {{"loss", total / n}, {"ce", ce / n}, {"sim", sim / n}, {"kl", kl / n}};
  }
  std::string text() const {
    const double n = count > 0 ? static_cast<double>(count) : 1.0;
    char line[160];
    std::snprintf(line, sizeof line, "loss %.4f ce %.4f sim %.4f kl %.4f", total / n, ce / n, sim / n, kl / n);
    return line;
  }
};

class JsonLog {
 public:
  JsonLog(const std::filesystem::path& path, bool append)
      : out_(path, append ? std::ios::app : std::ios::trunc) {
    if (!out_) fail(path.string(), "cannot open the training log for writing");
  }
  void write(const json& record) { out_ << record.dump() << "\n" << std::flush; }

 private:
  std::ofstream out_;
};

}  // namespace

TrainSummary run_training(const json& resolved, const std::filesystem::path& resume,
                          const DistributedOptions& distributed) {
  const TrainConfig c = parse_config(resolved);
  // Data-parallel training (docs/scaling.md): rank r trains on its slice of every global batch.
  const auto ranks = distributed.enabled() ? std::make_unique<DistributedContext>(distributed) : nullptr;
  const int rank = distributed.rank, world = distributed.world_size;
  const bool main_rank = rank == 0;
  if (c.batch_size % world != 0)
    fail("config train.batch_size", std::to_string(c.batch_size) + " does not split evenly over " +
                                        std::to_string(world) + " ranks");
  model::configure_threads(c.threads);
  torch::manual_seed(c.seed);
  const auto device = pick_device(c.device);

  // Data: the training part and a seeded validation split carved from it.
  auto all = restrict_training_data(data::load_dataset(c.data), c.train_classes, c.train_subset, c.split_seed);
  data::Dataset training, validation;
  if (c.validation_fraction > 0) {
    std::tie(training, validation) = data::split_validation(all, c.validation_fraction, c.split_seed);
  } else {
    training = all;
  }
  if (training.size() < c.batch_size)
    fail("config train.batch_size", std::to_string(c.batch_size) + " is larger than the training set (" +
                                        std::to_string(training.size()) + " items)");
  BatchTargets targets(c, training, device);
  // The method or a baseline (loss.method); the hook between the trainer and the baselines.
  const MethodSettings settings{c.weights, c.similarity, c.kl, c.classifier, c.seed, c.model.bits};
  auto loss = make_hashing_loss(c.method, settings, training.num_classes());
  if (loss->needs_labels() && !training.labels.defined())
    fail("config loss.method", c.method + " needs class labels, and " + training.source + " has none");

  // Model and optimizer, fresh or from the checkpoint.
  CheckpointInfo resumed;
  model::HashModelOptions options = c.model;
  std::string script;
  if (!resume.empty()) {
    resumed = read_checkpoint_info(resume);
    options = model::options_from_json(resumed.model_options);
    script = resumed.script;
  } else {
    options.input_shape.assign(training.inputs.sizes().begin() + 1, training.inputs.sizes().end());
    const bool classify = loss->needs_classifier() && training.labels.defined();
    options.classes = classify ? training.num_classes() : 0;
  }
  model::HashModel model(options, script);
  model->to(device);
  auto optimizer = make_optimizer(c, model);
  if (!resume.empty()) load_checkpoint_state(resume, model, *optimizer, device);
  if (ranks) {  // every rank starts from rank 0's parameters and buffers
    auto tensors = model->parameters();
    for (const auto& buffer : model->buffers()) tensors.push_back(buffer);
    ranks->broadcast_from_main(tensors);
  }
  if (resumed.epochs_done >= c.epochs)
    fail(resume.string(), "already holds " + std::to_string(resumed.epochs_done) +
                              " epochs; raise train.epochs to continue");

  RunFiles files{c.out};
  std::optional<JsonLog> log;  // files are written by rank 0 only
  if (main_rank) {
    std::filesystem::create_directories(files.dir);
    write_text_file(files.config(), resolved.dump(2) + "\n");
    log.emplace(files.log(), !resume.empty());
  }

  data::BatchOptions batching;
  batching.batch_size = c.batch_size;
  batching.shuffle = true;
  batching.seed = c.seed;
  batching.workers = c.workers;
  batching.drop_last = true;  // the losses need whole batches (a batch of 1 has no pairs)
  batching.augment.crop_padding = c.crop_padding;
  batching.augment.horizontal_flip = c.horizontal_flip;
  data::BatchLoader loader(training, batching);
  const auto steps_per_epoch = loader.batches_per_epoch();

  ProgressBar progress(c.progress && main_rank, c.epochs);
  TrainSummary summary;
  summary.files = files;
  std::int64_t global_step = resumed.global_step;
  for (int epoch = resumed.epochs_done; epoch < c.epochs; ++epoch) {
    model->train();
    loader.start_epoch(epoch);
    loss->start_epoch(c.seed * 1000003ULL + static_cast<std::uint64_t>(epoch));
    progress.start_epoch(epoch, steps_per_epoch);
    TermMeans means, window;
    const auto epoch_start = Clock::now();
    std::int64_t images = 0, step = 0;
    for (const auto& batch : loader) {
      const double lr = learning_rate(c, global_step, steps_per_epoch);
      for (auto& group : optimizer->param_groups()) group.options().set_lr(lr);
      auto inputs = local_rows(batch.inputs, rank, world).to(device);
      auto labels = batch.labels.defined() ? batch.labels.to(device) : torch::Tensor();
      auto output = model->forward(inputs);
      LossInputs in{output.u, output.z, output.logits, labels,
                    loss->needs_target_distances() ? targets(batch.labels, batch.embeddings) : torch::Tensor(),
                    global_step, [&model](const torch::Tensor& codes) { return model->classify(codes); }};
      if (ranks) in = gather_global_batch(*ranks, std::move(in));
      auto terms = (*loss)(in);
      optimizer->zero_grad();
      rank_objective(terms, world).backward();
      if (ranks) ranks->average_gradients(model->parameters());
      optimizer->step();

      means.add(terms);
      window.add(terms);
      images += inputs.size(0) * world;
      ++step;
      ++global_step;
      const double rate = images / std::max(1e-9, seconds_since(epoch_start));
      progress.update(step, means.text(), rate);
      if (step % c.log_every == 0 || step == steps_per_epoch) {
        auto record = window.to_json();
        record["type"] = "step";
        record["epoch"] = epoch + 1;
        record["step"] = global_step;
        record["lr"] = lr;
        record["images_per_s"] = rate;
        if (log) log->write(record);
        window = {};
      }
    }
    const double train_seconds = seconds_since(epoch_start);
    auto scores = main_rank ? validate(model, validation, targets.class_similarity(), c, device) : ValidationScores{};

    CheckpointInfo info{epoch + 1, global_step, resolved.dump(), model::options_to_json(model->options()),
                        model->script()};
    if (main_rank) {
      save_checkpoint(files.checkpoint(), model, *optimizer, info);
      model::save_model(model, files.model());
    }

    auto record = means.to_json();
    record["type"] = "epoch";
    record["epoch"] = epoch + 1;
    record["seconds"] = train_seconds;
    record["images_per_s"] = images / std::max(1e-9, train_seconds);
    if (scores.map >= 0) {
      record["val_map"] = scores.map;
      record["val_mahp"] = scores.mahp;
      record["val_mahp_cosine"] = scores.mahp_cosine;
      record["val_seconds"] = scores.seconds;
    }
    if (log) log->write(record);
    char text[200];
    std::snprintf(text, sizeof text, "%s | %.0f img/s", means.text().c_str(), images / std::max(1e-9, train_seconds));
    std::string line = text;
    if (scores.map >= 0) {
      std::snprintf(text, sizeof text, " | val mAP@%zu %.4f mAHP@%zu %.4f (cosine %.4f)", c.map_at, scores.map,
                    c.ahp_at, scores.mahp, scores.mahp_cosine);
      line += text;
    }
    progress.finish_epoch(line);
    summary.epochs_done = epoch + 1;
    summary.final_loss = means.to_json()["loss"].get<double>();
    summary.validation_map = scores.map;
    summary.validation_mahp = scores.mahp;
  }
  return summary;
}

}  // namespace shrewd::train
