// The hierarchy and classes files of a run (train/class_files.hpp): never a path relative to the
// working directory unless the user wrote one, and an Error that says what to set.
#include "shrewd/train/class_files.hpp"

#include <gtest/gtest.h>

#include <cstdlib>

#include "support/error_of.hpp"
#include "support/temp_dir.hpp"

namespace shrewd::train {
namespace {

using shrewd::testing::error_of;

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// Runs `action` with another working directory (restored afterwards).
template <class F> void in_directory(const std::filesystem::path& dir, F action) {
  const auto before = std::filesystem::current_path();
  std::filesystem::current_path(dir);
  try {
    action();
  } catch (...) {
    std::filesystem::current_path(before);
    throw;
  }
  std::filesystem::current_path(before);
}

TEST(ClassFiles, TheShippedHierarchyIsFoundFromAnyWorkingDirectory) {
  testing::TempDir elsewhere;
  in_directory(elsewhere.path(), [] {
    const RunConfig fashion = with_class_files(RunConfig{});
    EXPECT_TRUE(std::filesystem::path(fashion.loss.hierarchy).is_absolute());
    EXPECT_TRUE(std::filesystem::is_regular_file(fashion.loss.hierarchy)) << fashion.loss.hierarchy;
    EXPECT_EQ(std::filesystem::path(fashion.loss.classes).parent_path().filename(), "fashion-mnist");
    RunConfig cifar;
    cifar.data.format = "cifar100";
    EXPECT_EQ(std::filesystem::path(with_class_files(cifar).loss.classes).parent_path().filename(), "cifar100");
    EXPECT_EQ(training_source(with_class_files(cifar)).classes, with_class_files(cifar).loss.classes);
  });
}

TEST(ClassFiles, OwnDataWithoutAHierarchySaysWhatToSet) {
  RunConfig own;
  own.data.format = "image-folder";
  std::string message = error_of([&] { with_class_files(own); });
  EXPECT_TRUE(contains(message, "config loss.hierarchy: hierarchy targets need loss.hierarchy and loss.classes for "
                                "data.format image-folder")) << message;
  EXPECT_TRUE(contains(message, "loss.targets=labels")) << message;
  own.loss.targets = TargetKind::Labels;  // flat labels need neither
  EXPECT_TRUE(with_class_files(own).loss.hierarchy.empty());
  RunConfig coarse;
  coarse.data.format = "cifar100";
  coarse.data.coarse_labels = true;  // the shipped CIFAR-100 hierarchy is over the 100 fine classes
  EXPECT_TRUE(contains(error_of([&] { with_class_files(coarse); }), "config loss.hierarchy")) << message;
}

TEST(ClassFiles, ARelativePathThatIsNotThereNamesTheWorkingDirectory) {
  testing::TempDir elsewhere;
  in_directory(elsewhere.path(), [&] {
    RunConfig c;
    c.loss.hierarchy = "data/hierarchies/fashion-mnist/hierarchy.txt";
    c.loss.classes = "data/hierarchies/fashion-mnist/classes.txt";
    const std::string message = error_of([&] { with_class_files(c); });
    EXPECT_TRUE(contains(message, "config loss.hierarchy: data/hierarchies/fashion-mnist/hierarchy.txt does not exist "
                                  "(a relative path is read from the working directory, " +
                                      std::filesystem::current_path().string())) << message;
    c.loss.classes.clear();
    EXPECT_TRUE(contains(error_of([&] { with_class_files(c); }), "config loss.classes: is not set but loss.hierarchy is"));
  });
}

TEST(ClassFiles, AMissingDataDirectorySaysWhatToSet) {
  testing::TempDir empty;
  ::setenv("SHREWD_DATA_DIR", empty.path().c_str(), 1);
  const std::string message = error_of([] { with_class_files(RunConfig{}); });
  ::unsetenv("SHREWD_DATA_DIR");
  EXPECT_TRUE(contains(message, "config loss.hierarchy: is not set, and the hierarchy shipped for fashion-mnist is not in " +
                                    (empty / "hierarchies/fashion-mnist").string() +
                                    "; set loss.hierarchy and loss.classes, or SHREWD_DATA_DIR")) << message;
}

TEST(ClassFiles, AShippedHierarchyByName) {
  testing::TempDir elsewhere;
  in_directory(elsewhere.path(), [] {
    RunConfig c;
    c.data.format = "image-folder";
    c.loss.hierarchy = "imagenet1k";
    const RunConfig resolved = with_class_files(c);
    EXPECT_EQ(resolved.loss.hierarchy, (shipped_data_dir() / "hierarchies/imagenet1k/hierarchy.txt").string());
    EXPECT_EQ(resolved.loss.classes, (shipped_data_dir() / "hierarchies/imagenet1k/classes.txt").string());
  });
}

TEST(ClassFiles, TheShippedConfigsFindTheirHierarchies) {
  const std::filesystem::path configs = shipped_data_dir().parent_path() / "configs";
  if (!std::filesystem::is_directory(configs)) GTEST_SKIP() << "no source tree at " << configs;
  testing::TempDir elsewhere;
  in_directory(elsewhere.path(), [&] {
    for (const char* name : {"fashion-mnist-64", "cifar100-64", "imagenet1k-64"}) {
      const RunConfig c = with_class_files(parse_config(resolve_config(configs / (std::string(name) + ".json"), {})));
      EXPECT_TRUE(std::filesystem::is_regular_file(c.loss.hierarchy)) << name;
      EXPECT_TRUE(std::filesystem::is_regular_file(c.loss.classes)) << name;
    }
    const RunConfig captions = with_class_files(parse_config(resolve_config(configs / "captions-64.json", {})));
    EXPECT_EQ(captions.loss.targets, TargetKind::Embeddings);
    EXPECT_TRUE(captions.loss.classes.empty());  // no labels: nothing to pair
  });
}

TEST(ClassFiles, DropClassesIsAListOfStrings) {
  auto config = default_config();
  apply_override(config, R"(data.drop_classes=["n01440764", "tench"])");
  EXPECT_EQ(parse_config(config).data.drop_classes, (std::vector<std::string>{"n01440764", "tench"}));
  config["data"]["drop_classes"] = nlohmann::json::parse("[1]");
  EXPECT_TRUE(contains(error_of([&] { parse_config(config); }), "config data.drop_classes: must be a list of strings"));
}

TEST(ClassFiles, DroppingClassesNeedsAClassesFile) {
  RunConfig c;
  c.loss.targets = TargetKind::Labels;
  c.data.drop_classes = {"fish"};
  EXPECT_TRUE(contains(error_of([&] { training_source(c); }), "config data.drop_classes"));
}

}  // namespace
}  // namespace shrewd::train
