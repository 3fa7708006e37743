#pragma once

#include <filesystem>

#include <nlohmann/json.hpp>

#include "shrewd/train/distributed_options.hpp"

namespace shrewd::train {

// Files a run writes into its output directory (train.out).
struct RunFiles {
  std::filesystem::path dir;
  std::filesystem::path model() const { return dir / "model.pt"; }            // save_model format
  std::filesystem::path checkpoint() const { return dir / "checkpoint.pt"; }  // model + optimizer
  std::filesystem::path config() const { return dir / "config.json"; }        // resolved config
  std::filesystem::path log() const { return dir / "log.jsonl"; }             // step and epoch records
};

struct TrainSummary {
  RunFiles files;
  int epochs_done = 0;
  double final_loss = 0;           // mean total loss of the last epoch
  double validation_map = -1;      // of the last epoch; -1 without a validation split / labels
  double validation_mahp = -1;
};

// Trains the model a resolved configuration (resolve_config) describes. With `resume`, the
// model and optimizer state come from that checkpoint and training continues after its last
// completed epoch. Writes the resolved config, the log, a checkpoint and the model after every
// epoch (atomically).
// With distributed.world_size > 1, this process is one rank of a data-parallel run
// (docs/scaling.md); only rank 0 writes files.
// A train.out that already holds a run's files is an Error, unless `resume` is that directory's
// checkpoint or `overwrite` is set (its files are then replaced).
TrainSummary run_training(const nlohmann::json& config, const std::filesystem::path& resume = {},
                          const DistributedOptions& distributed = {}, bool overwrite = false);

}  // namespace shrewd::train
