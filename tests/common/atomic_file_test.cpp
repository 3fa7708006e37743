#include "shrewd/common/atomic_file.hpp"

#include <gtest/gtest.h>

#include <sys/wait.h>
#include <unistd.h>

#include "support/temp_dir.hpp"

namespace shrewd {
namespace {

using testing::TempDir;

TEST(AtomicFile, ReplacesTargetOnlyOnCommit) {
  TempDir dir;
  write_text_file(dir / "f.txt", "old");
  {
    AtomicFile file(dir / "f.txt");
    file.write("new contents");
    EXPECT_EQ(testing::read_bytes(dir / "f.txt"), "old");
    file.commit();
  }
  EXPECT_EQ(testing::read_bytes(dir / "f.txt"), "new contents");
}

TEST(AtomicFile, AbandonedWriteLeavesOldFileAndNoTemporary) {
  TempDir dir;
  write_text_file(dir / "f.txt", "old");
  {
    AtomicFile file(dir / "f.txt");
    file.write("half");
  }
  EXPECT_EQ(testing::read_bytes(dir / "f.txt"), "old");
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir.path()), {}), 1);
}

// The id of a process that has exited (and been reaped): what a killed writer leaves behind.
pid_t dead_pid() {
  const pid_t child = ::fork();
  if (child == 0) ::_exit(0);
  ::waitpid(child, nullptr, 0);
  return child;
}

TEST(AtomicFile, NextWriteRemovesTemporariesOfKilledWriters) {
  TempDir dir;
  const std::string dead = std::to_string(dead_pid());
  const std::string alive = std::to_string(::getppid());
  testing::write_bytes(dir / ("f.txt.tmp-" + dead), "left by a killed write");
  testing::write_bytes(dir / ("f.txt.tmp-" + alive), "a write in progress elsewhere");
  testing::write_bytes(dir / ("other.txt.tmp-" + dead), "another target's");
  testing::write_bytes(dir / "f.txt.tmp-notapid", "not ours");
  write_text_file(dir / "f.txt", "new");
  EXPECT_EQ(testing::read_bytes(dir / "f.txt"), "new");
  EXPECT_FALSE(std::filesystem::exists(dir / ("f.txt.tmp-" + dead)));
  EXPECT_TRUE(std::filesystem::exists(dir / ("f.txt.tmp-" + alive)));
  EXPECT_TRUE(std::filesystem::exists(dir / ("other.txt.tmp-" + dead)));
  EXPECT_TRUE(std::filesystem::exists(dir / "f.txt.tmp-notapid"));
}

}  // namespace
}  // namespace shrewd
