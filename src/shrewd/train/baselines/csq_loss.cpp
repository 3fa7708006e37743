#include "shrewd/train/baselines/csq_loss.hpp"

#include <ATen/CPUGeneratorImpl.h>
#include <fmt/format.h>

#include "shrewd/common/error.hpp"

namespace shrewd::train {

torch::Tensor hadamard_matrix(std::int64_t n) {
  if (n < 1 || (n & (n - 1)) != 0) fail("hadamard_matrix", fmt::format("order {} is not a power of two", n));
  auto h = torch::ones({1, 1});
  while (h.size(0) < n) h = torch::cat({torch::cat({h, h}, 1), torch::cat({h, -h}, 1)}, 0);
  return h;
}

torch::Tensor csq_hash_centres(std::int64_t classes, std::int64_t bits, std::uint64_t seed) {
  const bool power_of_two = bits > 0 && (bits & (bits - 1)) == 0;
  if (power_of_two && classes <= 2 * bits) {
    auto h = hadamard_matrix(bits);
    return torch::cat({h, -h}, 0).slice(0, 0, classes).contiguous();
  }
  // Balanced random centres: half of the bits +1 in every centre.
  auto generator = at::detail::createCPUGenerator(seed);
  auto centres = -torch::ones({classes, bits});
  for (std::int64_t c = 0; c < classes; ++c) {
    auto positions = torch::randperm(bits, generator, torch::kLong).slice(0, 0, bits / 2);
    centres[c].index_fill_(0, positions, 1.0);
  }
  return centres;
}

torch::Tensor csq_centre_loss(const torch::Tensor& h, const torch::Tensor& item_centres) {
  auto probability = ((h + 1) * 0.5).clamp(0.0, 1.0);
  auto target = (item_centres.to(h.dtype()) + 1) * 0.5;
  return torch::nn::functional::binary_cross_entropy(probability, target);
}

torch::Tensor csq_quantisation(const torch::Tensor& h) { return (h.abs() - 1).pow(2).mean(); }

CsqLoss::CsqLoss(std::int64_t classes, std::int64_t bits, CsqOptions options)
    : options_(options), centres_(csq_hash_centres(classes, bits, options.seed)) {}

LossTerms CsqLoss::operator()(const LossInputs& in) {
  require_labels(in, "csq");
  if (in.labels.max().item<std::int64_t>() >= centres_.size(0))
    fail("loss.method csq", "a label is larger than the number of hash centres");
  auto item_centres = centres_.to(in.z.device()).index_select(0, in.labels.to(torch::kLong));
  LossTerms terms;
  terms.sim = csq_centre_loss(in.z, item_centres);
  terms.kl = csq_quantisation(in.z);
  terms.total = terms.sim + options_.lambda * terms.kl;
  return terms;
}

}  // namespace shrewd::train
