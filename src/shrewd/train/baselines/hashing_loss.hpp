#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <torch/torch.h>

#include "shrewd/train/hashing_methods.hpp"
#include "shrewd/train/total_loss.hpp"

namespace shrewd::train {

// What a training loss sees of one batch.
struct LossInputs {
  torch::Tensor u;                 // hash layer output before tanh, [n, K]
  torch::Tensor z;                 // tanh(u), [n, K]
  torch::Tensor logits;            // model classifier on z, [n, C]; undefined without a classifier
  torch::Tensor labels;            // int64 [n]; undefined for unlabelled data
  torch::Tensor target_distances;  // D^T [n, n]; undefined when the method needs none
  std::int64_t step = 0;           // global optimisation step, from 0 (HashNet's continuation)
  // The model's classifier applied to other codes (GreedyHash classifies sign(u)); may be empty.
  std::function<torch::Tensor(const torch::Tensor&)> classify;
};

// One training objective: the method of docs/method.md §6 (name "shrewd") or a baseline of §7.
// The returned LossTerms use the method's slots: `ce` the classification term, `sim` the
// pairwise / hash-centre / similarity term, `kl` the term that drives outputs to binary values
// (the method's KL; the baselines' quantisation penalties). Unused terms stay undefined.
class HashingLoss {
 public:
  virtual ~HashingLoss() = default;
  virtual LossTerms operator()(const LossInputs& inputs) = 0;
  // Called before every epoch with a seed derived from the run seed and the epoch.
  virtual void start_epoch(std::uint64_t /*seed*/) {}
  // The model needs a classifier head (LossInputs::logits / classify).
  virtual bool needs_classifier() const = 0;
  // The method needs class labels in every batch.
  virtual bool needs_labels() const = 0;
  // The method uses LossInputs::target_distances (the trainer may skip computing them otherwise).
  virtual bool needs_target_distances() const { return false; }
};

// What the factory needs of a run's configuration (the trainer fills it with method_settings,
// run_config.hpp).
struct MethodSettings {
  LossWeights weights;              // "shrewd" only
  SimilarityLossOptions similarity; // "shrewd" only
  KlOptions kl;                     // "shrewd" only
  bool classifier = true;           // "shrewd": a classifier head when weights.ce > 0
  std::uint64_t seed = 1;           // "shrewd": KL target samples; "csq": random centres
  std::int64_t bits = 64;           // K
};

// The loss for a method name; `classes` is the number of classes of the training data (CSQ's hash
// centres). The method "shrewd" takes its weights and options from `settings`; the baselines use
// the hyper-parameters their authors recommend (see their headers). Unknown names are an Error
// naming the config key "loss.method" and listing the known methods.
std::unique_ptr<HashingLoss> make_hashing_loss(const std::string& method, const MethodSettings& settings,
                                               std::int64_t classes);

// s_ij = 1 when items i and j share the label, else 0: float [n, n] (the baselines' pairwise labels).
torch::Tensor pairwise_label_similarity(const torch::Tensor& labels);

// Fails with an Error naming "loss.method <method>" when the batch has no labels.
void require_labels(const LossInputs& inputs, const char* method);

}  // namespace shrewd::train
