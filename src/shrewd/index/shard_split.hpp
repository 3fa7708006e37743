#pragma once

#include <cstddef>
#include <filesystem>
#include <string>

#include "shrewd/index/shard_manifest.hpp"

namespace shrewd {

// PREFIX-i-of-S.shx
std::filesystem::path shard_file_path(const std::string& prefix, std::size_t i, std::size_t shards);
// PREFIX.manifest.json
std::filesystem::path shard_manifest_path(const std::string& prefix);

// Splits an index file into `shards` shard files (1 <= shards <= live codes): consecutive runs of
// its codes not deleted, in stored order, sizes differing by at most one; each keeps the original
// ids and the search method (flat or multi-index hashing) of the source. Deleted codes are left
// out. Every shard file is written atomically, one at a time (memory: one shard), then the
// manifest, so a manifest never lists shards that were not completely written. Returns the
// manifest.
ShardManifest split_index(const std::filesystem::path& index, std::size_t shards, const std::string& prefix);

}  // namespace shrewd
