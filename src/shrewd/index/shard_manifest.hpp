#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace shrewd {

// One shard file as the manifest records it.
struct ShardEntry {
  std::string file;          // file name, relative to the manifest's directory
  std::size_t codes = 0;     // codes it holds (none deleted)
  std::uint32_t checksum = 0;  // the CRC-32 stored in its header
  std::uint64_t min_id = 0, max_id = 0;  // smallest and largest id it holds
};

// The manifest `shrewd index shard` writes beside the shards (PREFIX.manifest.json):
//   {"format": "shrewd-shard-manifest", "version": 1, "bits": 64, "codes": 1000000,
//    "source": "db.shx", "source_checksum": "8c1f02aa",
//    "shards": [{"file": "db-0-of-2.shx", "codes": 500000, "checksum": "0e4d9c31",
//                "min_id": 0, "max_id": 499999}, ...]}
// Checksums are 8 lowercase hex digits.
struct ShardManifest {
  std::filesystem::path path;  // where it was read from (set by read_shard_manifest)
  std::size_t bits = 0;
  std::size_t codes = 0;  // all shards together
  std::string source;
  std::uint32_t source_checksum = 0;
  std::vector<ShardEntry> shards;

  std::filesystem::path shard_path(std::size_t i) const { return path.parent_path() / shards[i].file; }
  // "shard 1 of 4 (db-1-of-4.shx)", for messages.
  std::string shard_name(std::size_t i) const;
};

// Written atomically.
void write_shard_manifest(const std::filesystem::path& path, const ShardManifest& manifest);
// Any malformed or inconsistent field is an Error naming the file and the field.
ShardManifest read_shard_manifest(const std::filesystem::path& path);

// Fails with an Error naming shard i (as `where`, e.g. a file or an address) unless what it holds
// (bits, codes, checksum) is what the manifest lists.
void check_shard_against_manifest(const ShardManifest& manifest, std::size_t i, const std::string& where,
                                  std::size_t bits, std::size_t codes, std::uint32_t checksum);

std::string checksum_text(std::uint32_t checksum);  // 8 lowercase hex digits

}  // namespace shrewd
