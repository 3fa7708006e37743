#include "shrewd/train/parameter_groups.hpp"

#include <set>

#include <torch/optim/adam.h>
#include <torch/optim/sgd.h>

#include "shrewd/model/backbone.hpp"

namespace shrewd::train {
namespace {

torch::optim::SGDOptions sgd_options(const OptimConfig& c, double multiplier) {
  return torch::optim::SGDOptions(c.lr * multiplier).momentum(c.momentum).weight_decay(c.weight_decay);
}
torch::optim::AdamOptions adam_options(const OptimConfig& c, double multiplier) {
  return torch::optim::AdamOptions(c.lr * multiplier).weight_decay(c.weight_decay);
}

// A group of parameters at optim.lr x multiplier.
torch::optim::OptimizerParamGroup group(const OptimConfig& c, std::vector<torch::Tensor> parameters, double multiplier) {
  if (c.optimizer == Optimizer::Sgd)
    return {std::move(parameters), std::make_unique<torch::optim::SGDOptions>(sgd_options(c, multiplier))};
  return {std::move(parameters), std::make_unique<torch::optim::AdamOptions>(adam_options(c, multiplier))};
}

}  // namespace

void RunOptimizer::set_lr(double lr) {
  auto& groups = optimizer->param_groups();
  for (std::size_t i = 0; i < groups.size(); ++i) groups[i].options().set_lr(lr * lr_multipliers.at(i));
}

RunOptimizer make_run_optimizer(const OptimConfig& c, model::HashModel& model) {
  auto backbone = model->backbone().parameters();
  std::set<const void*> in_backbone;
  for (const auto& parameter : backbone) in_backbone.insert(parameter.unsafeGetTensorImpl());
  std::vector<torch::Tensor> head;
  for (const auto& parameter : model->parameters())
    if (!in_backbone.count(parameter.unsafeGetTensorImpl())) head.push_back(parameter);

  RunOptimizer run;
  std::vector<torch::optim::OptimizerParamGroup> groups;
  if (c.freeze_backbone) {
    for (auto& parameter : backbone) parameter.set_requires_grad(false);
    groups.push_back(group(c, head, 1.0));
    run.lr_multipliers = {1.0};
  } else if (c.backbone_lr_multiplier != 1.0) {
    groups.push_back(group(c, backbone, c.backbone_lr_multiplier));
    groups.push_back(group(c, head, 1.0));
    run.lr_multipliers = {c.backbone_lr_multiplier, 1.0};
  } else {
    groups.push_back(group(c, model->parameters(), 1.0));
    run.lr_multipliers = {1.0};
  }
  if (c.optimizer == Optimizer::Sgd)
    run.optimizer = std::make_unique<torch::optim::SGD>(std::move(groups), sgd_options(c, 1.0));
  else
    run.optimizer = std::make_unique<torch::optim::Adam>(std::move(groups), adam_options(c, 1.0));
  return run;
}

void set_training_mode(model::HashModel& model, bool freeze_backbone) {
  model->train();
  if (freeze_backbone) model->backbone().eval();
}

}  // namespace shrewd::train
