#include <gtest/gtest.h>
#include <torch/torch.h>

#include <ATen/CPUGeneratorImpl.h>
#include <cmath>

#include "shrewd/train/kl_divergence.hpp"
#include "shrewd/train/similarity_loss.hpp"
#include "shrewd/train/target_distances.hpp"
#include "shrewd/train/total_loss.hpp"

namespace shrewd::train {
namespace {


TEST(TargetDistances, LabelsGiveZeroForSameClassAndOneOtherwise) {
  auto d = label_distances(torch::tensor({0, 1, 0}, torch::kLong));
  auto expected = torch::tensor({0.f, 1.f, 0.f, 1.f, 0.f, 1.f, 0.f, 1.f, 0.f}).reshape({3, 3});
  EXPECT_TRUE(torch::equal(d, expected));
}

TEST(TargetDistances, HierarchyMatrixIsGatheredByLabel) {
  auto classes = torch::tensor({0.f, 0.5f, 1.f, 0.5f, 0.f, 1.f, 1.f, 1.f, 0.f}).reshape({3, 3});
  auto d = class_matrix_distances(torch::tensor({2, 0, 1}, torch::kLong), classes);
  EXPECT_FLOAT_EQ(d[0][1].item<float>(), 1.f);
  EXPECT_FLOAT_EQ(d[1][2].item<float>(), 0.5f);
  EXPECT_FLOAT_EQ(d[2][2].item<float>(), 0.f);
}

TEST(TargetDistances, EmbeddingsUseHalfOneMinusCosineOrTheAngle) {
  auto e = torch::tensor({1.f, 0.f, 0.f, 2.f, -3.f, 0.f}).reshape({3, 2});
  auto d = embedding_distances(e);
  EXPECT_NEAR(d[0][1].item<float>(), 0.5, 1e-6);
  EXPECT_NEAR(d[0][2].item<float>(), 1.0, 1e-6);
  EXPECT_NEAR(d[1][1].item<float>(), 0.0, 1e-6);
  auto angular = embedding_distances(e, true);
  EXPECT_NEAR(angular[0][1].item<float>(), 0.5, 1e-6);
}

TEST(TargetDistances, MultiLabelIsOneMinusJaccard) {
  auto sets = torch::tensor({1, 1, 0, 0, 1, 1, 0, 0, 0}).reshape({3, 3});
  auto d = multi_label_distances(sets);
  EXPECT_NEAR(d[0][1].item<float>(), 1.0 - 1.0 / 3.0, 1e-6);
  EXPECT_NEAR(d[2][2].item<float>(), 0.0, 1e-6);
  EXPECT_NEAR(d[0][2].item<float>(), 1.0, 1e-6);
}

TEST(SimilarityLoss, CodeDistanceOfBinaryCodesIsHammingOverBits) {
  auto z = torch::tensor({1.f, 1.f, -1.f, 1.f, 1.f, -1.f, -1.f, -1.f}).reshape({2, 4});
  EXPECT_FLOAT_EQ(code_distances(z)[0][1].item<float>(), 2.f / 4.f);
  EXPECT_FLOAT_EQ(code_distances(z)[1][1].item<float>(), 0.f);
}

TEST(SimilarityLoss, RelativeLossIgnoresAScaleBetweenCodeAndTargetDistances) {
  // Codes whose distances are exactly half the target distances: zero relative loss, not zero
  // absolute loss.
  auto z = torch::tensor({1.f, 1.f, 1.f, 1.f, 1.f, 1.f, -1.f, -1.f, -1.f, -1.f, 1.f, 1.f})
               .reshape({3, 4});
  auto target = 2 * code_distances(z);
  EXPECT_NEAR(similarity_loss(z, target).item<float>(), 0.f, 1e-5);
  SimilarityLossOptions absolute;
  absolute.relative = false;
  EXPECT_GT(similarity_loss(z, target, absolute).item<float>(), 0.05f);
}

TEST(SimilarityLoss, BatchWithAllTargetsEqualContributesZeroAndStillBackpropagates) {
  auto z = torch::randn({4, 8}).requires_grad_();
  auto loss = similarity_loss(z, torch::zeros({4, 4}));
  EXPECT_EQ(loss.item<float>(), 0.f);
  loss.backward();
  EXPECT_TRUE(torch::equal(z.grad(), torch::zeros_like(z)));
}

TEST(SimilarityLoss, L1OptionUsesAbsoluteErrors) {
  auto z = torch::tensor({1.f, 1.f, -1.f, -1.f}).reshape({2, 2});  // D^Z(0,1) = 1
  auto target = torch::tensor({0.f, 0.5f, 0.5f, 0.f}).reshape({2, 2});
  SimilarityLossOptions options;
  options.relative = false;
  EXPECT_NEAR(similarity_loss(z, target, options).item<float>(), 0.25f, 1e-6);
  options.l1 = true;
  EXPECT_NEAR(similarity_loss(z, target, options).item<float>(), 0.5f, 1e-6);
}

TEST(SimilarityLoss, MinimisingItGroupsCodesByClass) {
  torch::manual_seed(3);
  auto labels = torch::tensor({0, 0, 1, 1, 2, 2}, torch::kLong);
  auto u = torch::randn({6, 16}).requires_grad_();
  torch::optim::Adam adam({u}, 0.05);
  for (int step = 0; step < 200; ++step) {
    adam.zero_grad();
    auto loss = similarity_loss(torch::tanh(u), label_distances(labels));
    loss.backward();
    adam.step();
  }
  auto d = code_distances(torch::tanh(u).detach());
  EXPECT_LT(d[0][1].item<float>(), 0.05f);
  EXPECT_GT(d[0][2].item<float>(), 0.3f);
}

double gaussian_kl(double mu1, double s1, double mu2, double s2) {
  return std::log(s2 / s1) + (s1 * s1 + (mu1 - mu2) * (mu1 - mu2)) / (2 * s2 * s2) - 0.5;
}

TEST(KnnKlDivergence, ConvergesToTheGaussianClosedFormInOneDimension) {
  torch::manual_seed(11);
  const double expected = gaussian_kl(0.0, 1.0, 1.0, 2.0);
  auto error_at = [&](int64_t n) {
    // 8 independent coordinates averaged by the per-coordinate estimator, in double.
    auto p = torch::randn({n, 8}, torch::kDouble);
    auto q = 1 + 2 * torch::randn({n, 8}, torch::kDouble);
    return std::abs(knn_kl_divergence_per_coordinate(p, q).item<double>() - expected);
  };
  const double small = error_at(100), large = error_at(40000);
  EXPECT_LT(large, 0.02) << "estimate off by " << large;
  EXPECT_LT(large, small);
  // The joint estimator with d = 1 is the same estimator.
  auto p = torch::randn({3000, 1}, torch::kDouble);
  auto q = 1 + 2 * torch::randn({3000, 1}, torch::kDouble);
  EXPECT_NEAR(knn_kl_divergence(p, q).item<double>(), knn_kl_divergence_per_coordinate(p, q).item<double>(),
              1e-6);
}

TEST(KnnKlDivergence, ConvergesToTheGaussianClosedFormInThreeDimensions) {
  torch::manual_seed(12);
  // P = N(0, I), Q = N(mu, diag(s^2)): the closed form is the sum over coordinates.
  const double mu[3] = {0.5, -0.5, 0.0}, s[3] = {1.5, 1.0, 2.0};
  double expected = 0;
  for (int c = 0; c < 3; ++c) expected += gaussian_kl(0.0, 1.0, mu[c], s[c]);
  auto sample_q = [&](int64_t m) {
    return torch::randn({m, 3}, torch::kDouble) * torch::tensor({1.5, 1.0, 2.0}, torch::kDouble) +
           torch::tensor({0.5, -0.5, 0.0}, torch::kDouble);
  };
  double errors = 0;
  for (int repeat = 0; repeat < 3; ++repeat) {
    auto p = torch::randn({6000, 3}, torch::kDouble);
    errors += knn_kl_divergence(p, sample_q(6000), 3).item<double>() - expected;
  }
  EXPECT_NEAR(errors / 3, 0.0, 0.04) << "expected " << expected;
}

// Central finite differences of the estimator with fixed samples, in double precision.
void expect_gradient_matches_finite_differences(bool joint) {
  torch::manual_seed(joint ? 5 : 6);
  auto p = torch::randn({7, 3}, torch::kDouble);
  auto q = torch::randn({9, 3}, torch::kDouble);
  auto estimate = [&](const torch::Tensor& x) {
    return joint ? knn_kl_divergence(x, q, 2) : knn_kl_divergence_per_coordinate(x, q, 2);
  };
  auto x = p.clone().requires_grad_();
  estimate(x).backward();
  const double h = 1e-6;
  for (int64_t i = 0; i < p.size(0); ++i) {
    for (int64_t c = 0; c < p.size(1); ++c) {
      auto plus = p.clone(), minus = p.clone();
      plus[i][c] += h;
      minus[i][c] -= h;
      const double numeric = (estimate(plus).item<double>() - estimate(minus).item<double>()) / (2 * h);
      EXPECT_NEAR(x.grad()[i][c].item<double>(), numeric, 1e-5) << "at " << i << "," << c;
    }
  }
}

TEST(KnnKlDivergence, JointGradientMatchesFiniteDifferences) { expect_gradient_matches_finite_differences(true); }

TEST(KnnKlDivergence, PerCoordinateGradientMatchesFiniteDifferences) {
  expect_gradient_matches_finite_differences(false);
}

// The 1-D estimator with k = 1 is noisy and binarises slowly on its own; k = 3 converges within
// the test's budget (in training, the other terms push towards binary codes as well).
void expect_kl_alone_makes_outputs_binary_and_balanced(KlMode mode, int k, int steps) {
  torch::manual_seed(7);
  auto u = (torch::randn({256, 8}) + 0.3).requires_grad_();  // unbalanced start
  KlOptions options;
  options.mode = mode;
  options.k = k;
  EmpiricalKl kl(options, 1);
  torch::optim::Adam adam({u}, 0.05);
  const auto start = torch::tanh(u).detach();
  EXPECT_LT(start.abs().mean().item<float>(), 0.6f);
  EXPECT_GT(start.sign().mean(0).abs().max().item<float>(), 0.25f);
  for (int step = 0; step < steps; ++step) {
    adam.zero_grad();
    kl(torch::tanh(u)).backward();
    adam.step();
  }
  auto z = torch::tanh(u).detach();
  EXPECT_GT(z.abs().mean().item<float>(), 0.8f);
  EXPECT_LT(z.sign().mean(0).abs().max().item<float>(), 0.2f);
}

TEST(EmpiricalKl, PerBitKlAloneMakesOutputsBinaryAndBalanced) {
  expect_kl_alone_makes_outputs_binary_and_balanced(KlMode::PerBit, 3, 1000);
}

TEST(EmpiricalKl, JointKlAloneMakesOutputsBinaryAndBalanced) {
  expect_kl_alone_makes_outputs_binary_and_balanced(KlMode::Joint, 1, 300);
}

TEST(EmpiricalKl, DrawsFreshTargetsEachCallAndRepeatsAfterReseeding) {
  auto z = torch::rand({32, 8}) * 2 - 1;
  EmpiricalKl kl({}, 9);
  const float first = kl(z).item<float>(), second = kl(z).item<float>();
  EXPECT_NE(first, second);
  kl.reseed(9);
  EXPECT_EQ(kl(z).item<float>(), first);
}

TEST(EmpiricalKl, RejectsBadOptions) {
  KlOptions options;
  options.k = 0;
  EXPECT_ANY_THROW(EmpiricalKl(options, 0));
  EXPECT_ANY_THROW(parse_kl_mode("sideways"));
}

TEST(TotalLoss, CrossEntropyIsOffWithoutLabelsAndTermsAreWeighted) {
  torch::manual_seed(2);
  auto z = torch::tanh(torch::randn({16, 8}));
  auto logits = torch::randn({16, 3});
  auto labels = torch::randint(0, 3, {16}, torch::kLong);
  TotalLoss loss({2.0, 3.0, 0.5}, {}, {}, 4);
  auto with_labels = loss(z, logits, labels, label_distances(labels));
  ASSERT_TRUE(with_labels.ce.defined());
  loss.kl().reseed(4);
  auto recomputed = loss(z, logits, labels, label_distances(labels));
  EXPECT_NEAR(recomputed.total.item<float>(),
              2.0 * recomputed.ce.item<float>() + 3.0 * recomputed.sim.item<float>() +
                  0.5 * recomputed.kl.item<float>(),
              1e-4);
  auto without_labels = loss(z, logits, torch::Tensor(), label_distances(labels));
  EXPECT_FALSE(without_labels.ce.defined());
  EXPECT_TRUE(without_labels.sim.defined());
}

}  // namespace
}  // namespace shrewd::train
