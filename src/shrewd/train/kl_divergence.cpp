#include "shrewd/train/kl_divergence.hpp"

#include <ATen/CPUGeneratorImpl.h>
#include <cmath>
#include <fmt/format.h>
#include <limits>
#include <mutex>

#include "shrewd/common/error.hpp"

namespace shrewd::train {
namespace {

constexpr std::int64_t kChunkRows = 1024;

torch::Tensor infinity_like(const torch::Tensor& t) {
  return torch::full_like(t, std::numeric_limits<double>::infinity());
}

// Row indices of the k-th nearest neighbour of every query row among `points` (no gradient),
// optionally skipping the query itself (queries == points).
torch::Tensor kth_neighbour_indices(const torch::Tensor& queries, const torch::Tensor& points,
                                    int k, bool exclude_self) {
  torch::NoGradGuard no_grad;
  std::vector<torch::Tensor> chunks;
  for (std::int64_t begin = 0; begin < queries.size(0); begin += kChunkRows) {
    const auto end = std::min(queries.size(0), begin + kChunkRows);
    auto distances = torch::cdist(queries.slice(0, begin, end), points);
    if (exclude_self) {
      auto rows = torch::arange(begin, end, distances.options().dtype(torch::kLong));
      distances.index_put_({rows - begin, rows}, std::numeric_limits<double>::infinity());
    }
    auto nearest = std::get<1>(distances.topk(k, 1, /*largest=*/false, /*sorted=*/true));
    chunks.push_back(nearest.select(1, k - 1));
  }
  return torch::cat(chunks);
}

// Differentiable Euclidean distances between matched rows; eps^2 keeps the gradient finite at 0.
torch::Tensor row_distances(const torch::Tensor& a, const torch::Tensor& b, double eps) {
  return ((a - b).square().sum(1) + eps * eps).sqrt();
}

// For each row of sorted [B, n]: the distance to the k-th nearest other element of that row.
torch::Tensor kth_gap_within_sorted(const torch::Tensor& sorted, int k) {
  const auto n = sorted.size(1);
  std::vector<torch::Tensor> candidates;
  for (int offset = 1; offset <= k; ++offset) {
    if (offset >= n) {
      candidates.push_back(infinity_like(sorted));
      candidates.push_back(infinity_like(sorted));
      continue;
    }
    auto gap = sorted.slice(1, offset) - sorted.slice(1, 0, n - offset);  // [B, n - offset] >= 0
    auto pad = infinity_like(sorted.slice(1, 0, offset));
    candidates.push_back(torch::cat({gap, pad}, 1));  // element r to r + offset
    candidates.push_back(torch::cat({pad, gap}, 1));  // element r to r - offset
  }
  auto stacked = torch::stack(candidates);  // [2k, B, n]
  return std::get<0>(stacked.topk(k, 0, /*largest=*/false, /*sorted=*/true)).select(0, k - 1);
}

// For each x [B, n]: the distance to the k-th nearest element of the same row of sorted [B, m].
torch::Tensor kth_gap_to_sorted(const torch::Tensor& x, const torch::Tensor& sorted, int k) {
  const auto m = sorted.size(1);
  torch::Tensor index, valid;
  {
    torch::NoGradGuard no_grad;
    auto position = torch::searchsorted(sorted, x.detach().contiguous());  // first element >= x
    auto offsets = torch::arange(-k, k, position.options());               // k below, k above
    auto candidate = position.unsqueeze(2) + offsets;                      // [B, n, 2k]
    valid = (candidate >= 0) & (candidate < m);
    index = candidate.clamp(0, m - 1);
  }
  const auto B = x.size(0), n = x.size(1);
  auto neighbours = sorted.gather(1, index.reshape({B, n * 2 * k})).reshape({B, n, 2 * k});
  auto distances = (x.unsqueeze(2) - neighbours).abs();
  distances = distances.masked_fill(~valid, std::numeric_limits<double>::infinity());
  return std::get<0>(distances.topk(k, 2, /*largest=*/false, /*sorted=*/true)).select(2, k - 1);
}

void check_samples(const torch::Tensor& p, const torch::Tensor& q, int k, const char* where) {
  TORCH_CHECK(p.dim() == 2 && q.dim() == 2 && p.size(1) == q.size(1), where,
              ": samples must be [n, d] and [m, d], got ", p.sizes(), " and ", q.sizes());
  TORCH_CHECK(k >= 1, where, ": k must be at least 1, got ", k);
  TORCH_CHECK(p.size(0) > k && q.size(0) >= k, where, ": k = ", k, " needs more than k samples of P (",
              p.size(0), ") and at least k of Q (", q.size(0), ")");
}

}  // namespace

torch::Tensor knn_kl_divergence(const torch::Tensor& p, const torch::Tensor& q, int k, double eps) {
  check_samples(p, q, k, "knn_kl_divergence");
  const auto n = static_cast<double>(p.size(0));
  const auto m = static_cast<double>(q.size(0));
  const auto d = static_cast<double>(p.size(1));
  auto target = q.to(p.device(), p.scalar_type());

  auto rho = row_distances(p, p.index_select(0, kth_neighbour_indices(p, p, k, true)), eps);
  auto nu = row_distances(p, target.index_select(0, kth_neighbour_indices(p, target, k, false)), eps);
  return d * (torch::log(nu + eps) - torch::log(rho + eps)).mean() + std::log(m / (n - 1));
}

torch::Tensor knn_kl_divergence_per_coordinate(const torch::Tensor& p, const torch::Tensor& q, int k,
                                               double eps) {
  check_samples(p, q, k, "knn_kl_divergence_per_coordinate");
  const auto n = static_cast<double>(p.size(0));
  const auto m = static_cast<double>(q.size(0));
  // One row per coordinate; the sum over i of log rho does not depend on the order of the points,
  // so rho can be read off the sorted outputs directly.
  auto outputs = p.t().contiguous();
  auto sorted_outputs = std::get<0>(outputs.sort(1));
  auto sorted_targets = std::get<0>(q.to(p.device(), p.scalar_type()).t().contiguous().sort(1));

  auto rho = kth_gap_within_sorted(sorted_outputs, k);
  auto nu = kth_gap_to_sorted(outputs, sorted_targets, k);
  return (torch::log(nu + eps) - torch::log(rho + eps)).mean() + std::log(m / (n - 1));
}

torch::Tensor sample_binary_target(std::int64_t m, std::int64_t bits, double sigma,
                                   at::Generator& generator, torch::TensorOptions options) {
  auto cpu = torch::TensorOptions().dtype(torch::kFloat);
  auto signs = torch::randint(0, 2, {m, bits}, generator, cpu) * 2 - 1;
  auto noise = torch::randn({m, bits}, generator, cpu) * sigma;
  return (signs + noise).to(options.device(), options.dtype());
}

EmpiricalKl::EmpiricalKl(KlOptions options, std::uint64_t seed)
    : options_(options), generator_(at::detail::createCPUGenerator(seed)) {
  if (options_.k < 1) fail("kl k", fmt::format("must be at least 1, got {}", options_.k));
  if (!(options_.sigma >= 0)) fail("kl sigma", fmt::format("must be >= 0, got {}", options_.sigma));
  if (options_.target_samples < 0) fail("kl m", "must be >= 0 (0 means the batch size)");
}

void EmpiricalKl::reseed(std::uint64_t seed) {
  std::lock_guard<std::mutex> lock(generator_.mutex());
  generator_.set_current_seed(seed);
}

torch::Tensor EmpiricalKl::operator()(const torch::Tensor& z) {
  TORCH_CHECK(z.dim() == 2, "EmpiricalKl: z must be [n, K], got ", z.sizes());
  const auto m = options_.target_samples > 0 ? options_.target_samples : z.size(0);
  // The sampling functions lock the generator themselves.
  auto target = sample_binary_target(m, z.size(1), options_.sigma, generator_, z.options());
  if (options_.mode == KlMode::Joint) return knn_kl_divergence(z, target, options_.k, options_.eps);
  return knn_kl_divergence_per_coordinate(z, target, options_.k, options_.eps);
}

}  // namespace shrewd::train
