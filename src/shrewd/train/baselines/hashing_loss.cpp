#include "shrewd/train/baselines/hashing_loss.hpp"

#include <stdexcept>

#include "shrewd/common/error.hpp"
#include "shrewd/train/baselines/classifier_loss.hpp"
#include "shrewd/train/baselines/csq_loss.hpp"
#include "shrewd/train/baselines/dpsh_loss.hpp"
#include "shrewd/train/baselines/greedyhash_loss.hpp"
#include "shrewd/train/baselines/hashnet_loss.hpp"

namespace shrewd::train {
namespace {

// The method of docs/method.md §4-§6 behind the common interface.
class ShrewdLoss : public HashingLoss {
 public:
  explicit ShrewdLoss(const MethodSettings& s)
      : loss_(s.weights, s.similarity, s.kl, s.seed), classifier_(s.classifier && s.weights.ce > 0) {}

  LossTerms operator()(const LossInputs& in) override {
    return loss_(in.z, in.logits, in.labels, in.target_distances);
  }
  void start_epoch(std::uint64_t seed) override { loss_.kl().reseed(seed); }
  bool needs_classifier() const override { return classifier_; }
  bool needs_labels() const override { return false; }
  bool needs_target_distances() const override { return loss_.weights().sim != 0; }

 private:
  TotalLoss loss_;
  bool classifier_;
};

}  // namespace

std::unique_ptr<HashingLoss> make_hashing_loss(const std::string& method, const MethodSettings& settings,
                                               std::int64_t classes) {
  check_hashing_method(method);
  if (method == "shrewd") return std::make_unique<ShrewdLoss>(settings);
  if (method == "classifier") return std::make_unique<ClassifierLoss>();
  if (method == "dpsh") return std::make_unique<DpshLoss>();
  if (method == "hashnet") return std::make_unique<HashNetLoss>();
  if (method == "csq") {
    if (classes < 1) fail("config loss.method", "csq needs class labels (hash centres per class)");
    CsqOptions options;
    options.seed = settings.seed;
    return std::make_unique<CsqLoss>(classes, settings.bits, options);
  }
  if (method == "greedyhash") return std::make_unique<GreedyHashLoss>();
  throw std::logic_error("make_hashing_loss: no loss for the known method " + method);
}

torch::Tensor pairwise_label_similarity(const torch::Tensor& labels) {
  return labels.unsqueeze(1).eq(labels.unsqueeze(0)).to(torch::kFloat);
}

void require_labels(const LossInputs& in, const char* method) {
  if (!in.labels.defined()) fail(std::string("loss.method ") + method, "needs class labels in every batch");
}

}  // namespace shrewd::train
