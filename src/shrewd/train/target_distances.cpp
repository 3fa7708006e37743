#include "shrewd/train/target_distances.hpp"

#include <cmath>

namespace shrewd::train {

torch::Tensor label_distances(const torch::Tensor& labels) {
  TORCH_CHECK(labels.dim() == 1, "label_distances: labels must be 1-D, got ", labels.sizes());
  return labels.unsqueeze(1).ne(labels.unsqueeze(0)).to(torch::kFloat);
}

torch::Tensor multi_label_distances(const torch::Tensor& multi_hot) {
  TORCH_CHECK(multi_hot.dim() == 2, "multi_label_distances: targets must be [n, C], got ",
              multi_hot.sizes());
  auto sets = multi_hot.ne(0).to(torch::kFloat);
  auto shared = torch::matmul(sets, sets.t());
  auto sizes = sets.sum(1);
  auto united = sizes.unsqueeze(1) + sizes.unsqueeze(0) - shared;
  return torch::where(united > 0, 1 - shared / united.clamp_min(1), torch::zeros_like(united));
}

torch::Tensor class_matrix_distances(const torch::Tensor& labels, const torch::Tensor& class_distances) {
  TORCH_CHECK(labels.dim() == 1, "class_matrix_distances: labels must be 1-D, got ", labels.sizes());
  TORCH_CHECK(class_distances.dim() == 2 && class_distances.size(0) == class_distances.size(1),
              "class_matrix_distances: the class distance matrix must be C x C, got ",
              class_distances.sizes());
  auto matrix = class_distances.to(labels.device(), torch::kFloat);
  return matrix.index_select(0, labels).index_select(1, labels);
}

torch::Tensor embedding_distances(const torch::Tensor& embeddings, bool angular) {
  TORCH_CHECK(embeddings.dim() == 2, "embedding_distances: embeddings must be [n, E], got ",
              embeddings.sizes());
  auto unit = torch::nn::functional::normalize(
      embeddings.to(torch::kFloat), torch::nn::functional::NormalizeFuncOptions().dim(1).eps(1e-12));
  auto cosine = torch::matmul(unit, unit.t()).clamp(-1.0, 1.0);
  if (angular) return torch::acos(cosine) / M_PI;
  return (1 - cosine) / 2;
}

}  // namespace shrewd::train
