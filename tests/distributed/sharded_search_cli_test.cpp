// End to end: `shrewd index shard`, several `shrewd shard-serve` processes on loopback and
// `shrewd search --shards`, against the single index. Every process is killed and reaped when
// its ShardProcess goes out of scope (and dies with the test process, PR_SET_PDEATHSIG).
#include <gtest/gtest.h>

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <numeric>

#include "../index/search_reference.hpp"
#include "shrewd/codes/code_npy.hpp"
#include "shrewd/common/npy.hpp"
#include "shrewd/index/flat_index.hpp"
#include "shrewd/index/index_file.hpp"
#include "support/temp_dir.hpp"

namespace shrewd {
namespace {

using testing::TempDir;

// `shrewd shard-serve --index FILE --port 0`; the port comes from the line it prints on start.
class ShardProcess {
 public:
  explicit ShardProcess(const std::filesystem::path& shard) {
    int out[2];
    if (pipe(out) != 0) throw std::runtime_error("pipe failed");
    const pid_t parent = getpid();
    pid_ = fork();
    if (pid_ == 0) {
      prctl(PR_SET_PDEATHSIG, SIGKILL);
      if (getppid() != parent) _exit(1);
      dup2(out[1], STDOUT_FILENO);
      dup2(out[1], STDERR_FILENO);
      close(out[0]);
      close(out[1]);
      execl(SHREWD_EXECUTABLE, "shrewd", "shard-serve", "--index", shard.c_str(), "--port", "0", (char*)nullptr);
      _exit(127);
    }
    close(out[1]);
    output_ = out[0];
    port_ = read_port();
  }
  ~ShardProcess() {
    kill_now();
    close(output_);
  }
  ShardProcess(const ShardProcess&) = delete;
  ShardProcess& operator=(const ShardProcess&) = delete;

  std::string address() const { return "127.0.0.1:" + std::to_string(port_); }
  void kill_now() {
    if (pid_ <= 0) return;
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
    pid_ = -1;
  }

 private:
  // Reads the start line ("serving ... on 127.0.0.1:PORT"), waiting at most 30 s.
  int read_port() {
    std::string line;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (line.find('\n') == std::string::npos && std::chrono::steady_clock::now() < deadline) {
      pollfd ready{output_, POLLIN, 0};
      if (poll(&ready, 1, 1000) <= 0) continue;
      char buffer[256];
      const ssize_t n = read(output_, buffer, sizeof buffer);
      if (n <= 0) break;
      line.append(buffer, std::size_t(n));
    }
    const auto colon = line.rfind(':');
    if (line.find("serving") == std::string::npos || colon == std::string::npos)
      throw std::runtime_error("shard-serve did not start: " + line);
    return std::stoi(line.substr(colon + 1));
  }

  pid_t pid_ = -1;
  int output_ = -1;
  int port_ = 0;
};

struct CommandRun {
  int status = -1;
  std::string output;
};

CommandRun shrewd(const TempDir& dir, const std::string& arguments) {
  const auto log = dir / "command.log";
  const std::string command = std::string(SHREWD_EXECUTABLE) + " " + arguments + " > " + log.string() + " 2>&1";
  const int raw = std::system(command.c_str());
  return {WIFEXITED(raw) ? WEXITSTATUS(raw) : -1, testing::read_bytes(log)};
}

template <class T>
std::vector<T> values(const std::filesystem::path& file) {
  const NpyArray array = read_npy(file);
  const auto v = array.values<T>();
  return {v.begin(), v.end()};
}

class ShardedSearchCli : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = testing::clustered_codes(64, 3000, 8, 0.1, 1);
    queries_ = testing::clustered_codes(64, 25, 8, 0.1, 2);
    ids_.resize(db_.size());
    for (std::size_t i = 0; i < ids_.size(); ++i) ids_[i] = (i * 7919) % 3000 + 10;  // a permutation, shifted
    write_codes_npy(dir_ / "q.npy", queries_);
    write_index_file(dir_ / "db.shx", db_, ids_);
    const CommandRun split = shrewd(dir_, "index shard --index " + path("db.shx") + " --shards 3 --out " + path("db"));
    ASSERT_EQ(split.status, 0) << split.output;
    for (int s = 0; s < 3; ++s)
      shards_.push_back(std::make_unique<ShardProcess>(dir_ / ("db-" + std::to_string(s) + "-of-3.shx")));
  }

  std::string path(const std::string& name) const { return (dir_ / name).string(); }
  std::string addresses() const {
    return shards_[0]->address() + "," + shards_[1]->address() + "," + shards_[2]->address();
  }

