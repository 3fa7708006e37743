// A frozen or fine-tuned backbone with its own learning-rate multiplier
// (src/shrewd/train/parameter_groups.hpp).
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <map>

#include "shrewd/model/backbone.hpp"
#include "shrewd/model/hash_model.hpp"
#include "shrewd/train/lr_schedule.hpp"
#include "shrewd/train/parameter_groups.hpp"

namespace shrewd::train {
namespace {

// The small CNN (convolutions and BatchNorm, so buffers too) on 8x8 images, 16 bits, 3 classes.
model::HashModel small_model() {
  torch::manual_seed(5);
  model::HashModelOptions options;
  options.backbone = "cnn";
  options.input_shape = {1, 8, 8};
  options.channels = {4};
  options.feature_dim = 8;
  options.bits = 16;
  options.classes = 3;
  return model::HashModel(options);
}

std::map<std::string, torch::Tensor> copies(const torch::OrderedDict<std::string, torch::Tensor>& tensors) {
  std::map<std::string, torch::Tensor> out;
  for (const auto& item : tensors) out[item.key()] = item.value().detach().clone();
  return out;
}

// One step on cross-entropy of a fixed batch.
void step(model::HashModel& model, RunOptimizer& optimizer, bool freeze_backbone) {
  set_training_mode(model, freeze_backbone);
  auto out = model->forward(torch::rand({6, 1, 8, 8}));
  auto loss = torch::nn::functional::cross_entropy(out.logits, torch::tensor({0, 1, 2, 0, 1, 2}));
  optimizer.optimizer->zero_grad();
  loss.backward();
  optimizer.optimizer->step();
}

// Which of the model's parameters and buffers a step changed, by name.
std::map<std::string, bool> changed_by_a_step(bool freeze_backbone) {
  auto model = small_model();
  OptimConfig config;
  config.lr = 0.1;
  config.freeze_backbone = freeze_backbone;
  auto optimizer = make_run_optimizer(config, model);
  auto before = copies(model->named_parameters());
  for (const auto& [name, value] : copies(model->named_buffers())) before[name] = value;
  step(model, optimizer, freeze_backbone);
  std::map<std::string, bool> changed;
  for (const auto& item : model->named_parameters()) changed[item.key()] = !torch::equal(item.value(), before[item.key()]);
  for (const auto& item : model->named_buffers()) changed[item.key()] = !torch::equal(item.value(), before[item.key()]);
  return changed;
}

bool in_backbone(const std::string& name) { return name.rfind("backbone.", 0) == 0; }

TEST(ParameterGroups, AFrozenBackboneKeepsItsParametersAndStatisticsWhileTheHeadTrains) {
  const auto frozen = changed_by_a_step(true);
  int backbone = 0, head = 0;
  for (const auto& [name, changed] : frozen) {
    if (name.find("num_batches_tracked") != std::string::npos) continue;
    if (in_backbone(name)) {
      ++backbone;
      EXPECT_FALSE(changed) << name << " changed in a frozen backbone";
    } else {
      ++head;
      EXPECT_TRUE(changed) << name << " of the head did not train";
    }
  }
  EXPECT_GE(backbone, 6);  // conv, BN weight/bias/mean/var, fc, ...
  EXPECT_EQ(head, 4);      // hash and classifier weights and biases
  EXPECT_EQ(frozen.at("backbone.fc.weight"), false);

  // Without freezing, the same step moves the backbone's weights and BatchNorm statistics.
  const auto trained = changed_by_a_step(false);
  EXPECT_TRUE(trained.at("backbone.conv0.weight"));
  EXPECT_TRUE(trained.at("backbone.bn0.running_mean"));

  // A frozen backbone gets no gradients and is not in the optimizer.
  auto model = small_model();
  OptimConfig config;
  config.freeze_backbone = true;
  auto optimizer = make_run_optimizer(config, model);
  ASSERT_EQ(optimizer.optimizer->param_groups().size(), 1u);
  EXPECT_EQ(optimizer.optimizer->param_groups()[0].params().size(), 4u);
  for (const auto& parameter : model->backbone().parameters()) EXPECT_FALSE(parameter.requires_grad());
}

TEST(ParameterGroups, TheBackboneGroupRunsAtTheScheduledRateTimesItsMultiplier) {
  auto model = small_model();
  OptimConfig config;
  config.optimizer = Optimizer::Sgd;
  config.momentum = 0;
  config.lr = 0.2;
  config.backbone_lr_multiplier = 0.1;
  auto optimizer = make_run_optimizer(config, model);
  auto& groups = optimizer.optimizer->param_groups();
  ASSERT_EQ(groups.size(), 2u);
  EXPECT_EQ(groups[0].params().size(), model->backbone().parameters().size());
  EXPECT_EQ(groups[0].params().size() + groups[1].params().size(), model->parameters().size());
  EXPECT_DOUBLE_EQ(groups[0].options().get_lr(), 0.02);  // before the first scheduled step
  EXPECT_DOUBLE_EQ(groups[1].options().get_lr(), 0.2);

  // Through the schedule (warm-up, then cosine), both groups follow it, the backbone at 0.1 x.
  LrSchedule schedule;
  schedule.lr = config.lr;
  schedule.warmup_epochs = 1;
  schedule.epochs = 4;
  for (std::int64_t s : {0, 3, 5, 9, 15}) {
    const double rate = schedule(s, 5);
    optimizer.set_lr(rate);
    EXPECT_DOUBLE_EQ(groups[0].options().get_lr(), rate * 0.1) << "step " << s;
    EXPECT_DOUBLE_EQ(groups[1].options().get_lr(), rate) << "step " << s;
  }

  // A plain SGD step moves each parameter by its group's rate times its gradient.
  optimizer.set_lr(0.5);
  set_training_mode(model, false);
  model->forward(torch::rand({6, 1, 8, 8}));  // BatchNorm statistics settle before the measured step
  auto backbone_weight = model->named_parameters()["backbone.fc.weight"];
  auto head_weight = model->named_parameters()["hash.weight"];
  const auto backbone_before = backbone_weight.detach().clone(), head_before = head_weight.detach().clone();
  auto out = model->forward(torch::rand({6, 1, 8, 8}));
  optimizer.optimizer->zero_grad();
  out.logits.sum().backward();
  optimizer.optimizer->step();
  EXPECT_TRUE(torch::allclose(backbone_before - backbone_weight.detach(), 0.05 * backbone_weight.grad(), 1e-5, 1e-7));
  EXPECT_TRUE(torch::allclose(head_before - head_weight.detach(), 0.5 * head_weight.grad(), 1e-5, 1e-7));
}

TEST(ParameterGroups, TheDefaultsKeepOneGroupOfEveryParameter) {
  auto model = small_model();
  auto optimizer = make_run_optimizer(OptimConfig{}, model);
  ASSERT_EQ(optimizer.optimizer->param_groups().size(), 1u);
  EXPECT_EQ(optimizer.optimizer->param_groups()[0].params().size(), model->parameters().size());
  optimizer.set_lr(0.3);
  EXPECT_DOUBLE_EQ(optimizer.optimizer->param_groups()[0].options().get_lr(), 0.3);
}

}  // namespace
}  // namespace shrewd::train
