#pragma once

#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

namespace shrewd::formats {

// A caption manifest: a UTF-8 TSV file, one item per line, "image path<TAB>caption" (relative
// paths are relative to the manifest's folder; empty lines and lines starting with '#' are
// skipped), with aligned target embeddings in a float32 .npy [N, E] (row i belongs to item i; the
// counts must match). The images themselves are not read here.
struct CaptionManifest {
  std::vector<std::filesystem::path> images;
  std::vector<std::string> captions;
  std::vector<float> embeddings;  // images.size() x embedding_dims, row-major
  std::size_t embedding_dims = 0;
};
CaptionManifest read_caption_manifest(const std::filesystem::path& manifest, const std::filesystem::path& embeddings);

}  // namespace shrewd::formats