  TempDir dir_;
  CodeMatrix db_{64}, queries_{64};
  std::vector<std::uint64_t> ids_;
  std::vector<std::unique_ptr<ShardProcess>> shards_;
};

TEST_F(ShardedSearchCli, ShardServersOnLoopbackGiveExactlyTheSingleIndexAnswer) {
  const FlatIndex whole(db_.span(), ids_);
  const KnnResult want = whole.search(queries_, 10);
  const std::string common = " --queries " + path("q.npy") + " --timeout 20";
  for (const std::string& source : {"--shards " + addresses(), "--shards " + addresses() + " --manifest " +
                                                                     path("db.manifest.json"),
                                    "--manifest " + path("db.manifest.json")}) {
    const CommandRun run = shrewd(dir_, "search " + source + common + " -k 10 --out " + path("r"));
    ASSERT_EQ(run.status, 0) << source << "\n" << run.output;
    EXPECT_EQ(values<std::int64_t>(dir_ / "r.ids.npy"), want.ids) << source;
    EXPECT_EQ(values<std::int32_t>(dir_ / "r.dist.npy"), want.distances) << source;
    std::filesystem::remove(dir_ / "r.ids.npy");
  }
  const RadiusResult want_r = whole.range_search(queries_, 8);
  const CommandRun run = shrewd(dir_, "search --shards " + addresses() + common + " --radius 8 --out " + path("rr"));
  ASSERT_EQ(run.status, 0) << run.output;
  EXPECT_EQ(values<std::int64_t>(dir_ / "rr.offsets.npy"), want_r.offsets);
  EXPECT_EQ(values<std::int64_t>(dir_ / "rr.ids.npy"), want_r.ids);
  EXPECT_EQ(values<std::int32_t>(dir_ / "rr.dist.npy"), want_r.distances);
}

TEST_F(ShardedSearchCli, AKilledShardFailsTheSearchNamingItAndWritesNothing) {
  shards_[1]->kill_now();
  const CommandRun run = shrewd(dir_, "search --shards " + addresses() + " --queries " + path("q.npy") +
                                          " -k 5 --timeout 5 --out " + path("dead"));
  EXPECT_EQ(run.status, 1) << run.output;
  EXPECT_NE(run.output.find("shard 1 of 3"), std::string::npos) << run.output;
  EXPECT_NE(run.output.find(shards_[1]->address()), std::string::npos) << run.output;
  EXPECT_FALSE(std::filesystem::exists(dir_ / "dead.ids.npy"));
  EXPECT_FALSE(std::filesystem::exists(dir_ / "dead.dist.npy"));
}

TEST_F(ShardedSearchCli, ServersInTheWrongOrderOrAChangedShardFileDisagreeWithTheManifest) {
  const std::string swapped = shards_[1]->address() + "," + shards_[0]->address() + "," + shards_[2]->address();
  CommandRun run = shrewd(dir_, "search --shards " + swapped + " --manifest " + path("db.manifest.json") +
                                    " --queries " + path("q.npy") + " --out " + path("x"));
  EXPECT_EQ(run.status, 1) << run.output;
  EXPECT_NE(run.output.find("shard 0 of 3"), std::string::npos) << run.output;
  EXPECT_NE(run.output.find("not the shard the manifest lists"), std::string::npos) << run.output;

  run = shrewd(dir_, "search --shards " + shards_[0]->address() + " --manifest " + path("db.manifest.json") +
                         " --queries " + path("q.npy") + " --out " + path("x"));
  EXPECT_EQ(run.status, 1) << run.output;
  EXPECT_NE(run.output.find("1 servers given for the 3 shards"), std::string::npos) << run.output;

  std::filesystem::remove(dir_ / "db-2-of-3.shx");
  run = shrewd(dir_, "search --manifest " + path("db.manifest.json") + " --queries " + path("q.npy") + " --out " +
                         path("x"));
  EXPECT_EQ(run.status, 1) << run.output;
  EXPECT_NE(run.output.find("shard 2 of 3"), std::string::npos) << run.output;
  EXPECT_NE(run.output.find("missing"), std::string::npos) << run.output;

  write_index_file(dir_ / "db-2-of-3.shx", testing::random_codes(64, 1000, 9), {});
  run = shrewd(dir_, "search --manifest " + path("db.manifest.json") + " --queries " + path("q.npy") + " --out " +
                         path("x"));
  EXPECT_EQ(run.status, 1) << run.output;
  EXPECT_NE(run.output.find("db-2-of-3.shx"), std::string::npos) << run.output;
  EXPECT_FALSE(std::filesystem::exists(dir_ / "x.ids.npy"));
}

}  // namespace
}  // namespace shrewd
