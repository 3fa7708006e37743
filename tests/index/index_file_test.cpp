#include "shrewd/index/index_file.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <numeric>
#include <random>

#include "search_reference.hpp"
#include "shrewd/common/error.hpp"
#include "shrewd/index/flat_index.hpp"
#include "shrewd/index/multi_index.hpp"
#include "shrewd/index/open_index.hpp"
#include "support/temp_dir.hpp"

namespace shrewd {
namespace {

using testing::clustered_codes;
using testing::random_codes;
using testing::read_bytes;
using testing::TempDir;
using testing::write_bytes;

std::vector<std::uint64_t> iota_ids(std::size_t n, std::uint64_t first) {
  std::vector<std::uint64_t> ids(n);
  std::iota(ids.begin(), ids.end(), first);
  return ids;
}

// Fails the test unless opening `path` throws an Error whose message names the file and says `problem`.
void expect_open_error(const std::filesystem::path& path, const std::string& problem) {
  try {
    IndexFile file(path);
    ADD_FAILURE() << "opened a bad file: expected '" << problem << "'";
  } catch (const Error& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find(path.string()), std::string::npos) << message;
    EXPECT_NE(message.find(problem), std::string::npos) << message;
  }
}

TEST(IndexFile, RoundTripKeepsCodesIdsAndFlags) {
  TempDir dir;
  const CodeMatrix codes = random_codes(72, 100, 1);
  std::vector<std::uint64_t> ids = iota_ids(100, 50);
  std::reverse(ids.begin(), ids.end());
  write_index_file(dir / "a.shx", codes, ids, {true, 3});
  const IndexFile file(dir / "a.shx");
  EXPECT_EQ(file.bits(), 72u);
  EXPECT_EQ(file.count(), 100u);
  EXPECT_EQ(file.deleted(), 0u);
  EXPECT_TRUE(file.multi_index());
  EXPECT_EQ(file.substrings(), 3u);
  EXPECT_FALSE(file.table_section().empty());  // a multi-index file stores its tables
  EXPECT_EQ(file.file_bytes(), 128u + 100 * 16 + 100 * 8 + 2 * 8 + file.table_section().size_bytes());
  EXPECT_TRUE(std::equal(ids.begin(), ids.end(), file.ids().begin()));
  for (std::size_t i = 0; i < 100; ++i)
    EXPECT_TRUE(std::equal(codes.code(i), codes.code(i) + 2, file.codes().code(i)));
}

TEST(IndexFile, DefaultIdsArePositions) {
  TempDir dir;
  write_index_file(dir / "a.shx", random_codes(64, 10, 2), {});
  const IndexFile file(dir / "a.shx");
  const auto expected = iota_ids(10, 0);
  EXPECT_TRUE(std::equal(expected.begin(), expected.end(), file.ids().begin()));
}

TEST(IndexFile, OpenedIndexSearchesLikeTheFlatScanOfItsCodes) {
  TempDir dir;
  const CodeMatrix codes = clustered_codes(128, 3000, 10, 0.1, 3);
  const CodeMatrix queries = clustered_codes(128, 5, 10, 0.1, 4);
  auto ids = iota_ids(3000, 7);
  std::shuffle(ids.begin(), ids.end(), std::mt19937_64(5));
  write_index_file(dir / "a.shx", codes, ids);
  const auto index = open_index(dir / "a.shx");
  EXPECT_EQ(index->method(), "flat");
  const auto ref = testing::brute_force(codes, queries, ids);
  const KnnResult r = index->search(queries, 20);
  const KnnResult want = testing::reference_knn(ref, 20);
  EXPECT_EQ(r.ids, want.ids);
  EXPECT_EQ(r.distances, want.distances);
}

TEST(IndexFile, ACopiedFileIsUntouchedByWritesToTheFileAndItsTruncation) {
  // mapped, the same steps change the codes searched and then kill the process with SIGBUS
  TempDir dir;
  for (const bool multi_index : {false, true}) {
    const CodeMatrix codes = clustered_codes(64, 3000, 10, 0.1, 3);
    const CodeMatrix queries = clustered_codes(64, 5, 10, 0.1, 4);
    write_index_file(dir / "a.shx", codes, {}, {multi_index, 0});
    const auto index = open_index(dir / "a.shx", {.residence = FileResidence::copied});
    const KnnResult before = index->search(queries, 20);
    {
      std::vector<char> zeros(std::filesystem::file_size(dir / "a.shx"), 0);
      std::FILE* file = std::fopen((dir / "a.shx").c_str(), "r+b");  // in place: same inode
      ASSERT_NE(file, nullptr);
      std::fwrite(zeros.data(), 1, zeros.size(), file);
      std::fclose(file);
    }
    EXPECT_EQ(index->search(queries, 20).ids, before.ids);
    std::filesystem::resize_file(dir / "a.shx", 64);
    EXPECT_EQ(index->search(queries, 20).ids, before.ids);
    EXPECT_EQ(index->file().ids().size(), 3000u);
    expect_open_error(dir / "a.shx", "not a shrewd index file");
  }
}

TEST(IndexFile, MultiIndexFlagGivesTheSameResultsAsFlat) {
  TempDir dir;
  const CodeMatrix codes = clustered_codes(64, 4000, 20, 0.1, 6);
  const CodeMatrix queries = clustered_codes(64, 6, 20, 0.1, 7);
  write_index_file(dir / "m.shx", codes, {}, {true, 0});
  delete_from_index(dir / "m.shx", iota_ids(100, 300));
  const auto index = open_index(dir / "m.shx");
  EXPECT_NE(index->method().find("multi-index"), std::string::npos);
  EXPECT_EQ(index->size(), 3900u);
  std::vector<bool> deleted(4000, false);
  for (std::size_t i = 300; i < 400; ++i) deleted[i] = true;
  const auto ref = testing::brute_force(codes, queries, {}, deleted);
  const KnnResult r = index->search(queries, 15);
  EXPECT_EQ(r.ids, testing::reference_knn(ref, 15).ids);
  const RadiusResult rr = index->range_search(queries, 9);
  EXPECT_EQ(rr.ids, testing::reference_radius(ref, 9).ids);
}

TEST(IndexFile, EmptyIndexOpensAndFindsNothing) {
  TempDir dir;
  write_index_file(dir / "e.shx", CodeMatrix(256, 0), {});
  const auto index = open_index(dir / "e.shx");
  EXPECT_EQ(index->size(), 0u);
  EXPECT_EQ(index->search(random_codes(256, 2, 8), 3).ids, std::vector<std::int64_t>(6, -1));
}

TEST(IndexFile, AppendContinuesIdsAndKeepsEverything) {
  TempDir dir;
  const auto path = dir / "a.shx";
  write_index_file(path, random_codes(64, 10, 9), iota_ids(10, 100));
  const CodeMatrix more = random_codes(64, 5, 10);
  const auto given = append_to_index(path, more);
  EXPECT_EQ(given, iota_ids(5, 110));
  append_to_index(path, random_codes(64, 2, 11), std::vector<std::uint64_t>{3, 1});
  const IndexFile file(path);
  EXPECT_EQ(file.count(), 17u);
  EXPECT_EQ(file.ids()[15], 3u);
  EXPECT_EQ(file.ids()[16], 1u);
  EXPECT_TRUE(std::equal(more.code(4), more.code(4) + 1, file.codes().code(14)));
}

TEST(IndexFile, AppendRejectsDuplicateIdsAndOtherWidthsWithoutChangingTheFile) {
  TempDir dir;
  const auto path = dir / "a.shx";
  write_index_file(path, random_codes(64, 10, 12), {});
  const std::string before = read_bytes(path);
  EXPECT_THROW(append_to_index(path, random_codes(64, 1, 13), std::vector<std::uint64_t>{4}), Error);
  EXPECT_THROW(append_to_index(path, random_codes(64, 2, 13), std::vector<std::uint64_t>{20, 20}), Error);
  EXPECT_THROW(append_to_index(path, random_codes(128, 1, 13)), Error);
  EXPECT_THROW(append_to_index(path, random_codes(64, 2, 13), std::vector<std::uint64_t>{20}), Error);
  EXPECT_EQ(read_bytes(path), before);
}

TEST(IndexFile, DeleteHidesCodesAndCompactRemovesThemKeepingIdOrder) {
  TempDir dir;
  const auto path = dir / "a.shx";
  const CodeMatrix codes = clustered_codes(64, 500, 5, 0.05, 14);
  const CodeMatrix queries = clustered_codes(64, 4, 5, 0.05, 15);
  write_index_file(path, codes, iota_ids(500, 1000));
  EXPECT_EQ(delete_from_index(path, std::vector<std::uint64_t>{1003, 1100, 1100, 1499}), 3u);
  std::vector<bool> deleted(500, false);
  deleted[3] = deleted[100] = deleted[499] = true;
  const auto ids = iota_ids(500, 1000);
  const auto ref = testing::brute_force(codes, queries, ids, deleted);
  {
    const IndexFile file(path);
    EXPECT_EQ(file.deleted(), 3u);
    EXPECT_TRUE(file.is_deleted(100));
    const auto index = open_index(path);
    EXPECT_EQ(index->size(), 497u);
    EXPECT_EQ(index->search(queries, 500).ids, testing::reference_knn(ref, 500).ids);
  }
  EXPECT_EQ(compact_index(path), 3u);
  const IndexFile file(path);
  EXPECT_EQ(file.count(), 497u);
  EXPECT_EQ(file.deleted(), 0u);
  EXPECT_TRUE(std::is_sorted(file.ids().begin(), file.ids().end()));
  EXPECT_EQ(file.ids()[3], 1004u);
  const auto index = open_index(path);
  EXPECT_EQ(index->search(queries, 500).ids, testing::reference_knn(ref, 500).ids);
  // A deleted id may be used again.
  append_to_index(path, random_codes(64, 1, 16), std::vector<std::uint64_t>{1100});
  EXPECT_EQ(IndexFile(path).count(), 498u);
}

TEST(IndexFile, DeletingAnUnknownIdFailsAndChangesNothing) {
  TempDir dir;
  const auto path = dir / "a.shx";
  write_index_file(path, random_codes(64, 10, 17), {});
  delete_from_index(path, std::vector<std::uint64_t>{2});
  const std::string before = read_bytes(path);
  EXPECT_THROW(delete_from_index(path, std::vector<std::uint64_t>{1, 42}), Error);
  EXPECT_THROW(delete_from_index(path, std::vector<std::uint64_t>{2}), Error);  // already deleted
  EXPECT_EQ(read_bytes(path), before);
}

TEST(IndexFile, WriteRejectsDuplicateAndHugeIdsAndBadSubstrings) {
  TempDir dir;
  const CodeMatrix codes = random_codes(64, 3, 18);
  EXPECT_THROW(write_index_file(dir / "a.shx", codes, std::vector<std::uint64_t>{1, 2, 1}), Error);
  EXPECT_THROW(write_index_file(dir / "a.shx", codes, std::vector<std::uint64_t>{1, 2, std::uint64_t{1} << 63}), Error);
  EXPECT_THROW(write_index_file(dir / "a.shx", codes, std::vector<std::uint64_t>{1, 2}), Error);
  EXPECT_THROW(write_index_file(dir / "a.shx", codes, {}, {true, 65}), Error);
  EXPECT_FALSE(std::filesystem::exists(dir / "a.shx"));
}

TEST(IndexFile, MissingEmptyAndForeignFilesGiveClearErrors) {
  TempDir dir;
  expect_open_error(dir / "none.shx", "cannot open");
  write_bytes(dir / "empty.shx", "");
  expect_open_error(dir / "empty.shx", "empty file");
  write_bytes(dir / "text.shx", "hello, this is not an index at all, just some text that is long enough............"
                                "........................................................................");
  expect_open_error(dir / "text.shx", "not a shrewd index");
  write_bytes(dir / "short.shx", "SHRWDIDX\x01");
  expect_open_error(dir / "short.shx", "truncated");
  EXPECT_THROW(IndexFile(dir.path()), Error);  // a directory
}

TEST(IndexFile, EveryTruncationIsAnErrorNeverACrash) {
  TempDir dir;
  write_index_file(dir / "a.shx", random_codes(136, 9, 19), {});
  const std::string bytes = read_bytes(dir / "a.shx");
  for (std::size_t size = 0; size < bytes.size(); ++size) {
    write_bytes(dir / "cut.shx", bytes.substr(0, size));
    EXPECT_THROW(IndexFile(dir / "cut.shx"), Error) << size;
  }
  write_bytes(dir / "long.shx", bytes + "x");
  expect_open_error(dir / "long.shx", "unexpected bytes");
}

TEST(IndexFile, EveryFlippedByteIsDetected) {
  TempDir dir;
  write_index_file(dir / "a.shx", random_codes(64, 5, 20), {});
  const std::string bytes = read_bytes(dir / "a.shx");
  for (std::size_t at = 0; at < bytes.size(); ++at) {
    std::string bad = bytes;
    bad[at] = char(bad[at] ^ 0x10);
    write_bytes(dir / "bad.shx", bad);
    EXPECT_THROW(IndexFile(dir / "bad.shx"), Error) << "byte " << at;
  }
  write_bytes(dir / "bad.shx", bytes.substr(0, 150) + char(bytes[150] ^ 1) + bytes.substr(151));
  expect_open_error(dir / "bad.shx", "checksum mismatch");
}

TEST(IndexFile, StructuralChecksHoldEvenWithoutTheChecksum) {
  TempDir dir;
  write_index_file(dir / "a.shx", random_codes(64, 5, 21), {});
  std::string bytes = read_bytes(dir / "a.shx");
  std::string version = bytes;
  version[8] = 3;
  write_bytes(dir / "v.shx", version);
  expect_open_error(dir / "v.shx", "version 3 is not supported");
  std::string width = bytes;
  width[16] = 12;  // K = 12
  write_bytes(dir / "k.shx", width);
  EXPECT_THROW(IndexFile(dir / "k.shx", false), Error);
  std::string count = bytes;
  count[39] = char(0x7f);  // N enormous
  write_bytes(dir / "n.shx", count);
  EXPECT_THROW(IndexFile(dir / "n.shx", false), Error);
  std::string deleted = bytes;
  deleted[40] = 1;  // header claims a deletion the bitmap lacks
  write_bytes(dir / "d.shx", deleted);
  expect_open_error(dir / "d.shx", "checksum");
  EXPECT_THROW(IndexFile(dir / "d.shx", false), Error);
}

// The checksum of the format (CRC-32 of bytes [0, 124) and [128, end)) written into forged bytes,
// so that only the structural checks stand between a forged file and a search.
void seal(std::string& bytes) {
  auto crc32 = [](std::uint32_t crc, const std::string& data, std::size_t begin, std::size_t end) {
    crc = ~crc;
    for (std::size_t i = begin; i < end; ++i) {
      crc ^= static_cast<unsigned char>(data[i]);
      for (int k = 0; k < 8; ++k) crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
    }
    return ~crc;
  };
  const std::uint32_t crc = crc32(crc32(0, bytes, 0, 124), bytes, 128, bytes.size());
  std::memcpy(bytes.data() + 124, &crc, 4);
}

void put_u32(std::string& bytes, std::size_t at, std::uint32_t value) { std::memcpy(bytes.data() + at, &value, 4); }
void put_u64(std::string& bytes, std::size_t at, std::uint64_t value) { std::memcpy(bytes.data() + at, &value, 8); }

TEST(IndexFile, ForgedSubstringCountsAreRejected) {
  TempDir dir;
  write_index_file(dir / "a.shx", random_codes(64, 5, 22), {}, {true, 4});
  const std::string bytes = read_bytes(dir / "a.shx");
  std::string resealed = bytes;
  seal(resealed);
  ASSERT_EQ(resealed, bytes);  // the test's checksum is the format's
  for (const std::uint32_t substrings : {0xFFFFFFFFu, 65u, 1000u}) {
    for (const std::uint32_t flags : {1u, 0u}) {
      std::string forged = bytes;
      put_u32(forged, 24, substrings);
      put_u32(forged, 20, flags);
      seal(forged);
      write_bytes(dir / "forged.shx", forged);
      expect_open_error(dir / "forged.shx", "substrings");
      EXPECT_THROW(open_index(dir / "forged.shx"), Error);
    }
  }
  for (const std::uint32_t substrings : {0u, 1u, 8u, 64u}) {
    std::string good = bytes;
    put_u32(good, 24, substrings);
    seal(good);
    write_bytes(dir / "good.shx", good);
    EXPECT_EQ(IndexFile(dir / "good.shx").substrings(), substrings);
  }
  // 136-bit codes need at least 3 substrings (each at most 64 bits).
  write_index_file(dir / "wide.shx", random_codes(136, 5, 23), {}, {true, 3});
  std::string wide = read_bytes(dir / "wide.shx");
  put_u32(wide, 24, 2);
  seal(wide);
  write_bytes(dir / "wide.shx", wide);
  expect_open_error(dir / "wide.shx", "substrings");
}

TEST(IndexFile, ForgedDuplicateLiveIdsAreRejected) {
  TempDir dir;
  write_index_file(dir / "a.shx", random_codes(64, 3, 24), iota_ids(3, 5));
  const std::string bytes = read_bytes(dir / "a.shx");
  const std::size_t ids_at = 128 + 3 * 8;
  std::string forged = bytes;
  put_u64(forged, ids_at + 16, 5);  // ids 5, 6, 5
  seal(forged);
  write_bytes(dir / "twin.shx", forged);
  expect_open_error(dir / "twin.shx", "id 5 appears more than once");
  EXPECT_THROW(open_index(dir / "twin.shx"), Error);
  // The same with ids far apart (the sorting path of the check rather than the bitmap).
  std::string sparse = bytes;
  put_u64(sparse, ids_at, std::uint64_t{1} << 62);
  put_u64(sparse, ids_at + 8, 7);
  put_u64(sparse, ids_at + 16, std::uint64_t{1} << 62);
  seal(sparse);
  write_bytes(dir / "sparse.shx", sparse);
  expect_open_error(dir / "sparse.shx", "id 4611686018427387904 appears more than once");
  // Ids out of order but unique are fine; a duplicate of a deleted code's id is fine too.
  std::string shuffled = bytes;
  put_u64(shuffled, ids_at, 9);
  put_u64(shuffled, ids_at + 8, 2);
  seal(shuffled);
  write_bytes(dir / "shuffled.shx", shuffled);
  EXPECT_EQ(IndexFile(dir / "shuffled.shx").ids()[0], 9u);
  delete_from_index(dir / "a.shx", std::vector<std::uint64_t>{5});
  std::string reused = read_bytes(dir / "a.shx");
  put_u64(reused, ids_at + 16, 5);  // the deleted code 0 and the live code 2 share id 5
  seal(reused);
  write_bytes(dir / "reused.shx", reused);
  EXPECT_EQ(IndexFile(dir / "reused.shx").live(), 2u);
}

TEST(IndexFile, OpeningAMillionCodesChecksTheIdsQuickly) {
  TempDir dir;
  const std::size_t n = 1000000;
  const CodeMatrix codes = random_codes(64, n, 25);
  std::vector<std::uint64_t> ids = iota_ids(n, 0);
  std::mt19937_64 rng(26);
  std::shuffle(ids.begin(), ids.end(), rng);  // unordered ids: the slower path of the check
  write_index_file(dir / "big.shx", codes, ids);
  for (const bool verify : {true, false}) {
    const auto start = std::chrono::steady_clock::now();
    const IndexFile file(dir / "big.shx", verify);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::printf("opening 1M 64-bit codes with shuffled ids (checksum %s): %.1f ms\n", verify ? "on" : "off",
                seconds * 1000);
    EXPECT_EQ(file.live(), n);
  }
  // Shuffled ids spread over 2^62: the sorting path.
  for (auto& id : ids) id = id * (std::uint64_t{1} << 40) + 12345;
  write_index_file(dir / "sparse.shx", codes, ids);
  {
    const auto start = std::chrono::steady_clock::now();
    const IndexFile file(dir / "sparse.shx", false);
    std::printf("opening 1M 64-bit codes with shuffled sparse ids (checksum off): %.1f ms\n",
                std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() * 1000);
  }
  std::sort(ids.begin(), ids.end());
  write_index_file(dir / "sorted.shx", codes, ids);
  const auto start = std::chrono::steady_clock::now();
  const IndexFile file(dir / "sorted.shx", false);
  std::printf("opening 1M 64-bit codes with ascending ids (checksum off): %.1f ms\n",
              std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() * 1000);
}

// Multi-index files store their tables; a search over the stored tables equals the flat scan, for
// direct tables with codes beside the rows (K = 64), direct tables without (K = 128) and hashed ones.
TEST(StoredMultiIndexTables, SearchLikeTheFlatScan) {
  TempDir dir;
  // The hashed case has 32-bit substrings: little noise keeps its forced multi-index k-NN quick.
  struct Case { std::size_t bits, n, substrings; double flip; };
  for (const Case c : {Case{64, 5000, 0, 0.1}, Case{128, 3000, 0, 0.1}, Case{128, 3000, 4, 0.01}}) {
    const CodeMatrix codes = clustered_codes(c.bits, c.n, 30, c.flip, 40, 1);
    const CodeMatrix queries = clustered_codes(c.bits, 20, 30, c.flip, 41, 1);  // around the same centres
    auto ids = iota_ids(c.n, 11);
    std::shuffle(ids.begin(), ids.end(), std::mt19937_64(c.substrings));
    write_index_file(dir / "m.shx", codes, ids, {true, c.substrings});
    const auto index = open_index(dir / "m.shx");
    const std::string what = std::to_string(c.bits) + " bits, " + std::to_string(c.substrings) + " substrings";
    ASSERT_FALSE(index->file().table_section().empty()) << what;
    const auto& mih = dynamic_cast<const MultiIndexHashing&>(index->searcher());
    EXPECT_EQ(mih.tables().front().direct(), c.substrings == 0) << what;
    const auto ref = testing::brute_force(codes, queries, ids);
    testing::expect_same(mih.search(queries, 12, {}, MihStrategy::MultiIndex), testing::reference_knn(ref, 12), what);
    testing::expect_same(mih.range_search(queries, 10, {}, MihStrategy::MultiIndex), testing::reference_radius(ref, 10),
                         what);
  }
}

// Deleting leaves no stored tables (they would index deleted rows); compacting stores them again.
TEST(StoredMultiIndexTables, GoWithDeletionsAndComeBackWithCompaction) {
  TempDir dir;
  write_index_file(dir / "m.shx", clustered_codes(64, 2000, 10, 0.1, 50), {}, {true, 0});
  delete_from_index(dir / "m.shx", iota_ids(10, 0));
  EXPECT_TRUE(IndexFile(dir / "m.shx").table_section().empty());
  EXPECT_EQ(open_index(dir / "m.shx")->size(), 1990u);
  compact_index(dir / "m.shx");
  EXPECT_FALSE(IndexFile(dir / "m.shx").table_section().empty());
  EXPECT_EQ(open_index(dir / "m.shx")->size(), 1990u);
}

// A version 1 file (no tables section) still opens, and multi-index hashing builds its tables.
TEST(StoredMultiIndexTables, VersionOneFilesBuildTheirTables) {
  TempDir dir;
  const CodeMatrix codes = clustered_codes(64, 3000, 10, 0.1, 60);
  const CodeMatrix queries = clustered_codes(64, 10, 10, 0.1, 61);
  write_index_file(dir / "flat.shx", codes, {});
  std::string bytes = read_bytes(dir / "flat.shx");
  put_u32(bytes, 8, 1);   // version 1
  put_u32(bytes, 20, 1);  // multi-index flag
  seal(bytes);
  write_bytes(dir / "v1.shx", bytes);
  const auto index = open_index(dir / "v1.shx");
  EXPECT_TRUE(index->file().table_section().empty());
  EXPECT_NE(index->method().find("multi-index"), std::string::npos);
  testing::expect_same(index->search(queries, 7), testing::reference_knn(testing::brute_force(codes, queries), 7), "v1");
}

// Forged tables (with a valid checksum) are errors naming the file, never reads outside the mapping.
TEST(StoredMultiIndexTables, ForgedTablesAreRejected) {
  TempDir dir;
  const std::size_t n = 300;
  write_index_file(dir / "m.shx", random_codes(64, n, 70), {}, {true, 0});
  const std::string bytes = read_bytes(dir / "m.shx");
  std::uint64_t tables_at = 0;
  std::memcpy(&tables_at, bytes.data() + 80, 8);
  ASSERT_EQ(tables_at, 128 + n * 8 + n * 8 + 5 * 8);
  const auto open_forged = [&](const std::string& forged, const std::string& problem) {
    std::string sealed = forged;
    seal(sealed);
    write_bytes(dir / "forged.shx", sealed);
    try {
      open_index(dir / "forged.shx");
      ADD_FAILURE() << "opened forged tables: expected '" << problem << "'";
    } catch (const Error& e) {
      EXPECT_NE(std::string(e.what()).find("forged.shx"), std::string::npos) << e.what();
      EXPECT_NE(std::string(e.what()).find(problem), std::string::npos) << e.what();
    }
  };
  std::string forged = bytes;
  put_u64(forged, tables_at, 7);  // table count
  open_forged(forged, "7 tables");
  forged = bytes;
  put_u64(forged, tables_at + 8, std::uint64_t{1} << 60);  // bucket offsets count
  open_forged(forged, "runs past the file");
  // The first table's arrays: counts at +16, bucket offsets after them, then the rows.
  std::uint64_t offsets = 0;
  std::memcpy(&offsets, bytes.data() + tables_at + 8, 8);
  const std::size_t bucket_begin_at = tables_at + 8 + 5 * 8;
  const std::size_t rows_at = bucket_begin_at + (offsets * 4 + 7) / 8 * 8;
  forged = bytes;
  put_u32(forged, rows_at + 4 * 17, std::uint32_t(n + 5));  // a row past the codes
  open_forged(forged, "is not below");
  forged = bytes;
  put_u32(forged, bucket_begin_at + 4 * 3, 0xFFFFFFF0u);  // an offset past the rows
  open_forged(forged, "offsets out of order or out of range");
  forged = bytes;
  put_u64(forged, 80, 0);  // the tables disowned: unexpected bytes after the bitmap
  open_forged(forged, "corrupt");
  forged = bytes;
  put_u32(forged, 20, 0);  // tables in a file that is not multi-index
  open_forged(forged, "tables section");
}

}  // namespace
}  // namespace shrewd
