#pragma once

#include <filesystem>

#include "shrewd/data/dataset.hpp"

namespace shrewd::data {

// CIFAR binary batches in the standard directories (formats::read_cifar10 / read_cifar100):
// cifar-10-batches-bin (data_batch_1..5.bin / test_batch.bin, class names from batches.meta.txt)
// and cifar-100-binary (train.bin / test.bin, names from fine_label_names.txt /
// coarse_label_names.txt; name files are optional). Images become float32 [N, 3, 32, 32] in [0, 1].
Dataset load_cifar10(const std::filesystem::path& dir, bool train = true);
Dataset load_cifar100(const std::filesystem::path& dir, bool train = true, bool coarse_labels = false);

}  // namespace shrewd::data
