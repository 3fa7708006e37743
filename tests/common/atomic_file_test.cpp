#include "shrewd/common/atomic_file.hpp"

#include <gtest/gtest.h>

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

}  // namespace
}  // namespace shrewd
