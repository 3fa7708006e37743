#include "shrewd/index/flat_index.hpp"

#include <gtest/gtest.h>

#include <numeric>
#include <random>

#include "search_reference.hpp"
#include "shrewd/codes/hamming.hpp"
#include "shrewd/common/bitmap.hpp"
#include "shrewd/common/error.hpp"

namespace shrewd {
namespace {

using testing::brute_force;
using testing::clustered_codes;
using testing::expect_same;
using testing::random_codes;
using testing::reference_knn;
using testing::reference_radius;

class KernelRestorer {
 public:
  ~KernelRestorer() { force_kernel(best_kernel()); }
};

TEST(FlatIndex, KnnMatchesBruteForceOnRandomCodesOfEveryWidth) {
  for (std::size_t bits : {8, 64, 72, 128, 200, 256, 1024}) {
    const CodeMatrix db = random_codes(bits, 3000, bits);
    const CodeMatrix queries = random_codes(bits, 7, bits + 1);
    const FlatIndex index(db.span());
    const auto ref = brute_force(db, queries);
    for (std::size_t k : {1, 10, 100})
      expect_same(index.search(queries, k), reference_knn(ref, k), "K=" + std::to_string(bits) + " k=" + std::to_string(k));
  }
}

TEST(FlatIndex, KnnMatchesBruteForceAcrossManyDatabaseBlocks) {
  // 70,000 64-bit codes span several cache blocks; 1024-bit codes too with fewer codes.
  for (auto [bits, n] : {std::pair<std::size_t, std::size_t>{64, 70000}, {1024, 5000}}) {
    const CodeMatrix db = random_codes(bits, n, 5);
    const CodeMatrix queries = random_codes(bits, 3, 6);
    const FlatIndex index(db.span());
    expect_same(index.search(queries, 50), reference_knn(brute_force(db, queries), 50), "K=" + std::to_string(bits));
  }
}

TEST(FlatIndex, EveryKernelPathGivesTheSameResults) {
  KernelRestorer restore;
  const CodeMatrix db = clustered_codes(128, 5000, 20, 0.1, 7);
  const CodeMatrix queries = clustered_codes(128, 9, 20, 0.1, 8);
  const FlatIndex index(db.span());
  const auto ref = brute_force(db, queries);
  for (HammingKernel kernel : {HammingKernel::Scalar, HammingKernel::Avx2, HammingKernel::Avx512}) {
    if (!kernel_available(kernel)) continue;
    force_kernel(kernel);
    expect_same(index.search(queries, 25), reference_knn(ref, 25), kernel_name(kernel));
    expect_same(index.range_search(queries, 20), reference_radius(ref, 20), kernel_name(kernel));
  }
}

TEST(FlatIndex, ClusteredCodesWithManyTiesAreOrderedByDistanceThenId) {
  const CodeMatrix db = clustered_codes(64, 20000, 5, 0.02, 9);  // heavy duplication
  const CodeMatrix queries = clustered_codes(64, 6, 5, 0.02, 10);
  const FlatIndex index(db.span());
  const auto ref = brute_force(db, queries);
  for (std::size_t k : {1, 37, 1000, 5000}) expect_same(index.search(queries, k), reference_knn(ref, k), "k=" + std::to_string(k));
}

TEST(FlatIndex, IdenticalCodesTieBreakBySmallestIds) {
  CodeMatrix db(64, 3000);  // all zero
  const CodeMatrix queries(64, 1);
  const FlatIndex index(db.span());
  const KnnResult r = index.search(queries, 5);
  EXPECT_EQ(r.ids, (std::vector<std::int64_t>{0, 1, 2, 3, 4}));
  EXPECT_EQ(r.distances, (std::vector<std::int32_t>{0, 0, 0, 0, 0}));
}

TEST(FlatIndex, ShuffledUserIdsBreakTiesByIdNotPosition) {
  const CodeMatrix db = clustered_codes(64, 6000, 3, 0.03, 11);
  const CodeMatrix queries = clustered_codes(64, 5, 3, 0.03, 12);
  std::vector<std::uint64_t> ids(db.size());
  std::iota(ids.begin(), ids.end(), 1000);
  std::shuffle(ids.begin(), ids.end(), std::mt19937_64(13));
  const FlatIndex index(db.span(), ids);
  const auto ref = brute_force(db, queries, ids);
  for (std::size_t k : {1, 20, 700}) expect_same(index.search(queries, k), reference_knn(ref, k), "k=" + std::to_string(k));
  expect_same(index.range_search(queries, 6), reference_radius(ref, 6), "radius");
}

TEST(FlatIndex, KLargerThanTheIndexPadsWithMinusOne) {
  const CodeMatrix db = random_codes(64, 5, 14);
  const CodeMatrix queries = random_codes(64, 2, 15);
  const FlatIndex index(db.span());
  const KnnResult r = index.search(queries, 8);
  expect_same(r, reference_knn(brute_force(db, queries), 8), "k > N");
  for (std::size_t q = 0; q < 2; ++q)
    for (std::size_t j = 5; j < 8; ++j) {
      EXPECT_EQ(r.ids[q * 8 + j], -1);
      EXPECT_EQ(r.distances[q * 8 + j], -1);
    }
}

TEST(FlatIndex, AResultWhoseSizeOverflowsIsAnErrorNotACrash) {
  // queries * k wraps to 0: an unchecked product allocated nothing and wrote past it
  const FlatIndex index(random_codes(64, 5, 14).span());
  EXPECT_THROW(index.search(random_codes(64, 4, 15), std::size_t(1) << 62), Error);
  EXPECT_THROW(KnnResult::unfilled(3, std::size_t(-1) / 4), Error);
}

TEST(FlatIndex, EmptyIndexReturnsOnlyPadding) {
  const CodeMatrix db(64, 0);
  const CodeMatrix queries = random_codes(64, 3, 16);
  const FlatIndex index(db.span());
  EXPECT_EQ(index.size(), 0u);
  const KnnResult r = index.search(queries, 4);
  EXPECT_EQ(r.ids, std::vector<std::int64_t>(12, -1));
  EXPECT_EQ(r.distances, std::vector<std::int32_t>(12, -1));
  const RadiusResult rr = index.range_search(queries, 64);
  EXPECT_EQ(rr.offsets, (std::vector<std::int64_t>{0, 0, 0, 0}));
}

TEST(FlatIndex, RadiusSearchThatFindsNothingGivesEmptyLists) {
  // Nothing within the radius for any query: the result arrays are empty (once a null reference,
  // flagged by UBSan, when the hits were written into them).
  CodeMatrix db(64, 0);
  const std::uint8_t zeros[8] = {0, 0, 0, 0, 0, 0, 0, 0};
  for (int i = 0; i < 5000; ++i) db.append_bytes(zeros);
  CodeMatrix queries(64, 0);
  const std::uint8_t ones[8] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
  for (int i = 0; i < 3; ++i) queries.append_bytes(ones);
  const FlatIndex index(db.span());
  for (const int threads : {1, 4}) {
    const RadiusResult r = index.range_search(queries, 10, {threads});
    EXPECT_EQ(r.offsets, (std::vector<std::int64_t>{0, 0, 0, 0}));
    EXPECT_TRUE(r.ids.empty());
    EXPECT_TRUE(r.distances.empty());
  }
}

TEST(FlatIndex, ZeroQueriesOrZeroKGiveEmptyResults) {
  const CodeMatrix db = random_codes(64, 50, 17);
  const FlatIndex index(db.span());
  EXPECT_TRUE(index.search(CodeMatrix(64, 0), 5).ids.empty());
  const KnnResult r = index.search(random_codes(64, 2, 18), 0);
  EXPECT_EQ(r.queries, 2u);
  EXPECT_TRUE(r.ids.empty());
}

TEST(FlatIndex, RadiusZeroFindsExactDuplicatesAndRadiusKFindsEverything) {
  const CodeMatrix db = clustered_codes(96, 4000, 4, 0.01, 19);
  const CodeMatrix queries = clustered_codes(96, 4, 4, 0.01, 20);
  const FlatIndex index(db.span());
  const auto ref = brute_force(db, queries);
  expect_same(index.range_search(queries, 0), reference_radius(ref, 0), "r=0");
  const RadiusResult all = index.range_search(queries, 96);
  expect_same(all, reference_radius(ref, 96), "r=K");
  EXPECT_EQ(all.offsets.back(), 4 * 4000);
  expect_same(index.range_search(queries, 3), reference_radius(ref, 3), "r=3");
}

TEST(FlatIndex, ThreadsGiveIdenticalResultsWhetherSplittingQueriesOrDatabase) {
  const CodeMatrix db = clustered_codes(64, 30000, 50, 0.1, 21);
  const CodeMatrix many = clustered_codes(64, 40, 50, 0.1, 22);
  const CodeSpan few = many.span().rows(0, 1);
  const FlatIndex index(db.span());
  const auto ref_many = brute_force(db, many);
  const auto ref_few = brute_force(db, few);
  for (int threads : {1, 2, 3, 0}) {
    SearchOptions options{threads};
    const std::string what = "threads=" + std::to_string(threads);
    expect_same(index.search(many, 30, options), reference_knn(ref_many, 30), what + " many");
    expect_same(index.search(few, 30, options), reference_knn(ref_few, 30), what + " few");
    expect_same(index.range_search(many, 8, options), reference_radius(ref_many, 8), what + " radius many");
    expect_same(index.range_search(few, 8, options), reference_radius(ref_few, 8), what + " radius few");
  }
}

TEST(FlatIndex, DeletedCodesAreNeverReturned) {
  const CodeMatrix db = clustered_codes(64, 9000, 10, 0.05, 23);
  const CodeMatrix queries = clustered_codes(64, 5, 10, 0.05, 24);
  std::vector<bool> deleted(db.size());
  std::vector<std::uint64_t> bitmap(bitmap_words(db.size()), 0);
  std::mt19937_64 rng(25);
  for (std::size_t i = 0; i < db.size(); ++i)
    if (rng() % 3 == 0) {
      deleted[i] = true;
      bitmap_set(bitmap, i);
    }
  const FlatIndex index(db.span(), {}, bitmap);
  EXPECT_EQ(index.size(), std::size_t(std::count(deleted.begin(), deleted.end(), false)));
  const auto ref = brute_force(db, queries, {}, deleted);
  for (int threads : {1, 2}) {
    expect_same(index.search(queries, 40, {threads}), reference_knn(ref, 40), "knn");
    expect_same(index.search(queries.span().rows(0, 1), 40, {threads}), reference_knn(brute_force(db, queries.span().rows(0, 1), {}, deleted), 40), "knn one");
    expect_same(index.range_search(queries, 10, {threads}), reference_radius(ref, 10), "radius");
  }
}

TEST(FlatIndex, OwningConstructorKeepsCodesAndIds) {
  CodeMatrix db = random_codes(64, 100, 26);
  const CodeMatrix queries = random_codes(64, 2, 27);
  std::vector<std::uint64_t> ids(100);
  std::iota(ids.begin(), ids.end(), 7);
  const auto ref = brute_force(db, queries, ids);
  const FlatIndex index(std::move(db), ids);
  expect_same(index.search(queries, 10), reference_knn(ref, 10), "owning");
}

TEST(FlatIndex, RejectsMismatchedQueriesIdsAndHugeIds) {
  const CodeMatrix db = random_codes(64, 10, 28);
  const FlatIndex index(db.span());
  EXPECT_THROW(index.search(random_codes(128, 1, 29), 3), Error);
  EXPECT_THROW(index.range_search(random_codes(64, 1, 29), -1), Error);
  std::vector<std::uint64_t> few_ids(3);
  EXPECT_THROW(FlatIndex(db.span(), few_ids), Error);
  std::vector<std::uint64_t> huge(10, 0);
  std::iota(huge.begin(), huge.end(), 0);
  huge[4] = std::uint64_t{1} << 63;
  EXPECT_THROW(FlatIndex(db.span(), huge), Error);
}

}  // namespace
}  // namespace shrewd
