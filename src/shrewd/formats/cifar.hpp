#pragma once

#include <filesystem>
#include <vector>

#include "shrewd/formats/image_array.hpp"

namespace shrewd::formats {

enum class CifarVariant { Cifar10, Cifar100Fine, Cifar100Coarse };

// Reads CIFAR binary batch files (records of label byte(s) + 3072 bytes of 32x32 RGB, channel
// planes). CIFAR-10 records have 1 label byte; CIFAR-100 records have 2 (coarse, fine) and the
// variant picks one. Images are [N, 3, 32, 32]; the files are concatenated in the order given.
LabelledImages read_cifar_files(const std::vector<std::filesystem::path>& files, CifarVariant variant);

// The standard directories: cifar-10-batches-bin (data_batch_1..5.bin / test_batch.bin, class
// names from batches.meta.txt) and cifar-100-binary (train.bin / test.bin, names from
// fine_label_names.txt / coarse_label_names.txt). Name files are optional.
LabelledImages read_cifar10(const std::filesystem::path& dir, bool train = true);
LabelledImages read_cifar100(const std::filesystem::path& dir, bool train = true, bool coarse_labels = false);

}  // namespace shrewd::formats
