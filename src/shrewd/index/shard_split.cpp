#include "shrewd/index/shard_split.hpp"

#include <algorithm>
#include <fmt/format.h>
#include <vector>

#include "shrewd/common/error.hpp"
#include "shrewd/index/index_file.hpp"

namespace shrewd {

std::filesystem::path shard_file_path(const std::string& prefix, std::size_t i, std::size_t shards) {
  return fmt::format("{}-{}-of-{}.shx", prefix, i, shards);
}

std::filesystem::path shard_manifest_path(const std::string& prefix) { return prefix + ".manifest.json"; }

ShardManifest split_index(const std::filesystem::path& index, std::size_t shards, const std::string& prefix) {
  const IndexFile source(index);
  if (shards == 0) fail("--shards", "must be at least 1");
  if (shards > source.live())
    fail("--shards", fmt::format("{} shards for {} codes in {}: every shard needs at least one code",
                                 shards, source.live(), index.string()));
  if (prefix.empty()) fail("--out", "the shard prefix is empty");
  const auto manifest_path = shard_manifest_path(prefix);

  ShardManifest manifest;
  manifest.path = manifest_path;
  manifest.bits = source.bits();
  manifest.codes = source.live();
  manifest.source = index.filename().string();
  manifest.source_checksum = source.checksum();
  const IndexFileOptions options{source.multi_index(), source.substrings()};

  std::size_t position = 0;  // next stored code to look at
  for (std::size_t s = 0; s < shards; ++s) {
    const std::size_t wanted = source.live() * (s + 1) / shards - source.live() * s / shards;
    CodeMatrix codes(source.bits());
    codes.reserve(wanted);
    std::vector<std::uint64_t> ids;
    ids.reserve(wanted);
    while (ids.size() < wanted) {
      if (!source.is_deleted(position)) {
        codes.append(source.codes().rows(position, 1));
        ids.push_back(source.ids()[position]);
      }
      ++position;
    }
    const auto path = shard_file_path(prefix, s, shards);
    write_index_file(path, codes, ids, options);
    const IndexFile written(path);
    const auto [min_id, max_id] = std::minmax_element(ids.begin(), ids.end());
    manifest.shards.push_back({path.filename().string(), written.live(), written.checksum(), *min_id, *max_id});
  }
  write_shard_manifest(manifest_path, manifest);
  return manifest;
}

}  // namespace shrewd
