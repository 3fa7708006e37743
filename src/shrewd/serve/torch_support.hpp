#pragma once

// Parts of `shrewd serve` that need LibTorch: built only with SHREWD_WITH_TORCH.

#include <filesystem>
#include <memory>
#include <string>

#include "shrewd/serve/item_catalog.hpp"
#include "shrewd/serve/query_encoder.hpp"

namespace shrewd::serve {

// Reads the dataset named by "format:split[:path]" (e.g. "fashion-mnist:test",
// "cifar10:test:/data/cifar-10-batches-bin"; formats as data/load_dataset.hpp) and puts its images,
// labels and class names into the catalog. Item i of the index is item i of the dataset. Images on
// disk (image folders, caption manifests) are decoded once into 64 x 64 RGB thumbnails.
void add_dataset(const std::string& spec, ItemCatalog& catalog);

// A trained model (saved by `shrewd train`) that encodes uploaded images into codes. The image
// goes through the model's stored preprocessing (train::model_preprocessing) without its random
// parts: the same file gives the same z as in `shrewd encode` and in training's validation.
std::shared_ptr<const QueryEncoder> load_model_encoder(const std::filesystem::path& model_file);

}  // namespace shrewd::serve
