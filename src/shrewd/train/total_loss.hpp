#pragma once

#include <optional>

#include <torch/torch.h>

#include "shrewd/train/kl_divergence.hpp"
#include "shrewd/train/similarity_loss.hpp"

namespace shrewd::train {

// Defaults tuned on Fashion-MNIST's validation split (docs/training.md, "Choosing the recipe").
struct LossWeights {
  double ce = 1.0;
  double sim = 3.0;
  double kl = 0.01;
};

// Each term as computed (undefined when its weight is 0 or, for CE, when there are no labels)
// and the weighted sum L = w_ce CE + w_sim L_sim + w_kl D_hat (docs/method.md §6).
struct LossTerms {
  torch::Tensor total;
  torch::Tensor ce;
  torch::Tensor sim;
  torch::Tensor kl;
};

class TotalLoss {
 public:
  TotalLoss(LossWeights weights, SimilarityLossOptions similarity, KlOptions kl, std::uint64_t seed);

  // z [n, K]; logits [n, C] or undefined; labels int64 [n] or undefined; target_distances [n, n]
  // or undefined (then the similarity term is skipped).
  LossTerms operator()(const torch::Tensor& z, const torch::Tensor& logits, const torch::Tensor& labels,
                       const torch::Tensor& target_distances);

  const LossWeights& weights() const { return weights_; }
  EmpiricalKl& kl() { return kl_; }

 private:
  LossWeights weights_;
  SimilarityLossOptions similarity_;
  EmpiricalKl kl_;
};

}  // namespace shrewd::train
