#include "shrewd/train/baselines/greedyhash_loss.hpp"

#include "shrewd/common/error.hpp"

namespace shrewd::train {

torch::Tensor straight_through_sign(const torch::Tensor& u) {
  auto b = torch::where(u >= 0, torch::ones_like(u), -torch::ones_like(u));
  return u + (b - u).detach();
}

torch::Tensor greedyhash_penalty(const torch::Tensor& u) { return (u.abs() - 1).abs().pow(3).mean(); }

LossTerms GreedyHashLoss::operator()(const LossInputs& in) {
  require_labels(in, "greedyhash");
  if (!in.classify) fail("loss.method greedyhash", "the model has no classifier head");
  LossTerms terms;
  terms.ce = torch::nn::functional::cross_entropy(in.classify(straight_through_sign(in.u)), in.labels);
  terms.kl = greedyhash_penalty(in.u);
  terms.total = terms.ce + options_.alpha * terms.kl;
  return terms;
}

}  // namespace shrewd::train
