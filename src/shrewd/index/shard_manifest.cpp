#include "shrewd/index/shard_manifest.hpp"

#include <cstdio>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "shrewd/common/atomic_file.hpp"
#include "shrewd/common/error.hpp"
#include "shrewd/common/read_file.hpp"

namespace shrewd {
namespace {

constexpr const char* kFormat = "shrewd-shard-manifest";
constexpr int kVersion = 1;

std::uint32_t parse_checksum(const std::string& text, const std::string& where) {
  if (text.size() != 8 || text.find_first_not_of("0123456789abcdef") != std::string::npos)
    fail(where, fmt::format("checksum \"{}\" is not 8 lowercase hex digits", text));
  return std::uint32_t(std::stoul(text, nullptr, 16));
}

template <class T>
T field(const nlohmann::json& object, const char* key, const std::string& where) {
  if (!object.is_object() || !object.contains(key)) fail(where, fmt::format("missing field \"{}\"", key));
  try {
    return object.at(key).get<T>();
  } catch (const nlohmann::json::exception&) {
    fail(where, fmt::format("field \"{}\" has the wrong type", key));
  }
}

}  // namespace

std::string checksum_text(std::uint32_t checksum) {
  char text[9];
  std::snprintf(text, sizeof text, "%08x", checksum);
  return text;
}

std::string ShardManifest::shard_name(std::size_t i) const {
  return fmt::format("shard {} of {} ({})", i, shards.size(), shards[i].file);
}

void write_shard_manifest(const std::filesystem::path& path, const ShardManifest& manifest) {
  nlohmann::json shards = nlohmann::json::array();
  for (const ShardEntry& s : manifest.shards)
    shards.push_back({{"file", s.file},
                      {"codes", s.codes},
                      {"checksum", checksum_text(s.checksum)},
                      {"min_id", s.min_id},
                      {"max_id", s.max_id}});
  const nlohmann::json json = {{"format", kFormat},
                               {"version", kVersion},
                               {"bits", manifest.bits},
                               {"codes", manifest.codes},
                               {"source", manifest.source},
                               {"source_checksum", checksum_text(manifest.source_checksum)},
                               {"shards", shards}};
  write_text_file(path, json.dump(2) + "\n");
}

ShardManifest read_shard_manifest(const std::filesystem::path& path) {
  const std::string where = path.string();
  const std::string text = read_file(path, "the shard manifest");
  nlohmann::json json;
  try {
    json = nlohmann::json::parse(text);
  } catch (const nlohmann::json::exception& e) {
    fail(where, fmt::format("is not valid JSON ({})", e.what()));
  }
  if (!json.is_object() || json.value("format", "") != kFormat)
    fail(where, fmt::format("is not a shard manifest (\"format\" is not \"{}\")", kFormat));
  if (field<int>(json, "version", where) != kVersion)
    fail(where, fmt::format("manifest version {} is not supported (only {})", json["version"].dump(), kVersion));
  ShardManifest manifest;
  manifest.path = path;
  manifest.bits = field<std::size_t>(json, "bits", where);
  manifest.codes = field<std::size_t>(json, "codes", where);
  manifest.source = field<std::string>(json, "source", where);
  manifest.source_checksum = parse_checksum(field<std::string>(json, "source_checksum", where), where);
  const auto& shards = json.contains("shards") ? json["shards"] : nlohmann::json();
  if (!shards.is_array() || shards.empty()) fail(where, "\"shards\" must be a non-empty list");
  std::size_t total = 0;
  for (std::size_t i = 0; i < shards.size(); ++i) {
    const std::string at = fmt::format("{}: shards[{}]", where, i);
    ShardEntry entry;
    entry.file = field<std::string>(shards[i], "file", at);
    if (entry.file.empty() || std::filesystem::path(entry.file).has_parent_path())
      fail(at, fmt::format("file \"{}\" must be a plain file name beside the manifest", entry.file));
    entry.codes = field<std::size_t>(shards[i], "codes", at);
    entry.checksum = parse_checksum(field<std::string>(shards[i], "checksum", at), at);
    entry.min_id = field<std::uint64_t>(shards[i], "min_id", at);
    entry.max_id = field<std::uint64_t>(shards[i], "max_id", at);
    if (entry.codes > 0 && entry.min_id > entry.max_id) fail(at, "min_id is larger than max_id");
    total += entry.codes;
    manifest.shards.push_back(std::move(entry));
  }
  if (total != manifest.codes)
    fail(where, fmt::format("the shards hold {} codes together, but \"codes\" says {}", total, manifest.codes));
  return manifest;
}

void check_shard_against_manifest(const ShardManifest& manifest, std::size_t i, const std::string& where,
                                  std::size_t bits, std::size_t codes, std::uint32_t checksum) {
  const ShardEntry& want = manifest.shards[i];
  const std::string name = fmt::format("{} ({} of {})", where, manifest.shard_name(i), manifest.path.string());
  if (bits != manifest.bits)
    fail(name, fmt::format("holds {}-bit codes, the manifest says {}", bits, manifest.bits));
  if (codes != want.codes)
    fail(name, fmt::format("holds {} codes, the manifest says {}", codes, want.codes));
  if (checksum != want.checksum)
    fail(name, fmt::format("has checksum {}, the manifest says {}: it is not the shard the manifest lists",
                           checksum_text(checksum), checksum_text(want.checksum)));
}

}  // namespace shrewd
