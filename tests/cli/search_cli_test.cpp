// End to end: runs the built `shrewd` executable (its path comes from CMake as SHREWD_EXECUTABLE).
#include <gtest/gtest.h>

#include <cstdlib>
#include <numeric>
#include <sys/wait.h>

#include "../index/search_reference.hpp"
#include "shrewd/codes/code_npy.hpp"
#include "shrewd/common/npy.hpp"
#include "shrewd/index/flat_index.hpp"
#include "support/temp_dir.hpp"

namespace shrewd {
namespace {

using testing::TempDir;

struct CommandRun {
  int status = -1;
  std::string output;  // stdout and stderr together
};

CommandRun shrewd(const TempDir& dir, const std::string& arguments) {
  const auto log = dir / "command.log";
  const std::string command = std::string(SHREWD_EXECUTABLE) + " " + arguments + " > " + log.string() + " 2>&1";
  const int raw = std::system(command.c_str());
  CommandRun run;
  run.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
  run.output = testing::read_bytes(log);
  return run;
}

std::string path(const TempDir& dir, const std::string& name) { return (dir / name).string(); }

template <class T>
std::vector<T> read_values(const std::string& file, std::vector<std::size_t> shape) {
  const NpyArray array = read_npy(file);
  EXPECT_EQ(array.shape, shape) << file;
  const auto values = array.values<T>();
  return {values.begin(), values.end()};
}

TEST(SearchCli, BuildInfoSearchAndRadiusSearchMatchTheFlatIndex) {
  TempDir dir;
  const CodeMatrix db = testing::clustered_codes(64, 2000, 10, 0.1, 1);
  const CodeMatrix queries = testing::clustered_codes(64, 7, 10, 0.1, 2);
  write_codes_npy(dir / "db.npy", db);
  write_codes_npy(dir / "q.npy", queries);
  std::vector<std::int64_t> ids(2000);
  std::iota(ids.begin(), ids.end(), 5000);
  write_npy<std::int64_t>(dir / "ids.npy", ids, {ids.size()});

  CommandRun run = shrewd(dir, "index build --codes " + path(dir, "db.npy") + " --ids " + path(dir, "ids.npy") + " --out " +
                            path(dir, "db.shx"));
  ASSERT_EQ(run.status, 0) << run.output;
  run = shrewd(dir, "index info --index " + path(dir, "db.shx"));
  ASSERT_EQ(run.status, 0) << run.output;
  EXPECT_NE(run.output.find("bits        64"), std::string::npos) << run.output;
  EXPECT_NE(run.output.find("2000 (2000 stored, 0 deleted)"), std::string::npos) << run.output;
  const CommandRun positional = shrewd(dir, "index info " + path(dir, "db.shx"));  // the older form still works
  EXPECT_EQ(positional.output, run.output);
  EXPECT_NE(run.output.find("OK"), std::string::npos) << run.output;

  run = shrewd(dir, "search --index " + path(dir, "db.shx") + " --queries " + path(dir, "q.npy") +
                        " -k 12 --threads 2 --out " + path(dir, "r"));
  ASSERT_EQ(run.status, 0) << run.output;
  std::vector<std::uint64_t> uids(ids.begin(), ids.end());
  const FlatIndex reference(db.span(), uids);
  const KnnResult want = reference.search(queries, 12);
  EXPECT_EQ(read_values<std::int64_t>(path(dir, "r.ids.npy"), {7, 12}), want.ids);
  EXPECT_EQ(read_values<std::int32_t>(path(dir, "r.dist.npy"), {7, 12}), want.distances);

  run = shrewd(dir, "search --index " + path(dir, "db.shx") + " --queries " + path(dir, "q.npy") + " --radius 9 --out " +
                        path(dir, "rr"));
  ASSERT_EQ(run.status, 0) << run.output;
  const RadiusResult want_r = reference.range_search(queries, 9);
  EXPECT_EQ(read_values<std::int64_t>(path(dir, "rr.offsets.npy"), {8}), want_r.offsets);
  EXPECT_EQ(read_values<std::int64_t>(path(dir, "rr.ids.npy"), {want_r.ids.size()}), want_r.ids);
  EXPECT_EQ(read_values<std::int32_t>(path(dir, "rr.dist.npy"), {want_r.ids.size()}), want_r.distances);
}

TEST(SearchCli, KIsCheckedAndClampedToTheLiveCodes) {
  TempDir dir;
  write_codes_npy(dir / "db.npy", testing::random_codes(64, 100, 1));
  write_codes_npy(dir / "q.npy", testing::random_codes(64, 4, 2));
  ASSERT_EQ(shrewd(dir, "index build --codes " + path(dir, "db.npy") + " --out " + path(dir, "db.shx")).status, 0);
  const std::string search = "search --index " + path(dir, "db.shx") + " --queries " + path(dir, "q.npy") + " --out " +
                             path(dir, "r");
  // 4 * 2^62 wrapped to 0 slots: a crash; 2e8 wrote 2.4 GB of padding
  for (const char* k : {"4611686018427387904", "200000000"}) {
    const CommandRun run = shrewd(dir, search + " -k " + k);
    ASSERT_EQ(run.status, 0) << k << ": " << run.output;
    EXPECT_EQ(read_values<std::int64_t>(path(dir, "r.ids.npy"), {4, 100}).size(), 400u);
  }
  for (const char* k : {"0", "-1"}) {
    const CommandRun run = shrewd(dir, search + " -k " + k);
    EXPECT_EQ(run.status, 1) << k << ": " << run.output;
    EXPECT_NE(run.output.find("-k"), std::string::npos) << run.output;
  }
  write_npy<std::int64_t>(dir / "labels.npy", std::vector<std::int64_t>(100, 0), {100});
  const std::string codes = path(dir, "db.npy"), labels = path(dir, "labels.npy");
  const CommandRun eval = shrewd(dir, "eval --query-codes " + codes + " --query-labels " + labels + " --db-codes " +
                                          codes + " --db-labels " + labels + " --map-at -1");
  EXPECT_NE(eval.status, 0) << eval.output;
  EXPECT_NE(eval.output.find("--map-at"), std::string::npos) << eval.output;
}

TEST(SearchCli, AddDeleteCompactKeepTheIndexConsistent) {
  TempDir dir;
  const CodeMatrix first = testing::random_codes(128, 30, 3);
  const CodeMatrix more = testing::random_codes(128, 10, 4);
  write_codes_npy(dir / "a.npy", first);
  write_codes_npy(dir / "b.npy", more);
  write_codes_npy(dir / "q.npy", first);  // every code finds itself at distance 0
  const std::string index = path(dir, "db.shx");
  ASSERT_EQ(shrewd(dir, "index build --mih --codes " + path(dir, "a.npy") + " --out " + index).status, 0);
  CommandRun run = shrewd(dir, "index add --index " + index + " --codes " + path(dir, "b.npy"));
  ASSERT_EQ(run.status, 0) << run.output;
  EXPECT_NE(run.output.find("ids 30 .. 39"), std::string::npos) << run.output;
  run = shrewd(dir, "index delete --index " + index + " --id 0,5,35");
  ASSERT_EQ(run.status, 0) << run.output;
  run = shrewd(dir, "index info --index " + index);
  EXPECT_NE(run.output.find("37 (40 stored, 3 deleted)"), std::string::npos) << run.output;
  EXPECT_NE(run.output.find("multi-index hashing"), std::string::npos) << run.output;
  EXPECT_NE(run.output.find("multi-index tables 0)"), std::string::npos) << run.output;  // none with deletions
  ASSERT_EQ(shrewd(dir, "index compact --index " + index).status, 0);
  run = shrewd(dir, "index info --index " + index);
  EXPECT_NE(run.output.find("37 (37 stored, 0 deleted)"), std::string::npos) << run.output;
  EXPECT_EQ(run.output.find("multi-index tables 0)"), std::string::npos) << run.output;  // stored again

  ASSERT_EQ(shrewd(dir, "search --index " + index + " --queries " + path(dir, "q.npy") + " -k 1 --out " +
                            path(dir, "r")).status, 0);
  const auto found = read_values<std::int64_t>(path(dir, "r.ids.npy"), {30, 1});
  const auto dist = read_values<std::int32_t>(path(dir, "r.dist.npy"), {30, 1});
  for (std::size_t q = 0; q < 30; ++q) {
    if (q == 0 || q == 5) {
      EXPECT_NE(found[q], std::int64_t(q));  // deleted: some other code is nearest
      EXPECT_GT(dist[q], 0);
    } else {
      EXPECT_EQ(found[q], std::int64_t(q));
      EXPECT_EQ(dist[q], 0);
    }
  }
  run = shrewd(dir, "index delete --index " + index + " --id 5");
  EXPECT_NE(run.status, 0);
  EXPECT_NE(run.output.find("cannot delete id 5"), std::string::npos) << run.output;
}

TEST(SearchCli, BadFilesGiveAClearErrorAndNoResults) {
  TempDir dir;
  testing::write_bytes(dir / "bad.shx", "this is not an index file, it is a text file of some length....................."
                                        "..........................................................................");
  write_codes_npy(dir / "q.npy", testing::random_codes(64, 2, 5));
  CommandRun run = shrewd(dir, "search --index " + path(dir, "bad.shx") + " --queries " + path(dir, "q.npy") + " --out " +
                            path(dir, "r"));
  EXPECT_EQ(run.status, 1);
  EXPECT_NE(run.output.find("shrewd: error: " + path(dir, "bad.shx") + ": not a shrewd index"), std::string::npos)
      << run.output;
  EXPECT_FALSE(std::filesystem::exists(dir / "r.ids.npy"));

  ASSERT_EQ(shrewd(dir, "index build --codes " + path(dir, "q.npy") + " --out " + path(dir, "ok.shx")).status, 0);
  std::string bytes = testing::read_bytes(dir / "ok.shx");
  testing::write_bytes(dir / "cut.shx", bytes.substr(0, bytes.size() - 3));
  run = shrewd(dir, "index info --index " + path(dir, "cut.shx"));
  EXPECT_EQ(run.status, 1);
  EXPECT_NE(run.output.find("truncated"), std::string::npos) << run.output;

  write_codes_npy(dir / "q128.npy", testing::random_codes(128, 2, 6));
  run = shrewd(dir, "search --index " + path(dir, "ok.shx") + " --queries " + path(dir, "q128.npy") + " --out " +
                        path(dir, "r"));
  EXPECT_EQ(run.status, 1);
  EXPECT_NE(run.output.find("128 bits"), std::string::npos) << run.output;
}

TEST(SearchCli, IndexInfoNeedsAnIndex) {
  TempDir dir;
  const CommandRun run = shrewd(dir, "index info");
  EXPECT_EQ(run.status, 1);
  EXPECT_NE(run.output.find("--index FILE"), std::string::npos) << run.output;
}

TEST(SearchCli, SelectClassesTakesClassIds) {
  TempDir dir;
  const std::vector<std::int64_t> labels = {0, 2, 1, 2, 5};
  write_npy<std::int64_t>(dir / "labels.npy", labels, {labels.size()});
  const std::vector<float> rows = {0, 1, 2, 3, 4};
  write_npy<float>(dir / "rows.npy", rows, {rows.size()});
  const CommandRun run = shrewd(dir, "select-classes --labels " + path(dir, "labels.npy") + " --class-ids 2,5 --in " +
                                         path(dir, "rows.npy") + " --out " + path(dir, "kept.npy") + " --labels-out " +
                                         path(dir, "kept.labels.npy"));
  ASSERT_EQ(run.status, 0) << run.output;
  EXPECT_EQ(read_values<float>(path(dir, "kept.npy"), {3}), (std::vector<float>{1, 3, 4}));
  EXPECT_EQ(read_values<std::int64_t>(path(dir, "kept.labels.npy"), {3}), (std::vector<std::int64_t>{2, 2, 5}));
  EXPECT_NE(shrewd(dir, "select-classes --labels " + path(dir, "labels.npy") + " --classes 2,5").status, 0);
}

TEST(SearchCli, SearchDemoRunsEndToEnd) {
  TempDir dir;
  const CommandRun run = shrewd(dir, "search-demo --codes 3000 --queries 20 --centres 10 --dir " + path(dir, "demo"));
  ASSERT_EQ(run.status, 0) << run.output;
  EXPECT_NE(run.output.find("same cluster"), std::string::npos) << run.output;
  EXPECT_TRUE(std::filesystem::exists(dir / "demo" / "db.shx"));
  EXPECT_EQ(read_npy((dir / "demo" / "result.ids.npy")).shape, (std::vector<std::size_t>{20, 5}));
}

// A uint8 0/1 array [N, 64] is 64-bit codes one element per bit, or 512-bit packbits codes: every
// command that reads codes refuses to guess and says which flag to give.
TEST(SearchCli, AmbiguousUint8CodesNeedUnpackedOrPacked) {
  TempDir dir;
  std::vector<std::uint8_t> bits(20 * 64);
  for (std::size_t i = 0; i < bits.size(); ++i) bits[i] = (i * 7 + i / 64) % 3 == 0;
  write_npy<std::uint8_t>(dir / "bits.npy", bits, {20, 64});
  write_npy<std::int64_t>(dir / "labels.npy", std::vector<std::int64_t>(20, 0), {20});

  CommandRun run = shrewd(dir, "index build --codes " + path(dir, "bits.npy") + " --out " + path(dir, "a.shx"));
  EXPECT_EQ(run.status, 1) << run.output;
  EXPECT_NE(run.output.find("--unpacked"), std::string::npos) << run.output;
  EXPECT_NE(run.output.find("bits.npy"), std::string::npos) << run.output;
  run = shrewd(dir, "index build --unpacked --codes " + path(dir, "bits.npy") + " --out " + path(dir, "a.shx"));
  ASSERT_EQ(run.status, 0) << run.output;
  EXPECT_NE(shrewd(dir, "index info --index " + path(dir, "a.shx")).output.find("bits        64"), std::string::npos);
  run = shrewd(dir, "index build --packed --codes " + path(dir, "bits.npy") + " --out " + path(dir, "b.shx"));
  ASSERT_EQ(run.status, 0) << run.output;
  EXPECT_NE(shrewd(dir, "index info --index " + path(dir, "b.shx")).output.find("bits        512"), std::string::npos);
  EXPECT_EQ(shrewd(dir, "index build --packed --unpacked --codes " + path(dir, "bits.npy") + " --out x").status, 1);

  run = shrewd(dir, "search --index " + path(dir, "a.shx") + " --queries " + path(dir, "bits.npy") + " -k 3 --out " +
                        path(dir, "r"));
  EXPECT_EQ(run.status, 1) << run.output;
  EXPECT_NE(run.output.find("--unpacked"), std::string::npos) << run.output;
  run = shrewd(dir, "search --unpacked --index " + path(dir, "a.shx") + " --queries " + path(dir, "bits.npy") +
                        " -k 3 --out " + path(dir, "r"));
  EXPECT_EQ(run.status, 0) << run.output;

  const std::string eval = "eval --query-codes " + path(dir, "bits.npy") + " --query-labels " + path(dir, "labels.npy") +
                           " --db-codes " + path(dir, "bits.npy") + " --db-labels " + path(dir, "labels.npy");
  run = shrewd(dir, eval);
  EXPECT_EQ(run.status, 1) << run.output;
  EXPECT_NE(run.output.find("--unpacked"), std::string::npos) << run.output;
  run = shrewd(dir, eval + " --unpacked");
  EXPECT_EQ(run.status, 0) << run.output;
}

}  // namespace
}  // namespace shrewd
