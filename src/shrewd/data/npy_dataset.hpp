#pragma once

#include <filesystem>

#include "shrewd/data/dataset.hpp"

namespace shrewd::data {

// Feature vectors from a float32 .npy [N, D] (finite values) with optional labels from an integer
// .npy [N] (non-negative; row count must match). An empty labels path means no labels.
// With num_classes > 0 every label must be below it.
Dataset read_npy_features(const std::filesystem::path& features, const std::filesystem::path& labels = {},
                          std::int64_t num_classes = 0);

}  // namespace shrewd::data
