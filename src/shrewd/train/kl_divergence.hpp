#pragma once

#include <cstdint>
#include <string>

#include <ATen/core/Generator.h>
#include <torch/torch.h>

#include "shrewd/train/kl_mode.hpp"

namespace shrewd::train {

// The kNN estimate of D(P || Q) from samples p [n, d] of P and q [m, d] of Q (docs/method.md §5):
//   D_hat = (d/n) sum_i log((nu_k(i) + eps) / (rho_k(i) + eps)) + log(m / (n - 1))
// rho_k(i): Euclidean distance from p_i to its k-th nearest other p; nu_k(i): to its k-th nearest q.
// Neighbours are chosen without gradient; the gradient flows through the chosen distances.
torch::Tensor knn_kl_divergence(const torch::Tensor& p, const torch::Tensor& q, int k = 1,
                                double eps = 1e-8);

// The same estimator with d = 1 on every coordinate separately, averaged over coordinates
// (p [n, K], q [m, K]). Neighbours come from sorting: O(K (n + m) log(n + m)).
torch::Tensor knn_kl_divergence_per_coordinate(const torch::Tensor& p, const torch::Tensor& q,
                                               int k = 1, double eps = 1e-8);

// m samples of the binary target distribution in K dimensions: each coordinate +1 or -1 with
// probability 1/2, plus Gaussian noise of standard deviation sigma. Drawn on the CPU with the
// given generator (reproducible), then moved to `options`' device and dtype.
torch::Tensor sample_binary_target(std::int64_t m, std::int64_t bits, double sigma,
                                   at::Generator& generator, torch::TensorOptions options);

struct KlOptions {
  KlMode mode = KlMode::PerBit;
  int k = 1;
  double sigma = 0.1;
  std::int64_t target_samples = 0;  // m; 0 means m = n, the batch size
  // Inside the logs. Not tiny: outputs that nearly coincide in one bit (tanh saturates) would
  // give gradients of order 1/eps, and one such spike stalls Adam for thousands of steps.
  double eps = 1e-3;
};

// The KL term of the training loss: draws fresh target samples at every call.
class EmpiricalKl {
 public:
  explicit EmpiricalKl(KlOptions options = {}, std::uint64_t seed = 0);

  torch::Tensor operator()(const torch::Tensor& z);
  void reseed(std::uint64_t seed);  // e.g. at every epoch, so that a resumed run draws the same
  const KlOptions& options() const { return options_; }

 private:
  KlOptions options_;
  at::Generator generator_;
};

}  // namespace shrewd::train
