#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "shrewd/formats/image_array.hpp"

namespace shrewd::formats {

// IDX files of unsigned bytes (the MNIST format), gzipped or not. Every problem is an Error naming
// the file: wrong magic number, element type or rank, truncated header or records, trailing bytes.

// An images file (rank 3 [N, H, W]) as [N, 1, H, W].
ImageArray read_idx_images(const std::filesystem::path& path);
// A labels file (rank 1 [N]). With num_classes > 0 every label must be below it.
std::vector<std::int64_t> read_idx_labels(const std::filesystem::path& path, std::int64_t num_classes = 0);

// An MNIST-style pair of files; the counts must agree. No class names.
LabelledImages read_idx(const std::filesystem::path& images, const std::filesystem::path& labels,
                        std::int64_t num_classes = 0);

// Fashion-MNIST (or MNIST, same file names) from a directory holding train-images-idx3-ubyte[.gz],
// train-labels-idx1-ubyte[.gz], t10k-images-idx3-ubyte[.gz], t10k-labels-idx1-ubyte[.gz].
LabelledImages read_fashion_mnist(const std::filesystem::path& dir, bool train = true);
LabelledImages read_mnist(const std::filesystem::path& dir, bool train = true);

// The ten Fashion-MNIST class names, label order.
const std::vector<std::string>& fashion_mnist_class_names();

}  // namespace shrewd::formats
