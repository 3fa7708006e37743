#pragma once

#include <cstdint>
#include <filesystem>

#include "shrewd/data/dataset.hpp"

namespace shrewd::data {

// Reads an MNIST-style pair of IDX files (unsigned bytes; images rank 3 [N, H, W], labels rank 1
// [N]), gzipped or not (formats::read_idx). Images become float32 [N, 1, H, W] in [0, 1]. With
// num_classes > 0 every label must be below it; with 0 the class count is max label + 1.
Dataset read_idx(const std::filesystem::path& images, const std::filesystem::path& labels,
                 std::int64_t num_classes = 0);

// Fashion-MNIST (or MNIST, same file names) from a directory holding train-images-idx3-ubyte[.gz],
// train-labels-idx1-ubyte[.gz], t10k-images-idx3-ubyte[.gz], t10k-labels-idx1-ubyte[.gz].
Dataset load_fashion_mnist(const std::filesystem::path& dir = "/usr/share/datasets/fashion-mnist",
                           bool train = true);
Dataset load_mnist(const std::filesystem::path& dir, bool train = true);

}  // namespace shrewd::data
