#pragma once

#include <torch/torch.h>

#include "shrewd/train/baselines/hashing_loss.hpp"

namespace shrewd::train {

// DPSH: Li, Wang & Kang, "Feature learning based deep supervised hashing with pairwise labels",
// IJCAI 2016. With Theta_ij = <u_i, u_j> / 2 and b = sign(u):
//   L = mean_{i,j} ( log(1 + e^Theta_ij) - s_ij Theta_ij ) + eta * mean_{i,k} (u_ik - b_ik)^2
// (means instead of the paper's sums, as in the DeepHash-pytorch re-implementation, whose
// eta = 0.1 goes with that normalisation). u is the real-valued hash layer output.
struct DpshOptions {
  double eta = 0.1;
};

// The pairwise negative log-likelihood (softplus form, stable for large |Theta|) over all pairs.
torch::Tensor dpsh_likelihood(const torch::Tensor& u, const torch::Tensor& similarity);
// mean_{i,k} (u_ik - sign(u_ik))^2; sign(0) counts as +1, the code's bit rule.
torch::Tensor dpsh_quantisation(const torch::Tensor& u);

class DpshLoss : public HashingLoss {
 public:
  explicit DpshLoss(DpshOptions options = {}) : options_(options) {}
  LossTerms operator()(const LossInputs& inputs) override;
  bool needs_classifier() const override { return false; }
  bool needs_labels() const override { return true; }

 private:
  DpshOptions options_;
};

}  // namespace shrewd::train
