#include "shrewd/train/baselines/hashnet_loss.hpp"

#include <cmath>

namespace shrewd::train {

double hashnet_beta(std::int64_t step, const HashNetOptions& o) {
  const auto updated_at = o.step_size * (step / o.step_size);
  return std::pow(1.0 + o.gamma * static_cast<double>(updated_at), o.power);
}

torch::Tensor hashnet_pairwise_loss(const torch::Tensor& h, const torch::Tensor& similarity, double alpha) {
  const auto n = h.size(0);
  auto off_diagonal = 1 - torch::eye(n, h.options());
  auto s = similarity.to(h.dtype());
  auto product = alpha * torch::matmul(h, h.t());
  auto pair_loss = torch::nn::functional::softplus(product) - s * product;
  auto similar = s * off_diagonal, dissimilar = (1 - s) * off_diagonal;
  auto loss = h.sum() * 0;
  const double similar_count = similar.sum().item<double>(), dissimilar_count = dissimilar.sum().item<double>();
  if (similar_count > 0) loss = loss + (pair_loss * similar).sum() / similar_count;
  if (dissimilar_count > 0) loss = loss + (pair_loss * dissimilar).sum() / dissimilar_count;
  return loss;
}

LossTerms HashNetLoss::operator()(const LossInputs& in) {
  require_labels(in, "hashnet");
  const double beta = hashnet_beta(in.step, options_);
  const double alpha = options_.alpha_times_bits / static_cast<double>(in.u.size(1));
  LossTerms terms;
  terms.sim = hashnet_pairwise_loss(torch::tanh(beta * in.u), pairwise_label_similarity(in.labels), alpha);
  terms.total = terms.sim;
  return terms;
}

}  // namespace shrewd::train
