#pragma once

#include <cstdint>

#include <torch/torch.h>

#include "shrewd/train/baselines/hashing_loss.hpp"

namespace shrewd::train {

// HashNet: Cao, Long, Wang & Yu, "HashNet: deep learning to hash by continuation", ICCV 2017.
// h = tanh(beta u), beta = (1 + gamma * t)^power growing with the step t (updated every
// step_size steps); weighted pairwise cross-entropy with the adaptive sigmoid sigma(alpha <h_i,h_j>):
//   l_ij = log(1 + e^{alpha <h_i,h_j>}) - alpha s_ij <h_i,h_j>,
//   L = sum_{i != j} w_ij l_ij / |S|, w_ij = |S| / |S_1| for similar pairs, |S| / |S_0| otherwise,
// i.e. the mean over similar pairs plus the mean over dissimilar pairs. Authors' code defaults:
// alpha = 10 / K, gamma = 0.005, power = 0.5, step_size = 200.
struct HashNetOptions {
  double alpha_times_bits = 10.0;  // alpha = alpha_times_bits / K
  double gamma = 0.005;
  double power = 0.5;
  std::int64_t step_size = 200;
};

// beta at step t (from 0): (1 + gamma * step_size * floor(t / step_size))^power.
double hashnet_beta(std::int64_t step, const HashNetOptions& options);

// The weighted pairwise loss of h [n, K] (already tanh(beta u)) for similarity s [n, n] over the
// pairs i != j; a batch without similar (or without dissimilar) pairs uses the other mean alone.
torch::Tensor hashnet_pairwise_loss(const torch::Tensor& h, const torch::Tensor& similarity, double alpha);

class HashNetLoss : public HashingLoss {
 public:
  explicit HashNetLoss(HashNetOptions options = {}) : options_(options) {}
  LossTerms operator()(const LossInputs& inputs) override;
  bool needs_classifier() const override { return false; }
  bool needs_labels() const override { return true; }

 private:
  HashNetOptions options_;
};

}  // namespace shrewd::train
