#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <ATen/core/Tensor.h>

#include "shrewd/formats/image_array.hpp"

namespace shrewd::data {

// A whole dataset in memory. Every tensor is on the CPU; the batch loader moves nothing to a
// device (the trainer does, one batch at a time).
struct Dataset {
  at::Tensor inputs;      // float32: images [N, C, H, W] scaled to [0, 1], or features [N, D]
  at::Tensor labels;      // int64 [N]; undefined (!defined()) when the data has no labels
  at::Tensor embeddings;  // float32 [N, E] target embeddings; undefined when none
  std::vector<std::string> class_names;  // label index -> name, when known
  std::vector<std::string> captions;     // per item, for caption manifests; empty otherwise
  std::string source;     // where it came from, for messages

  std::int64_t size() const;
  // Number of classes: class_names.size() when known, else max label + 1, 0 without labels.
  std::int64_t num_classes() const;
  bool is_image() const { return inputs.defined() && inputs.dim() == 4; }
  // The items at `indices` (int64 [M]) in that order; class names and source carried over.
  Dataset subset(const at::Tensor& indices) const;
};

// Images and labels read by a LibTorch-free reader (shrewd_formats) as a Dataset: inputs float32
// [N, C, H, W] = bytes / 255, labels int64, class names and source carried over; validated.
Dataset to_dataset(const formats::LabelledImages& data);

// Fails with an Error naming `dataset.source` unless the tensors have the documented dtypes and
// agreeing row counts. Every reader calls it before returning.
void validate(const Dataset& dataset);

}  // namespace shrewd::data
