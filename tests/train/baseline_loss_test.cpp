// Baseline losses (docs/method.md §7) on tiny batches; every expected value is worked out by
// hand in the comments (softplus(x) = ln(1 + e^x)).
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <cmath>
#include <string>
#include <vector>

#include "shrewd/common/error.hpp"
#include "shrewd/train/baselines/classifier_loss.hpp"
#include "shrewd/train/baselines/csq_loss.hpp"
#include "shrewd/train/baselines/dpsh_loss.hpp"
#include "shrewd/train/baselines/greedyhash_loss.hpp"
#include "shrewd/train/baselines/hashing_loss.hpp"
#include "shrewd/train/baselines/hashnet_loss.hpp"

namespace shrewd::train {
namespace {

torch::Tensor matrix(std::initializer_list<float> values, std::int64_t rows) {
  return torch::tensor(std::vector<float>(values)).reshape({rows, -1});
}
torch::Tensor labels(std::initializer_list<std::int64_t> values) {
  return torch::tensor(std::vector<std::int64_t>(values), torch::kLong);
}

TEST(PairwiseLabelSimilarity, IsOneForTheSameLabel) {
  auto s = pairwise_label_similarity(labels({0, 1, 0}));
  EXPECT_TRUE(torch::equal(s, matrix({1, 0, 1, 0, 1, 0, 1, 0, 1}, 3)));
}

TEST(ClassifierLoss, IsCrossEntropyOfTheLogits) {
  // logits (2, 0, 0), label 0: ln(e^2 + 2) - 2 = 0.2395448.
  LossInputs in;
  in.logits = matrix({2, 0, 0}, 1);
  in.labels = labels({0});
  auto terms = ClassifierLoss()(in);
  EXPECT_NEAR(terms.total.item<double>(), 0.2395448, 1e-6);
  EXPECT_FALSE(terms.kl.defined());
}

TEST(DpshLoss, LikelihoodAndQuantisationMatchHandValues) {
  // u = [[1, 0], [0, 2]], labels 0, 1: Theta = <u_i,u_j>/2 = [[0.5, 0], [0, 2]], s = identity.
  // pairs: softplus(0.5) - 0.5 = 0.4740770, twice softplus(0) = 0.6931472, softplus(2) - 2 = 0.1269280;
  // mean 0.4968248. b = sign(u) with sign(0) = +1 = [[1, 1], [1, 1]]: (u - b)^2 = 0, 1, 1, 1, mean 0.75.
  // total = 0.4968248 + 0.1 * 0.75 = 0.5718248.
  LossInputs in;
  in.u = matrix({1, 0, 0, 2}, 2);
  in.labels = labels({0, 1});
  auto terms = DpshLoss()(in);
  EXPECT_NEAR(terms.sim.item<double>(), 0.4968248, 1e-6);
  EXPECT_NEAR(terms.kl.item<double>(), 0.75, 1e-6);
  EXPECT_NEAR(terms.total.item<double>(), 0.5718248, 1e-6);
}

TEST(DpshLoss, LikelihoodStaysFiniteForLargeInnerProducts) {
  auto u = matrix({100, -100, 100, -100}, 2);  // Theta = 10000 on every pair, all similar: loss -> 0
  auto value = dpsh_likelihood(u, torch::ones({2, 2})).item<double>();
  EXPECT_TRUE(std::isfinite(value));
  EXPECT_NEAR(value, 0.0, 1e-6);
}

TEST(HashNetLoss, BetaGrowsEveryStepSizeSteps) {
  HashNetOptions o;  // gamma 0.005, power 0.5, step size 200
  EXPECT_DOUBLE_EQ(hashnet_beta(0, o), 1.0);
  EXPECT_DOUBLE_EQ(hashnet_beta(199, o), 1.0);
  EXPECT_NEAR(hashnet_beta(200, o), std::sqrt(2.0), 1e-12);  // (1 + 0.005 * 200)^0.5
  EXPECT_NEAR(hashnet_beta(450, o), std::sqrt(3.0), 1e-12);  // (1 + 0.005 * 400)^0.5
}

TEST(HashNetLoss, WeightedPairwiseLossIsMeanOverSimilarPlusMeanOverDissimilar) {
  // h = [[1, 0], [0, 1], [1, 0]], labels 0, 1, 0, alpha = 1. <h_i,h_j> = [[1,0,1],[0,1,0],[1,0,1]].
  // similar pairs (0,2), (2,0): softplus(1) - 1 = 0.3132617; dissimilar (0,1), (1,0), (1,2), (2,1):
  // softplus(0) = 0.6931472. Diagonal pairs are left out. Loss 0.3132617 + 0.6931472 = 1.0064089.
  auto h = matrix({1, 0, 0, 1, 1, 0}, 3);
  auto loss = hashnet_pairwise_loss(h, pairwise_label_similarity(labels({0, 1, 0})), 1.0);
  EXPECT_NEAR(loss.item<double>(), 1.0064089, 1e-6);
}

TEST(HashNetLoss, UsesTanhOfBetaUAndAlphaTenOverK) {
  // K = 10 gives alpha = 1; at step 200 beta = sqrt(2), so the loss is the pairwise loss of tanh(sqrt(2) u).
  auto u = torch::linspace(-1, 1, 30).reshape({3, 10});
  LossInputs in;
  in.u = u;
  in.labels = labels({0, 1, 0});
  in.step = 200;
  auto expected = hashnet_pairwise_loss(torch::tanh(std::sqrt(2.0) * u), pairwise_label_similarity(in.labels), 1.0);
  EXPECT_NEAR(HashNetLoss()(in).total.item<double>(), expected.item<double>(), 1e-6);
}

TEST(CsqLoss, HadamardMatrixIsSylvesters) {
  auto h = hadamard_matrix(4);
  EXPECT_TRUE(torch::equal(h, matrix({1, 1, 1, 1, 1, -1, 1, -1, 1, 1, -1, -1, 1, -1, -1, 1}, 4)));
  EXPECT_THROW(hadamard_matrix(6), Error);
}

TEST(CsqLoss, CentresAreHadamardRowsThenNegatedRows) {
  // K = 2: H = [[1, 1], [1, -1]]; three classes take H's rows and then -H's first row.
  EXPECT_TRUE(torch::equal(csq_hash_centres(3, 2, 0), matrix({1, 1, 1, -1, -1, -1}, 3)));
}

TEST(CsqLoss, CentresAreBalancedRandomWhenKIsNotAPowerOfTwoOrTooFewRows) {
  auto centres = csq_hash_centres(3, 24, 7);  // 24 is not a power of two
  EXPECT_TRUE(torch::equal(centres.eq(1).sum(1), torch::full({3}, 12, torch::kLong)));
  EXPECT_TRUE(torch::equal(centres, csq_hash_centres(3, 24, 7)));  // seeded
  auto many = csq_hash_centres(5, 2, 1);  // 5 classes > 2K = 4
  EXPECT_TRUE(torch::equal(many.eq(1).sum(1), torch::ones({5}, torch::kLong)));
}

TEST(CsqLoss, BceToTheCentrePlusLambdaQuantisation) {
  // h = (0.6, -0.2), centre (1, -1): p = (h+1)/2 = (0.8, 0.4), target (1, 0).
  // BCE = (-ln 0.8 - ln 0.6) / 2 = 0.3669846; (|h|-1)^2 = 0.16, 0.64, mean 0.4.
  auto h = matrix({0.6f, -0.2f}, 1);
  EXPECT_NEAR(csq_centre_loss(h, matrix({1, -1}, 1)).item<double>(), 0.3669846, 1e-6);
  EXPECT_NEAR(csq_quantisation(h).item<double>(), 0.4, 1e-6);
  // Through the class with K = 2, 2 classes: label 1 has centre (1, -1): 0.3669846 + 1e-4 * 0.4.
  CsqLoss loss(2, 2);
  LossInputs in;
  in.z = h;
  in.labels = labels({1});
  EXPECT_NEAR(loss(in).total.item<double>(), 0.3670246, 1e-6);
  // Label 0 has centre (1, 1): (-ln 0.8 - ln 0.4) / 2 + 4e-5 = 0.5697571.
  in.labels = labels({0});
  EXPECT_NEAR(loss(in).total.item<double>(), 0.5697571, 1e-6);
}

TEST(GreedyHashLoss, SignForwardStraightThroughBackward) {
  auto u = torch::tensor({0.5f, -2.f, 0.f}).requires_grad_(true);
  auto b = straight_through_sign(u);
  EXPECT_TRUE(torch::equal(b.detach(), torch::tensor({1.f, -1.f, 1.f})));
  (b * torch::tensor({3.f, 4.f, 5.f})).sum().backward();
  EXPECT_TRUE(torch::equal(u.grad(), torch::tensor({3.f, 4.f, 5.f})));
}

TEST(GreedyHashLoss, CrossEntropyOnCodesPlusCubicPenaltyWithHandGradient) {
  // u = (0.5, -2), label 0, classifier = identity: b = (1, -1), CE = ln(e + e^-1) - 1 = 0.1269280.
  // penalty | |u| - 1 |^3 = 0.125, 1, mean 0.5625; total = 0.1269280 + 0.1 * 0.5625 = 0.1831780.
  // dCE/db = softmax(b) - onehot = (-0.1192029, 0.1192029), passed straight to u.
  // d(0.1 * mean)/du = 0.1 / 2 * 3 (|u|-1)^2 sign(|u|-1) sign(u) = (-0.0375, -0.15).
  auto u = matrix({0.5f, -2.f}, 1).requires_grad_(true);
  LossInputs in;
  in.u = u;
  in.labels = labels({0});
  in.classify = [](const torch::Tensor& codes) { return codes; };
  auto terms = GreedyHashLoss()(in);
  EXPECT_NEAR(terms.ce.item<double>(), 0.1269280, 1e-6);
  EXPECT_NEAR(terms.kl.item<double>(), 0.5625, 1e-6);
  EXPECT_NEAR(terms.total.item<double>(), 0.1831780, 1e-6);
  terms.total.backward();
  EXPECT_NEAR(u.grad()[0][0].item<double>(), -0.1567029, 1e-6);
  EXPECT_NEAR(u.grad()[0][1].item<double>(), -0.0307971, 1e-6);
}

TEST(HashingLossFactory, BuildsEveryMethodAndRejectsUnknownNames) {
  MethodSettings config;
  config.bits = 16;
  for (const auto& method : hashing_methods()) EXPECT_NE(make_hashing_loss(method, config, 10), nullptr) << method;
  EXPECT_TRUE(make_hashing_loss("classifier", config, 10)->needs_classifier());
  EXPECT_TRUE(make_hashing_loss("greedyhash", config, 10)->needs_classifier());
  EXPECT_FALSE(make_hashing_loss("dpsh", config, 10)->needs_classifier());
  try {
    make_hashing_loss("dspH", config, 10);
    FAIL() << "expected an Error";
  } catch (const Error& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find("loss.method"), std::string::npos) << message;
    EXPECT_NE(message.find("greedyhash"), std::string::npos) << message;
  }
}

TEST(HashingLossFactory, BaselinesRequireLabels) {
  MethodSettings config;
  LossInputs in;
  in.u = in.z = torch::zeros({2, 8});
  EXPECT_THROW((*make_hashing_loss("dpsh", config, 2))(in), Error);
  EXPECT_THROW((*make_hashing_loss("csq", config, 2))(in), Error);
}

TEST(HashingLossFactory, ShrewdMethodIsTheTotalLoss) {
  // w_ce = 0, w_kl = 0: the method reduces to the similarity loss of docs/method.md §4.
  MethodSettings config;
  config.weights = {0.0, 1.0, 0.0};
  auto loss = make_hashing_loss("shrewd", config, 3);
  EXPECT_TRUE(loss->needs_target_distances());
  LossInputs in;
  in.z = torch::tanh(torch::linspace(-1, 1, 24).reshape({3, 8}));
  in.target_distances = matrix({0, 1, 0.5f, 1, 0, 1, 0.5f, 1, 0}, 3);
  auto expected = similarity_loss(in.z, in.target_distances, config.similarity);
  EXPECT_NEAR((*loss)(in).total.item<double>(), expected.item<double>(), 1e-6);
}

}  // namespace
}  // namespace shrewd::train
