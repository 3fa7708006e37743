#pragma once

#include <torch/torch.h>

namespace shrewd::train {

// Target distances D^T(i, j) in [0, 1] for the items of a batch (docs/method.md §2), [n, n].

// Flat labels (int64 [n]): 0 for the same class, 1 otherwise.
torch::Tensor label_distances(const torch::Tensor& labels);

// Multi-label targets (multi-hot [n, C], any dtype): 1 - |L_i ∩ L_j| / |L_i ∪ L_j|; two empty
// label sets are at distance 0.
torch::Tensor multi_label_distances(const torch::Tensor& multi_hot);

// Class hierarchy: rows and columns of the C x C class distance matrix gathered by label.
torch::Tensor class_matrix_distances(const torch::Tensor& labels, const torch::Tensor& class_distances);

// Target embeddings (float [n, E]): (1 - cos) / 2, or arccos(cos) / pi when angular.
torch::Tensor embedding_distances(const torch::Tensor& embeddings, bool angular = false);

}  // namespace shrewd::train
