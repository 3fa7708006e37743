#pragma once

#include <filesystem>

#include "shrewd/data/dataset.hpp"

namespace shrewd::data {

// A caption manifest: a UTF-8 TSV file, one item per line, "image path<TAB>caption" (relative
// paths are relative to the manifest's folder; empty lines and lines starting with '#' are
// skipped), with aligned target embeddings in a float32 .npy [N, E] (row i belongs to item i; the
// counts must match; formats::read_caption_manifest). The result has images, embeddings and
// captions but no labels; the images stay on disk (Dataset::image_files).
Dataset read_caption_manifest(const std::filesystem::path& manifest, const std::filesystem::path& embeddings);

}  // namespace shrewd::data
