#pragma once

#include <vector>

#include <torch/torch.h>

#include "shrewd/data/dataset.hpp"
#include "shrewd/train/run_config.hpp"

namespace shrewd::train {

// Turns a batch's labels or embeddings into its target distances D^T [n, n] (docs/method.md §2).
class BatchTargets {
 public:
  // Checks that the dataset has what the kind needs; for hierarchies, reads the hierarchy and
  // classes files and builds the C x C class distance matrix (Errors name the files).
  BatchTargets(const RunConfig& config, const data::Dataset& dataset, torch::Device device);

  torch::Tensor operator()(const torch::Tensor& labels, const torch::Tensor& embeddings) const;

  // Class similarities s = 1 - D (C x C, row-major) for hierarchical precision; empty for flat
  // labels and embeddings.
  const std::vector<float>& class_similarity() const { return class_similarity_; }

 private:
  TargetKind kind_;
  bool angular_ = false;
  torch::Device device_;
  torch::Tensor class_distances_;  // C x C on device_, hierarchy only
  std::vector<float> class_similarity_;
};

}  // namespace shrewd::train
