#pragma once

#include <cstdint>
#include <filesystem>
#include <string>

#include <torch/torch.h>

#include "shrewd/model/hash_model.hpp"

namespace shrewd::train {

// What a checkpoint holds besides the tensors: enough to rebuild the model and continue the run.
struct CheckpointInfo {
  int epochs_done = 0;          // completed epochs
  std::int64_t global_step = 0;
  std::string config_json;      // the run's resolved configuration
  std::string model_options;    // model::options_to_json
  std::string script;           // TorchScript backbone bytes, empty for built-in backbones
  std::int64_t lr_restart_step = -1;  // LrSchedule::restart_step / restart_lr of the run (-1: none;
  double lr_restart_lr = 0;           // absent from checkpoints written before they existed)
};

// Writes model parameters and buffers, the optimizer state and the info, atomically.
void save_checkpoint(const std::filesystem::path& path, model::HashModel& model, torch::optim::Optimizer& optimizer,
                     const CheckpointInfo& info);

// Reads the info only (to rebuild the model before load_checkpoint_state).
CheckpointInfo read_checkpoint_info(const std::filesystem::path& path);
// Loads the parameters and the optimizer state saved by save_checkpoint into model and optimizer.
void load_checkpoint_state(const std::filesystem::path& path, model::HashModel& model,
                           torch::optim::Optimizer& optimizer, torch::Device device);

}  // namespace shrewd::train
