#pragma once

#include <torch/torch.h>

#include "shrewd/train/baselines/hashing_loss.hpp"

namespace shrewd::train {

// GreedyHash: Su, Zhang, Han & Tian, "Greedy hash: towards fast optimization for accurate hash
// coding in CNN", NeurIPS 2018. b = sign(u) in the forward pass, the gradient passes straight
// through (db/du = 1); a linear classifier on b with cross-entropy, plus the penalty
//   alpha * mean_{i,k} | |u_ik| - 1 |^3, alpha = 0.1 (authors' released code).
struct GreedyHashOptions {
  double alpha = 0.1;
};

// sign(u) (0 -> +1) forward, identity gradient backward.
torch::Tensor straight_through_sign(const torch::Tensor& u);
// mean | |u| - 1 |^3.
torch::Tensor greedyhash_penalty(const torch::Tensor& u);

class GreedyHashLoss : public HashingLoss {
 public:
  explicit GreedyHashLoss(GreedyHashOptions options = {}) : options_(options) {}
  LossTerms operator()(const LossInputs& inputs) override;
  bool needs_classifier() const override { return true; }
  bool needs_labels() const override { return true; }

 private:
  GreedyHashOptions options_;
};

}  // namespace shrewd::train
