#pragma once

#include <torch/torch.h>

namespace shrewd::train {

// The network distance D^Z(i, j) = (1 - <z_i, z_j> / K) / 2 for z [n, K] (docs/method.md §3).
torch::Tensor code_distances(const torch::Tensor& z);

struct SimilarityLossOptions {
  bool relative = true;  // divide each distance by its batch mean (docs/method.md §4); false: absolute
  bool l1 = false;       // absolute error instead of squared error
  double eps = 1e-6;
};

// L_sim = mean_{i != j} (D^Z(i,j)/m_Z - D^T(i,j)/m_T)^2 for z [n, K] and the batch's target
// distances [n, n]. A batch whose target distances are all zero contributes 0 (with a graph, so
// backward still works).
torch::Tensor similarity_loss(const torch::Tensor& z, const torch::Tensor& target_distances,
                              const SimilarityLossOptions& options = {});

}  // namespace shrewd::train
