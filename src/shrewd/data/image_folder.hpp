#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "shrewd/data/dataset.hpp"

namespace shrewd::data {

// How images are decoded: every image is resized (stb_image_resize, no aspect-preserving crop) to
// width x height and converted to `channels` (1 = grey, 3 = RGB), then scaled to [0, 1]. All
// images are loaded into memory as float32: N * channels * height * width * 4 bytes.
struct ImageOptions {
  int width = 32;
  int height = 32;
  int channels = 3;
  int threads = 0;  // decoding threads; 0 = all hardware threads
};

// Decodes image files into float32 [N, channels, height, width], in parallel. Fails naming the
// file that cannot be decoded (JPEG, PNG, and anything else stb_image reads).
at::Tensor load_images(const std::vector<std::filesystem::path>& paths, const ImageOptions& options);

// A folder with one sub-folder per class (ImageNet / ILSVRC layout: root/n01440764/*.JPEG).
// Classes are the sub-folder names in sorted order (labels 0..C-1; class_names = folder names,
// e.g. WordNet ids). Files with extensions .jpg, .jpeg, .png (any case) are read; other files are
// ignored; a class folder without images is an error.
Dataset read_image_folder(const std::filesystem::path& root, const ImageOptions& options = {});

}  // namespace shrewd::data
