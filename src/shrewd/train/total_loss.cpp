#include "shrewd/train/total_loss.hpp"

namespace shrewd::train {

TotalLoss::TotalLoss(LossWeights weights, SimilarityLossOptions similarity, KlOptions kl,
                     std::uint64_t seed)
    : weights_(weights), similarity_(similarity), kl_(kl, seed) {}

LossTerms TotalLoss::operator()(const torch::Tensor& z, const torch::Tensor& logits,
                                const torch::Tensor& labels, const torch::Tensor& target_distances) {
  LossTerms terms;
  terms.total = z.sum() * 0;
  if (weights_.ce != 0 && logits.defined() && labels.defined()) {
    terms.ce = torch::nn::functional::cross_entropy(logits, labels);
    terms.total = terms.total + weights_.ce * terms.ce;
  }
  if (weights_.sim != 0 && target_distances.defined()) {
    terms.sim = similarity_loss(z, target_distances, similarity_);
    terms.total = terms.total + weights_.sim * terms.sim;
  }
  if (weights_.kl != 0) {
    terms.kl = kl_(z);
    terms.total = terms.total + weights_.kl * terms.kl;
  }
  return terms;
}

}  // namespace shrewd::train
