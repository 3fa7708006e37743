#include "shrewd/data/caption_manifest.hpp"

#include <ATen/ATen.h>

#include "shrewd/formats/caption_manifest.hpp"

namespace shrewd::data {

Dataset read_caption_manifest(const std::filesystem::path& manifest, const std::filesystem::path& embeddings,
                              const ImageOptions& options) {
  auto items = formats::read_caption_manifest(manifest, embeddings);
  Dataset dataset;
  dataset.source = manifest.string();
  dataset.captions = std::move(items.captions);
  dataset.embeddings =
      at::from_blob(items.embeddings.data(), {std::int64_t(items.images.size()), std::int64_t(items.embedding_dims)}, at::kFloat)
          .clone();
  dataset.inputs = load_images(items.images, options);
  validate(dataset);
  return dataset;
}

}  // namespace shrewd::data
