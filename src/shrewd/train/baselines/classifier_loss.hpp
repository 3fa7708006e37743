#pragma once

#include <torch/torch.h>

#include "shrewd/train/baselines/hashing_loss.hpp"

namespace shrewd::train {

// Classifier-only baseline: cross-entropy of a linear classifier on the K-dim tanh bottleneck
// z = tanh(u); codes sign(z). The 'trivial solution' Arponen & Bishop (arXiv 2005.04917) warn about.
class ClassifierLoss : public HashingLoss {
 public:
  LossTerms operator()(const LossInputs& inputs) override;
  bool needs_classifier() const override { return true; }
  bool needs_labels() const override { return true; }
};

}  // namespace shrewd::train
