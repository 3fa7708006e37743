#pragma once

#include <memory>
#include <vector>

#include <torch/optim/optimizer.h>

#include "shrewd/model/hash_model.hpp"
#include "shrewd/train/run_config.hpp"

namespace shrewd::train {

// How a run trains the backbone and the head (hash layer, classifier): the backbone either
// frozen (optim.freeze_backbone: no gradients, BatchNorm statistics fixed, not in the optimizer)
// or trained at the scheduled rate times optim.backbone_lr_multiplier, in its own parameter
// group. With the multiplier 1 and no freezing, every parameter is in one group.
struct RunOptimizer {
  std::unique_ptr<torch::optim::Optimizer> optimizer;
  std::vector<double> lr_multipliers;  // one per parameter group

  // Sets group i's learning rate to lr x lr_multipliers[i] (lr from the run's LrSchedule).
  void set_lr(double lr);
};

// Freezes the backbone when the configuration says so, then builds the optimizer (optim.optimizer
// with its lr, momentum and weight decay) over the parameters that train.
RunOptimizer make_run_optimizer(const OptimConfig& optim, model::HashModel& model);

// model->train(), except that a frozen backbone stays in evaluation mode (BatchNorm statistics
// and dropout as in inference).
void set_training_mode(model::HashModel& model, bool freeze_backbone);

}  // namespace shrewd::train
