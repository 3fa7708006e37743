#include "shrewd/formats/caption_manifest.hpp"

#include <fmt/format.h>
#include <fstream>

#include "shrewd/common/error.hpp"
#include "shrewd/common/npy.hpp"

namespace shrewd::formats {

CaptionManifest read_caption_manifest(const std::filesystem::path& manifest, const std::filesystem::path& embeddings) {
  std::ifstream in(manifest);
  if (!in) fail(manifest.string(), "cannot open");
  const auto base = manifest.parent_path();
  CaptionManifest result;
  std::size_t line_number = 0;
  for (std::string line; std::getline(in, line);) {
    ++line_number;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty() || line[0] == '#') continue;
    const auto tab = line.find('\t');
    const auto where = fmt::format("{}:{}", manifest.string(), line_number);
    if (tab == std::string::npos) fail(where, "expected 'image path<TAB>caption'");
    if (tab == 0) fail(where, "empty image path");
    std::filesystem::path image = line.substr(0, tab);
    result.images.push_back(image.is_absolute() ? image : base / image);
    result.captions.push_back(line.substr(tab + 1));
  }
  if (result.images.empty()) fail(manifest.string(), "no items");

  std::size_t rows = 0;
  result.embeddings = read_npy_matrix_f32(embeddings, rows, result.embedding_dims);
  if (rows != result.images.size())
    fail(embeddings.string(),
         fmt::format("{} embedding rows for the {} items of {}", rows, result.images.size(), manifest.string()));
  if (result.embedding_dims == 0) fail(embeddings.string(), "embeddings have no columns");
  return result;
}

}  // namespace shrewd::formats
