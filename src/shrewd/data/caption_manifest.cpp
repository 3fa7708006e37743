#include "shrewd/data/caption_manifest.hpp"

#include <ATen/ATen.h>

#include "shrewd/formats/caption_manifest.hpp"

namespace shrewd::data {

Dataset read_caption_manifest(const std::filesystem::path& manifest, const std::filesystem::path& embeddings) {
  auto items = formats::read_caption_manifest(manifest, embeddings);
  Dataset dataset;
  dataset.source = manifest.string();
  dataset.captions = std::move(items.captions);
  dataset.embeddings =
      at::from_blob(items.embeddings.data(), {std::int64_t(items.images.size()), std::int64_t(items.embedding_dims)}, at::kFloat)
          .clone();
  dataset.image_files = std::move(items.images);
  validate(dataset);
  return dataset;
}

}  // namespace shrewd::data
