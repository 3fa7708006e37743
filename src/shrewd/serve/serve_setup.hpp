#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "shrewd/serve/index_holder.hpp"
#include "shrewd/serve/item_catalog.hpp"

namespace shrewd::serve {

// Opens an index file (.shx, see index/index_file.hpp) read into memory (not mapped: writing to or
// truncating the file in place must not change or kill a running server), searched by
// open_index's choice (flat scan or multi-index hashing). Each call opens the file afresh, so a
// loader made here reloads whatever file is at the path now.
IndexLoader index_file_loader(const std::filesystem::path& path);

// The files that describe the items, all optional (see docs/serve.md).
struct CatalogFiles {
  std::optional<std::filesystem::path> images;     // uint8 [N, H, W] or [N, H, W, C] .npy
  std::optional<std::filesystem::path> labels;     // integer [N] .npy
  std::optional<std::filesystem::path> classes;    // classes file: 'index node [display name]'
  std::optional<std::filesystem::path> hierarchy;  // 'parent child' lines; needs classes
  std::optional<std::filesystem::path> evaluation; // `shrewd eval --json` output
  std::string hierarchy_measure = "lcs-height";    // or "wu-palmer"
  std::optional<std::filesystem::path> wordnet;    // names inner nodes that are WordNet ids
};

// Fills `catalog` from the files (a part given by a file replaces what a dataset put there) and
// validates the result. Errors name the file and the problem.
void load_catalog_files(const CatalogFiles& files, ItemCatalog& catalog);

}  // namespace shrewd::serve
