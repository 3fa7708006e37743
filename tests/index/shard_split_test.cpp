#include <gtest/gtest.h>

#include <algorithm>
#include <numeric>

#include "search_reference.hpp"
#include "shrewd/common/error.hpp"
#include "shrewd/index/index_file.hpp"
#include "shrewd/index/open_index.hpp"
#include "shrewd/index/shard_manifest.hpp"
#include "shrewd/index/shard_split.hpp"
#include "support/error_of.hpp"
#include "support/temp_dir.hpp"

namespace shrewd {
namespace {

using testing::TempDir;

using shrewd::testing::error_of;

TEST(ShardSplit, ShardsKeepIdsAndMethodDropDeletedCodesAndMatchTheManifest) {
  TempDir dir;
  const CodeMatrix codes = testing::random_codes(64, 103, 1);
  std::vector<std::uint64_t> ids(codes.size());
  for (std::size_t i = 0; i < ids.size(); ++i) ids[i] = 1000 + 7 * i;
  write_index_file(dir / "db.shx", codes, ids, {true, 0});
  delete_from_index(dir / "db.shx", std::vector<std::uint64_t>{1000, 1007 + 7 * 50});  // positions 0 and 51

  const std::string prefix = (dir / "part").string();
  const ShardManifest manifest = split_index(dir / "db.shx", 4, prefix);
  EXPECT_EQ(manifest.codes, 101u);
  EXPECT_EQ(manifest.bits, 64u);
  EXPECT_EQ(manifest.source, "db.shx");
  EXPECT_EQ(manifest.source_checksum, IndexFile(dir / "db.shx").checksum());
  ASSERT_EQ(manifest.shards.size(), 4u);

  std::vector<std::uint64_t> all_ids;
  for (std::size_t s = 0; s < 4; ++s) {
    EXPECT_EQ(manifest.shards[s].file, "part-" + std::to_string(s) + "-of-4.shx");
    const IndexFile shard(dir / manifest.shards[s].file);
    EXPECT_TRUE(shard.multi_index());  // the source's search method is kept
    EXPECT_EQ(shard.deleted(), 0u);
    EXPECT_EQ(shard.live(), manifest.shards[s].codes);
    EXPECT_EQ(shard.checksum(), manifest.shards[s].checksum);
    EXPECT_GE(shard.live(), 25u);
    EXPECT_LE(shard.live(), 26u);
    for (std::size_t i = 0; i < shard.count(); ++i) {
      const std::uint64_t id = shard.ids()[i];
      const std::size_t position = (id - 1000) / 7;
      all_ids.push_back(id);
      EXPECT_TRUE(std::equal(shard.codes().code(i), shard.codes().code(i) + 1, codes.code(position))) << id;
    }
    EXPECT_EQ(manifest.shards[s].min_id, *std::min_element(shard.ids().begin(), shard.ids().end()));
    EXPECT_EQ(manifest.shards[s].max_id, *std::max_element(shard.ids().begin(), shard.ids().end()));
  }
  std::vector<std::uint64_t> live_ids;
  for (std::size_t i = 0; i < ids.size(); ++i)
    if (i != 0 && i != 51) live_ids.push_back(ids[i]);
  EXPECT_EQ(all_ids, live_ids);  // every live code exactly once, in stored order

  const ShardManifest read = read_shard_manifest(shard_manifest_path(prefix));
  EXPECT_EQ(read.codes, manifest.codes);
  ASSERT_EQ(read.shards.size(), 4u);
  for (std::size_t s = 0; s < 4; ++s) {
    EXPECT_EQ(read.shards[s].file, manifest.shards[s].file);
    EXPECT_EQ(read.shards[s].checksum, manifest.shards[s].checksum);
    EXPECT_EQ(read.shard_path(s), dir / manifest.shards[s].file);
  }
}

TEST(ShardSplit, MoreShardsThanCodesIsAnError) {
  TempDir dir;
  write_index_file(dir / "db.shx", testing::random_codes(64, 3, 2), {});
  EXPECT_NE(error_of([&] { split_index(dir / "db.shx", 4, (dir / "p").string()); }).find("--shards"),
            std::string::npos);
  EXPECT_FALSE(std::filesystem::exists(shard_manifest_path((dir / "p").string())));
}

TEST(ShardManifest, MalformedOrInconsistentManifestsAreErrorsNamingTheFile) {
  TempDir dir;
  write_index_file(dir / "db.shx", testing::random_codes(64, 10, 3), {});
  const std::string prefix = (dir / "m").string();
  split_index(dir / "db.shx", 2, prefix);
  const auto path = shard_manifest_path(prefix);
  const std::string good = testing::read_bytes(path);

  auto expect_error = [&](const std::string& text, const std::string& expected) {
    testing::write_bytes(path, text);
    const std::string message = error_of([&] { read_shard_manifest(path); });
    EXPECT_NE(message.find(path.string()), std::string::npos) << message;
    EXPECT_NE(message.find(expected), std::string::npos) << message;
  };
  expect_error("{not json", "not valid JSON");
  expect_error("{\"format\": \"something\"}", "not a shard manifest");
  std::string wrong_total = good;
  wrong_total.replace(wrong_total.find("\"codes\": 10"), 11, "\"codes\": 11");
  expect_error(wrong_total, "hold 10 codes together");
  std::string bad_checksum = good;
  bad_checksum.replace(bad_checksum.find("\"checksum\": \"") + 13, 8, "xyz");
  expect_error(bad_checksum, "not 8 lowercase hex digits");
  std::string escaping = good;
  escaping.replace(escaping.find("m-0-of-2.shx"), 12, "../x.shx");
  expect_error(escaping, "plain file name");
}

TEST(ShardManifest, AShardThatIsNotTheListedOneIsNamedInTheError) {
  TempDir dir;
  write_index_file(dir / "db.shx", testing::random_codes(64, 10, 4), {});
  const ShardManifest manifest = split_index(dir / "db.shx", 2, (dir / "m").string());
  const auto& s1 = manifest.shards[1];
  EXPECT_NO_THROW(check_shard_against_manifest(manifest, 1, "x", 64, s1.codes, s1.checksum));
  const std::string wrong_checksum =
      error_of([&] { check_shard_against_manifest(manifest, 1, "server a:1", 64, s1.codes, s1.checksum ^ 1); });
  EXPECT_NE(wrong_checksum.find("server a:1"), std::string::npos) << wrong_checksum;
  EXPECT_NE(wrong_checksum.find("shard 1 of 2"), std::string::npos) << wrong_checksum;
  EXPECT_NE(wrong_checksum.find("checksum"), std::string::npos) << wrong_checksum;
  const std::string wrong_count =
      error_of([&] { check_shard_against_manifest(manifest, 1, "x", 64, s1.codes + 1, s1.checksum); });
  EXPECT_NE(wrong_count.find("codes, the manifest says"), std::string::npos) << wrong_count;
  EXPECT_NE(error_of([&] { check_shard_against_manifest(manifest, 1, "x", 128, s1.codes, s1.checksum); }), "");
}

}  // namespace
}  // namespace shrewd
