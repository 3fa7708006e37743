#pragma once

#include <cstdint>
#include <filesystem>

#include "shrewd/data/dataset.hpp"

namespace shrewd::data {

// A folder with one sub-folder per class (ImageNet / ILSVRC layout: root/n01440764/*.JPEG).
// Classes are the sub-folder names in sorted order (labels 0..C-1; class_names = folder names,
// e.g. WordNet ids). Files with extensions .jpg, .jpeg, .png (any case) are read; other files are
// ignored; a class folder without images is an error. The images stay on disk (Dataset::image_files):
// the batch loader decodes them (formats::read_image_file) and data::Preprocessing sizes them.
Dataset read_image_folder(const std::filesystem::path& root);

}  // namespace shrewd::data
