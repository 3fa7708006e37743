#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include <ATen/core/Tensor.h>

#include "shrewd/data/preprocessing.hpp"
#include "shrewd/formats/image_array.hpp"

namespace shrewd::data {

// A dataset: small ones (IDX, CIFAR, .npy) held in memory, image files (folders, caption
// manifests) as a list of paths that the batch loader's workers decode when a batch needs them.
// Every tensor is on the CPU; the batch loader moves nothing to a device (the trainer does, one
// batch at a time).
struct Dataset {
  at::Tensor inputs;      // float32 in memory: images [N, C, H, W] in [0, 1], or features [N, D];
                          // undefined when the images are files
  std::vector<std::filesystem::path> image_files;  // images on disk, one per item (empty when in memory)
  at::Tensor labels;      // int64 [N]; undefined (!defined()) when the data has no labels
  at::Tensor embeddings;  // float32 [N, E] target embeddings; undefined when none
  std::vector<std::string> class_names;  // label index -> name, when known
  std::vector<std::string> captions;     // per item, for caption manifests; empty otherwise
  std::string source;     // where it came from, for messages

  std::int64_t size() const;
  // Number of classes: class_names.size() when known, else max label + 1, 0 without labels.
  std::int64_t num_classes() const;
  bool is_image() const { return !image_files.empty() || (inputs.defined() && inputs.dim() == 4); }
  // Image `item` as it is stored (decoded from its file, or copied from memory).
  ImageItem image(std::int64_t item) const;
  // "<file>" or "<source> item <i>", for messages.
  std::string item_name(std::int64_t item) const;
  // The items at `indices` (int64 [M]) in that order; class names and source carried over.
  Dataset subset(const at::Tensor& indices) const;
};

// Images and labels read by a LibTorch-free reader (shrewd_formats) as a Dataset: inputs float32
// [N, C, H, W] = bytes / 255, labels int64, class names and source carried over; validated.
Dataset to_dataset(const formats::LabelledImages& data);

// Fails with an Error naming `dataset.source` unless the tensors have the documented dtypes and
// agreeing row counts (inputs or image files, not both). Every reader calls it before returning.
void validate(const Dataset& dataset);

}  // namespace shrewd::data
