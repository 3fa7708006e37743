#include "shrewd/data/caption_manifest.hpp"

#include <ATen/ATen.h>

#include <fstream>

#include "shrewd/common/error.hpp"
#include "shrewd/common/npy.hpp"

namespace shrewd::data {

Dataset read_caption_manifest(const std::filesystem::path& manifest, const std::filesystem::path& embeddings,
                              const ImageOptions& options) {
  std::ifstream in(manifest);
  if (!in) fail(manifest.string(), "cannot open");
  const auto base = manifest.parent_path();
  std::vector<std::filesystem::path> images;
  Dataset dataset;
  dataset.source = manifest.string();
  std::size_t line_number = 0;
  for (std::string line; std::getline(in, line);) {
    ++line_number;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty() || line[0] == '#') continue;
    const auto tab = line.find('\t');
    const auto where = manifest.string() + ":" + std::to_string(line_number);
    if (tab == std::string::npos) fail(where, "expected 'image path<TAB>caption'");
    if (tab == 0) fail(where, "empty image path");
    std::filesystem::path image = line.substr(0, tab);
    images.push_back(image.is_absolute() ? image : base / image);
    dataset.captions.push_back(line.substr(tab + 1));
  }
  if (images.empty()) fail(manifest.string(), "no items");

  std::size_t rows = 0, columns = 0;
  auto values = read_npy_matrix_f32(embeddings, rows, columns);
  if (rows != images.size())
    fail(embeddings.string(), std::to_string(rows) + " embedding rows for the " + std::to_string(images.size()) +
                                  " items of " + manifest.string());
  if (columns == 0) fail(embeddings.string(), "embeddings have no columns");
  dataset.embeddings = at::from_blob(values.data(), {std::int64_t(rows), std::int64_t(columns)}, at::kFloat).clone();
  dataset.inputs = load_images(images, options);
  validate(dataset);
  return dataset;
}

}  // namespace shrewd::data
