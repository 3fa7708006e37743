#include "shrewd/train/baselines/dpsh_loss.hpp"

namespace shrewd::train {

torch::Tensor dpsh_likelihood(const torch::Tensor& u, const torch::Tensor& similarity) {
  auto theta = torch::matmul(u, u.t()) * 0.5;
  return (torch::nn::functional::softplus(theta) - similarity.to(theta.dtype()) * theta).mean();
}

torch::Tensor dpsh_quantisation(const torch::Tensor& u) {
  auto b = torch::where(u >= 0, torch::ones_like(u), -torch::ones_like(u)).detach();
  return (u - b).pow(2).mean();
}

LossTerms DpshLoss::operator()(const LossInputs& in) {
  require_labels(in, "dpsh");
  LossTerms terms;
  terms.sim = dpsh_likelihood(in.u, pairwise_label_similarity(in.labels));
  terms.kl = dpsh_quantisation(in.u);
  terms.total = terms.sim + options_.eta * terms.kl;
  return terms;
}

}  // namespace shrewd::train
