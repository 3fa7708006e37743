#pragma once

#include <cstdint>

#include <torch/torch.h>

#include "shrewd/train/baselines/hashing_loss.hpp"

namespace shrewd::train {

// CSQ: Yuan et al., "Central similarity quantization for efficient image and video retrieval",
// CVPR 2020. Every class gets a hash centre c in {-1,+1}^K: the rows of the K x K Hadamard matrix
// H and then of -H when K is a power of two and C <= 2K, otherwise random balanced Bernoulli
// vectors (seeded). With h = tanh(u):
//   L = mean_{i,k} BCE((h_ik + 1)/2, (c_{y_i,k} + 1)/2) + lambda * mean_{i,k} (|h_ik| - 1)^2,
// lambda = 1e-4 (authors' code).
struct CsqOptions {
  double lambda = 1e-4;
  std::uint64_t seed = 0;  // for the Bernoulli centres only
};

// The Sylvester Hadamard matrix of order n (a power of two), entries +-1, float [n, n].
torch::Tensor hadamard_matrix(std::int64_t n);
// The C hash centres in K bits, float [C, K] with entries +-1.
torch::Tensor csq_hash_centres(std::int64_t classes, std::int64_t bits, std::uint64_t seed);

// The central-similarity term for h [n, K] and the centres of the items [n, K].
torch::Tensor csq_centre_loss(const torch::Tensor& h, const torch::Tensor& item_centres);
// mean (|h| - 1)^2.
torch::Tensor csq_quantisation(const torch::Tensor& h);

class CsqLoss : public HashingLoss {
 public:
  CsqLoss(std::int64_t classes, std::int64_t bits, CsqOptions options = {});
  LossTerms operator()(const LossInputs& inputs) override;
  bool needs_classifier() const override { return false; }
  bool needs_labels() const override { return true; }
  const torch::Tensor& centres() const { return centres_; }

 private:
  CsqOptions options_;
  torch::Tensor centres_;  // [C, K] on the CPU; moved to the batch's device on use
};

}  // namespace shrewd::train
