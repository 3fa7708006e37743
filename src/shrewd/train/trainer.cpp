#include "shrewd/train/trainer.hpp"

#include <fmt/format.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <memory>
#include <optional>

#include "shrewd/common/atomic_file.hpp"
#include "shrewd/common/error.hpp"
#include "shrewd/common/seconds_since.hpp"
#include "shrewd/data/batch_loader.hpp"
#include "shrewd/data/split.hpp"
#include "shrewd/eval/retrieval.hpp"
#include "shrewd/model/device.hpp"
#include "shrewd/model/oversize.hpp"
#include "shrewd/model/threads.hpp"
#include "shrewd/train/baselines/hashing_loss.hpp"
#include "shrewd/train/batch_targets.hpp"
#include "shrewd/train/experiment_data.hpp"
#include "shrewd/train/checkpoint.hpp"
#include "shrewd/train/class_files.hpp"
#include "shrewd/train/distributed_loss.hpp"
#include "shrewd/train/encode.hpp"
#include "shrewd/train/parameter_groups.hpp"
#include "shrewd/train/progress_bar.hpp"
#include "shrewd/train/run_options.hpp"
#include "shrewd/train/total_loss.hpp"

namespace shrewd::train {
namespace {

using nlohmann::json;
using Clock = std::chrono::steady_clock;

struct ValidationScores {
  double map = -1, mahp = -1, mahp_cosine = -1, seconds = 0;
};

// mAP@k and mAHP@k of the validation split against itself (each query left out of its own
// ranking), with binary codes and with the continuous outputs (for the binarisation gap).
ValidationScores validate(model::HashModel& model, const data::Dataset& validation, const std::vector<float>& similarity,
                          const RunConfig& c, torch::Device device, const data::Preprocessing& preprocessing) {
  ValidationScores scores;
  if (validation.size() < 2 || !validation.labels.defined()) return scores;
  const auto start = Clock::now();
  // In batches of the training's size, so that validation never needs more memory than a step,
  // whatever the size of the split.
  auto z = encode_dataset(model, validation, preprocessing, device, c.train.batch_size, c.data.workers);
  auto codes = codes_from_outputs(z);
  auto label_tensor = validation.labels.to(torch::kLong).contiguous();
  std::vector<std::int64_t> labels(label_tensor.data_ptr<std::int64_t>(),
                                   label_tensor.data_ptr<std::int64_t>() + label_tensor.numel());
  auto truth = eval::Labels::single(labels, "validation split");
  eval::ClassRelevance relevance(truth, truth, similarity, static_cast<std::size_t>(validation.num_classes()));
  eval::EvalOptions options;
  options.cutoffs.map_at = c.validation.map_at;
  options.cutoffs.ahp_at = c.validation.ahp_at;
  options.cutoffs.precision_at = {10};
  options.queries_in_database = true;
  options.threads = c.train.threads;
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

// Set-up: the data, the targets, the loss, the model and its optimizer (fresh or from the
// checkpoint), in the order that fixes the random draws of a run.
struct Run {
  Run(const RunConfig& c, const std::filesystem::path& resume, const DistributedOptions& distributed);

  RunConfig config;
  std::unique_ptr<DistributedContext> ranks;  // null unless data-parallel
  int rank = 0, world = 1;
  torch::Device device = torch::kCPU;
  data::Dataset training, validation;
  data::Preprocessing preprocessing;  // the config's, with `auto` normalisation computed
  std::unique_ptr<BatchTargets> targets;
  std::unique_ptr<HashingLoss> loss;
  CheckpointInfo resumed;  // epochs_done 0 and global_step 0 for a fresh run
  LrSchedule resumed_schedule;  // the schedule the checkpoint's run followed (resumed runs only)
  model::HashModel model{nullptr};
  RunOptimizer optimizer;  // parameter groups of the backbone and the head

  bool main_rank() const { return rank == 0; }
};

Run::Run(const RunConfig& c, const std::filesystem::path& resume, const DistributedOptions& distributed)
    : config(c), rank(distributed.rank), world(distributed.world_size) {
  // Data-parallel training (docs/scaling.md): rank r trains on its slice of every global batch.
  if (distributed.enabled()) ranks = std::make_unique<DistributedContext>(distributed);
  if (c.train.batch_size % world != 0)
    fail("config train.batch_size", fmt::format("{} does not split evenly over {} ranks", c.train.batch_size, world));
  model::configure_threads(c.train.threads);
  torch::manual_seed(c.train.seed);
  device = model::choose_device(c.train.device == Device::Cuda, "config train.device");

  // Data: the training part and a seeded validation split carved from it.
  auto all = restrict_training_data(data::load_dataset(training_source(c)), c.data.train_classes,
                                    c.data.train_subset, c.data.split_seed);
  if (c.data.validation_fraction > 0) {
    std::tie(training, validation) = data::split_validation(all, c.data.validation_fraction, c.data.split_seed);
  } else {
    training = all;
  }
  preprocessing = c.preprocessing;
  if (c.preprocessing.normalize == Normalize::Auto)
    preprocessing = data::with_computed_normalization(training, preprocessing, c.data.workers);
  if (training.size() < c.train.batch_size)
    fail("config train.batch_size",
         fmt::format("{} is larger than the training set ({} items)", c.train.batch_size, training.size()));
  targets = std::make_unique<BatchTargets>(c, training, device);
  // The method or a baseline (loss.method); the hook between the trainer and the baselines.
  loss = make_hashing_loss(c.loss.method, method_settings(c), training.num_classes());
  if (loss->needs_labels() && !training.labels.defined())
    fail("config loss.method", fmt::format("{} needs class labels, and {} has none", c.loss.method, training.source));

  // Model and optimizer, fresh or from the checkpoint.
  model::HashModelOptions options = model_options(c.model);
  std::string script;
  if (!resume.empty()) {
    resumed = read_checkpoint_info(resume);
    options = model::options_from_json(resumed.model_options);
    auto before = default_config();
    merge_config(before, json::parse(resumed.config_json), resume.string());
    resumed_schedule = lr_schedule(parse_config(before));
    resumed_schedule.restart_step = resumed.lr_restart_step;
    resumed_schedule.restart_lr = resumed.lr_restart_lr;
    script = resumed.script;
  } else {
    options.input_shape = data::prepared_item_shape(training, preprocessing);
    const bool classify = loss->needs_classifier() && training.labels.defined();
    options.classes = classify ? training.num_classes() : 0;
  }
  model = model::refusing_oversize(
      "config model.channels, model.hidden, model.feature_dim or the input size (preprocessing.resize, "
      "preprocessing.crop_size)",
      [&] {
        model::HashModel built(options, script);
        built->to(device);
        return built;
      });
  model->set_preprocessing(data::preprocessing_to_json(preprocessing));
  optimizer = make_run_optimizer(c.optim, model);
  if (!resume.empty()) load_checkpoint_state(resume, model, *optimizer.optimizer, device);
  if (ranks) {  // every rank starts from rank 0's parameters and buffers
    auto tensors = model->parameters();
    for (const auto& buffer : model->buffers()) tensors.push_back(buffer);
    ranks->broadcast_from_main(tensors);
  }
  if (resumed.epochs_done >= c.train.epochs)
    fail(resume.string(), fmt::format("already holds {} epochs; raise train.epochs to continue", resumed.epochs_done));
}

// Log: the run's files (rank 0 only): config.json with the values used, log.jsonl with step and
// epoch records, and the epoch lines under the progress bar.
class RunLog {
 public:
  RunLog(const Run& run, const json& used_config, const std::filesystem::path& resume, bool overwrite) {
    if (!run.main_rank()) return;
    const RunFiles files{run.config.train.out};
    if (!overwrite) refuse_to_overwrite(files, resume);
    const bool append = !resume.empty();
    std::filesystem::create_directories(run.config.train.out);
    write_text_file(files.config(), used_config.dump(2) + "\n");
    log_.emplace(files.log(), append);
  }
  void write(const json& record) {
    if (log_) log_->write(record);
  }
  void step(int epoch, std::int64_t global_step, double lr, double images_per_s, const TermMeans& window,
            const RunClock& clock) {
    auto record = window.to_json();
    record["elapsed_s"] = clock.elapsed_seconds();
    record["eta_s"] = clock.eta_seconds(global_step);
    record["type"] = "step";
    record["epoch"] = epoch + 1;
    record["step"] = global_step;
    record["lr"] = lr;
    record["images_per_s"] = images_per_s;
    if (log_) log_->write(record);
  }
  void epoch(int epoch, const TermMeans& means, double seconds, double images_per_s, const ValidationScores& scores,
             const RunClock& clock, std::int64_t global_step) {
    auto record = means.to_json();
    record["type"] = "epoch";
    record["epoch"] = epoch + 1;
    record["elapsed_s"] = clock.elapsed_seconds();
    record["eta_s"] = clock.eta_seconds(global_step);
    record["seconds"] = seconds;
    record["images_per_s"] = images_per_s;
    if (scores.map >= 0) {
      record["val_map"] = scores.map;
      record["val_mahp"] = scores.mahp;
      record["val_mahp_cosine"] = scores.mahp_cosine;
      record["val_seconds"] = scores.seconds;
    }
    if (log_) log_->write(record);
  }

 private:
  // A fresh run never replaces another silently: train.out must not hold a run's files unless
  // this run resumes that directory's own checkpoint (or --overwrite says to replace it).
  static void refuse_to_overwrite(const RunFiles& files, const std::filesystem::path& resume) {
    const auto resumed_dir = resume.parent_path().empty() ? std::filesystem::path(".") : resume.parent_path();
    std::error_code error;
    if (!resume.empty() && std::filesystem::equivalent(resumed_dir, files.dir, error)) return;
    for (const auto& file : {files.model(), files.checkpoint(), files.config(), files.log()})
      if (std::filesystem::exists(file))
        fail("config train.out", fmt::format("{} already holds a run ({}); choose another train.out, resume it with "
                                             "--resume {}, or replace it with --overwrite",
                                             files.dir.string(), file.filename().string(), files.checkpoint().string()));
  }

  std::optional<JsonLog> log_;
};

// The start-up summary: what the run trains on, what, where and how long, as lines for the
// terminal and one "start" record for the log.
json start_record(const Run& run, std::int64_t steps_per_epoch) {
  const RunConfig& c = run.config;
  std::int64_t parameters = 0, trained = 0;
  for (const auto& parameter : run.model->parameters()) {
    parameters += parameter.numel();
    if (parameter.requires_grad()) trained += parameter.numel();
  }
  return {{"type", "start"},
          {"train_items", run.training.size()},
          {"validation_items", run.validation.size()},
          {"classes", run.training.labels.defined() ? run.training.num_classes() : 0},
          {"input_shape", run.model->options().input_shape},
          {"backbone", run.model->options().backbone},
          {"feature_dim", run.model->feature_dim()},
          {"bits", run.model->options().bits},
          {"parameters", parameters},
          {"trained_parameters", trained},
          {"device", run.device.str()},
          {"threads", at::get_num_threads()},
          {"ranks", run.world},
          {"batch_size", c.train.batch_size},
          {"steps_per_epoch", steps_per_epoch},
          {"epochs", c.train.epochs},
          {"first_epoch", run.resumed.epochs_done + 1},
          {"out", c.train.out}};
}

std::vector<std::string> start_lines(const json& start, const OptimConfig& optim) {
  auto list = [](const json& shape) {
    std::string text;
    for (const auto& size : shape) text += (text.empty() ? "" : "x") + size.dump();
    return text;
  };
  const std::string backbone_training = optim.freeze_backbone ? ", backbone frozen"
                                        : optim.backbone_lr_multiplier != 1.0
                                            ? ", backbone lr x " + json(optim.backbone_lr_multiplier).dump()
                                            : "";
  return {
      "data: " + start["train_items"].dump() + " training items, " + start["validation_items"].dump() +
          " validation, " + start["classes"].dump() + " classes, items " + list(start["input_shape"]),
      "model: " + start["backbone"].get<std::string>() + " (" + start["feature_dim"].dump() + " features) -> " +
          start["bits"].dump() + " bits, " + start["parameters"].dump() + " parameters, " +
          start["trained_parameters"].dump() + " trained" + backbone_training,
      "device: " + start["device"].get<std::string>() + ", " + start["threads"].dump() + " threads" +
          (start["ranks"].get<int>() > 1 ? ", " + start["ranks"].dump() + " ranks" : ""),
      "plan: epochs " + start["first_epoch"].dump() + ".." + start["epochs"].dump() + ", " +
          start["steps_per_epoch"].dump() + " steps of " + start["batch_size"].dump() + " per epoch, into " +
          start["out"].get<std::string>()};
}

// The epoch's line under the progress bar.
std::string epoch_line(const TermMeans& means, double images_per_s, const ValidationScores& scores,
                       const ValidationConfig& validation) {
  char text[200];
  std::snprintf(text, sizeof text, "%s | %.0f img/s", means.text().c_str(), images_per_s);
  std::string line = text;
  if (scores.map >= 0) {
    std::snprintf(text, sizeof text, " | val mAP@%zu %.4f mAHP@%zu %.4f (cosine %.4f)",
                  static_cast<std::size_t>(validation.map_at), scores.map, static_cast<std::size_t>(validation.ahp_at),
                  scores.mahp, scores.mahp_cosine);
    line += text;
  }
  return line;
}

struct EpochResult {
  TermMeans means;
  std::int64_t images = 0;
  double seconds = 0;
  double images_per_s() const { return images / std::max(1e-9, seconds); }
};

// Epoch: one pass over the training batches, one optimizer step each; `global_step` counts the
// steps of the whole run.
EpochResult train_epoch(Run& run, int epoch, data::BatchLoader& loader, const LrSchedule& schedule,
                        std::int64_t& global_step, ProgressBar& progress, RunLog& log) {
  const RunConfig& c = run.config;
  auto& model = run.model;
  auto& loss = *run.loss;
  const auto steps_per_epoch = loader.batches_per_epoch();
  set_training_mode(model, c.optim.freeze_backbone);
  loader.start_epoch(epoch);
  loss.start_epoch(c.train.seed * 1000003ULL + static_cast<std::uint64_t>(epoch));
  progress.start_epoch(epoch);
  EpochResult result;
  TermMeans window;
  const auto epoch_start = Clock::now();
  std::int64_t step = 0;
  for (const auto& batch : loader) {
    const double lr = schedule(global_step, steps_per_epoch);
    run.optimizer.set_lr(lr);
    auto inputs = local_rows(batch.inputs, run.rank, run.world).to(run.device);
    auto labels = batch.labels.defined() ? batch.labels.to(run.device) : torch::Tensor();
    auto output = model->forward(inputs);
    LossInputs in{output.u, output.z, output.logits, labels,
                  loss.needs_target_distances() ? (*run.targets)(batch.labels, batch.embeddings) : torch::Tensor(),
                  global_step, [&model](const torch::Tensor& codes) { return model->classify(codes); }};
    if (run.ranks) in = gather_global_batch(*run.ranks, std::move(in));
    auto terms = loss(in);
    run.optimizer.optimizer->zero_grad();
    rank_objective(terms, run.world).backward();
    if (run.ranks) run.ranks->average_gradients(model->parameters());
    run.optimizer.optimizer->step();

    result.means.add(terms);
    window.add(terms);
    result.images += inputs.size(0) * run.world;
    ++step;
    ++global_step;
    const double rate = result.images / std::max(1e-9, seconds_since(epoch_start));
    progress.update(step, result.means.text(), rate);
    if (step % c.train.log_every == 0 || step == steps_per_epoch) {
      log.step(epoch, global_step, lr, rate, window, progress.clock());
      window = {};
    }
  }
  result.seconds = seconds_since(epoch_start);
  return result;
}

// Checkpoint: the model and the optimizer after `epochs_done` epochs, and the model alone
// (rank 0 only; each file written atomically).
void save_epoch(Run& run, int epochs_done, std::int64_t global_step, const std::string& used_config,
                const LrSchedule& schedule) {
  if (!run.main_rank()) return;
  const RunFiles files{run.config.train.out};
  CheckpointInfo info{epochs_done,         global_step,           used_config, model::options_to_json(run.model->options()),
                      run.model->script(), schedule.restart_step, schedule.restart_lr};
  save_checkpoint(files.checkpoint(), run.model, *run.optimizer.optimizer, info);
  model::save_model(run.model, files.model());
}

data::BatchOptions batch_options(const RunConfig& c, const data::Preprocessing& preprocessing) {
  data::BatchOptions batching;
  batching.batch_size = c.train.batch_size;
  batching.shuffle = true;
  batching.seed = c.train.seed;
  batching.workers = c.data.workers;
  batching.drop_last = true;  // the losses need whole batches (a batch of 1 has no pairs)
  batching.preprocessing = preprocessing;
  batching.training = true;
  return batching;
}

}  // namespace

TrainSummary run_training(const json& resolved, const std::filesystem::path& resume,
                          const DistributedOptions& distributed, bool overwrite) {
  Run run(with_class_files(parse_config(resolved)), resume, distributed);
  const RunConfig& c = run.config;
  const json used = config_json(with_values_used(c, run.preprocessing, run.model->options()));
  RunLog log(run, used, resume, overwrite);

  data::BatchLoader loader(run.training, batch_options(c, run.preprocessing));
  const auto steps_per_epoch = loader.batches_per_epoch();
  ProgressBar progress(c.train.progress && run.main_rank(), c.train.epochs, steps_per_epoch, run.resumed.epochs_done);
  const auto start = start_record(run, steps_per_epoch);
  log.write(start);
  for (const auto& line : start_lines(start, c.optim)) progress.note(line);
  LrSchedule schedule = lr_schedule(c);
  if (!resume.empty()) {
    const auto step = run.resumed.global_step;
    schedule = resumed_schedule(run.resumed_schedule, schedule, step, steps_per_epoch, c.optim.resume_schedule);
    const auto line = describe_resumed_schedule(run.resumed_schedule, lr_schedule(c), step, steps_per_epoch,
                                                c.optim.resume_schedule);
    log.write({{"type", "resume"}, {"step", step}, {"lr", schedule(step, steps_per_epoch)}, {"schedule", line}});
    progress.note("resume: " + line);
  }
  TrainSummary summary;
  summary.files = RunFiles{c.train.out};
  std::int64_t global_step = run.resumed.global_step;
  for (int epoch = run.resumed.epochs_done; epoch < c.train.epochs; ++epoch) {
    const auto trained = train_epoch(run, epoch, loader, schedule, global_step, progress, log);
    // Validation (rank 0 only).
    const auto scores = run.main_rank()
                            ? validate(run.model, run.validation, run.targets->class_similarity(), c, run.device, run.preprocessing)
                            : ValidationScores{};
    save_epoch(run, epoch + 1, global_step, used.dump(), schedule);
    log.epoch(epoch, trained.means, trained.seconds, trained.images_per_s(), scores, progress.clock(), global_step);
    progress.finish_epoch(epoch_line(trained.means, trained.images_per_s(), scores, c.validation));
    summary.epochs_done = epoch + 1;
    summary.final_loss = trained.means.to_json()["loss"].get<double>();
    summary.validation_map = scores.map;
    summary.validation_mahp = scores.mahp;
  }
  return summary;
}

}  // namespace shrewd::train
