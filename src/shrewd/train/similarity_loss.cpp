#include "shrewd/train/similarity_loss.hpp"

namespace shrewd::train {

torch::Tensor code_distances(const torch::Tensor& z) {
  TORCH_CHECK(z.dim() == 2, "code_distances: z must be [n, K], got ", z.sizes());
  const auto bits = static_cast<double>(z.size(1));
  return (1 - torch::matmul(z, z.t()) / bits) / 2;
}

torch::Tensor similarity_loss(const torch::Tensor& z, const torch::Tensor& target_distances,
                              const SimilarityLossOptions& options) {
  const auto n = z.size(0);
  TORCH_CHECK(target_distances.dim() == 2 && target_distances.size(0) == n &&
                  target_distances.size(1) == n,
              "similarity_loss: target distances must be [", n, ", ", n, "], got ",
              target_distances.sizes());
  if (n < 2) return z.sum() * 0;

  auto off_diagonal = ~torch::eye(n, torch::TensorOptions().dtype(torch::kBool).device(z.device()));
  auto network = code_distances(z).masked_select(off_diagonal);
  auto target = target_distances.to(z.device(), z.scalar_type()).masked_select(off_diagonal);

  if (options.relative) {
    auto target_mean = target.mean();
    if (target_mean.item<double>() <= 0) return z.sum() * 0;
    network = network / (network.mean() + options.eps);
    target = target / (target_mean + options.eps);
  }
  auto difference = network - target;
  return options.l1 ? difference.abs().mean() : difference.square().mean();
}

}  // namespace shrewd::train
