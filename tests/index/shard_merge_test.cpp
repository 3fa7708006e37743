#include <gtest/gtest.h>

#include <algorithm>
#include <numeric>
#include <random>

#include "search_reference.hpp"
#include "shrewd/common/error.hpp"
#include "shrewd/index/flat_index.hpp"
#include "shrewd/index/shard_merge.hpp"
#include "shrewd/index/shard_set.hpp"

namespace shrewd {
namespace {

// Shuffled ids, so that ties at one distance are broken by ids spread over every shard.
std::vector<std::uint64_t> shuffled_ids(std::size_t n, std::uint64_t seed) {
  std::vector<std::uint64_t> ids(n);
  std::iota(ids.begin(), ids.end(), std::uint64_t{100});
  std::shuffle(ids.begin(), ids.end(), std::mt19937_64(seed));
  return ids;
}

// `shards` FlatIndexes over consecutive runs of the codes, each owning its codes and ids.
ShardedIndex split_flat(const CodeMatrix& codes, const std::vector<std::uint64_t>& ids, std::size_t shards) {
  std::vector<NamedShard> parts;
  for (std::size_t s = 0; s < shards; ++s) {
    const std::size_t first = codes.size() * s / shards, end = codes.size() * (s + 1) / shards;
    CodeMatrix part(codes.bits());
    part.append(codes.span().rows(first, end - first));
    parts.push_back({"shard " + std::to_string(s),
                     std::make_unique<FlatIndex>(std::move(part),
                                                 std::vector<std::uint64_t>(ids.begin() + first, ids.begin() + end))});
  }
  return ShardedIndex(std::move(parts));
}

TEST(ShardedIndex, KnnOverShardsEqualsOneIndexIncludingTiesAndPadding) {
  const CodeMatrix db = testing::clustered_codes(64, 700, 5, 0.05, 1);  // many ties
  const CodeMatrix queries = testing::clustered_codes(64, 20, 5, 0.05, 2);
  const auto ids = shuffled_ids(db.size(), 3);
  const FlatIndex whole(db.span(), ids);
  for (std::size_t shards : {1, 2, 3, 7}) {
    const ShardedIndex sharded = split_flat(db, ids, shards);
    EXPECT_EQ(sharded.size(), db.size());
    for (std::size_t k : {1, 10, 150, 800}) {  // 800 > N: padded with -1
      const KnnResult want = whole.search(queries, k);
      const KnnResult got = sharded.search(queries, k, {2});
      EXPECT_EQ(got.queries, want.queries);
      EXPECT_EQ(got.k, k);
      EXPECT_EQ(got.ids, want.ids) << shards << " shards, k = " << k;
      EXPECT_EQ(got.distances, want.distances) << shards << " shards, k = " << k;
    }
  }
}

TEST(ShardedIndex, RadiusOverShardsEqualsOneIndex) {
  const CodeMatrix db = testing::clustered_codes(128, 600, 4, 0.08, 4);
  const CodeMatrix queries = testing::clustered_codes(128, 15, 4, 0.08, 5);
  const auto ids = shuffled_ids(db.size(), 6);
  const FlatIndex whole(db.span(), ids);
  const ShardedIndex sharded = split_flat(db, ids, 4);
  for (int radius : {0, 5, 12, 40}) {
    const RadiusResult want = whole.range_search(queries, radius);
    const RadiusResult got = sharded.range_search(queries, radius);
    EXPECT_EQ(got.offsets, want.offsets) << "radius " << radius;
    EXPECT_EQ(got.ids, want.ids) << "radius " << radius;
    EXPECT_EQ(got.distances, want.distances) << "radius " << radius;
  }
}

TEST(ShardMerge, AnIdReturnedByTwoShardsIsAnError) {
  const CodeMatrix db = testing::random_codes(64, 50, 7);
  const FlatIndex index(db.span());
  const CodeMatrix queries = testing::random_codes(64, 3, 8);
  const std::vector<KnnResult> parts = {index.search(queries, 5), index.search(queries, 5)};
  EXPECT_THROW(merge_knn(parts, 5), Error);
  const std::vector<RadiusResult> radius_parts = {index.range_search(queries, 64), index.range_search(queries, 64)};
  EXPECT_THROW(merge_radius(radius_parts), Error);
}

TEST(ShardMerge, PartsAnsweringDifferentQueriesOrUnsortedAreErrors) {
  const CodeMatrix db = testing::random_codes(64, 50, 9);
  const FlatIndex index(db.span());
  std::vector<KnnResult> parts = {index.search(testing::random_codes(64, 3, 10), 4),
                                  index.search(testing::random_codes(64, 2, 11), 4)};
  EXPECT_THROW(merge_knn(parts, 4), Error);
  parts.pop_back();
  std::swap(parts[0].ids[0], parts[0].ids[3]);
  std::swap(parts[0].distances[0], parts[0].distances[3]);
  EXPECT_THROW(merge_knn(parts, 4), Error);
}

// A shard that fails as a dead server would.
class FailingShard : public BinaryIndex {
 public:
  std::size_t size() const override { return 10; }
  std::size_t bits() const override { return 64; }
  KnnResult search(CodeSpan, std::size_t, const SearchOptions&) const override {
    throw Error("shard server 127.0.0.1:1: no answer");
  }
  RadiusResult range_search(CodeSpan, int, const SearchOptions&) const override {
    throw Error("shard server 127.0.0.1:1: no answer");
  }
};

TEST(ShardedIndex, AFailingShardFailsTheWholeSearchNamingTheShard) {
  const CodeMatrix db = testing::random_codes(64, 40, 12);
  std::vector<NamedShard> shards;
  shards.push_back({"shard 0 of 2 (a)", std::make_unique<FlatIndex>(CodeMatrix(db), std::vector<std::uint64_t>{})});
  shards.push_back({"shard 1 of 2 (b)", std::make_unique<FailingShard>()});
  const ShardedIndex sharded(std::move(shards));
  const CodeMatrix queries = testing::random_codes(64, 2, 13);
  try {
    sharded.search(queries, 3);
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("shard 1 of 2 (b)"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("no complete answer"), std::string::npos) << e.what();
    EXPECT_EQ(std::string(e.what()).find("shard 0 of 2"), std::string::npos) << e.what();
  }
  EXPECT_THROW(sharded.range_search(queries, 3), Error);
}

TEST(ShardedIndex, ShardsOfDifferentBitsAreRejected) {
  std::vector<NamedShard> shards;
  shards.push_back({"a", std::make_unique<FlatIndex>(testing::random_codes(64, 5, 1), std::vector<std::uint64_t>{})});
  shards.push_back({"b", std::make_unique<FlatIndex>(testing::random_codes(128, 5, 2), std::vector<std::uint64_t>{})});
  EXPECT_THROW(ShardedIndex(std::move(shards)), Error);
}

}  // namespace
}  // namespace shrewd
