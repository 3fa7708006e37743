// Labels follow the classes file by name (data/class_labels.hpp): the reported bug was an image
// folder whose classes file listed the classes in another order than the folders sort, trained with
// every label paired with the wrong hierarchy class.
#include <ATen/ATen.h>
#include <gtest/gtest.h>
#include <stb_image_write.h>

#include <cmath>
#include <fstream>

#include "shrewd/common/error.hpp"
#include "shrewd/data/load_dataset.hpp"
#include "support/error_of.hpp"
#include "support/temp_dir.hpp"

namespace shrewd::data {
namespace {

using shrewd::testing::error_of;
using shrewd::testing::TempDir;

// One 4x4 grey PNG per class whose brightness says the class: folder i sorted, value 40 * (i + 1).
void write_folders(const std::filesystem::path& root, const std::vector<std::string>& folders) {
  for (std::size_t i = 0; i < folders.size(); ++i) {
    std::filesystem::create_directories(root / folders[i]);
    const std::vector<unsigned char> pixels(16, static_cast<unsigned char>(40 * (i + 1)));
    for (int copy = 0; copy < 2; ++copy)
      ASSERT_TRUE(stbi_write_png((root / folders[i] / ("img" + std::to_string(copy) + ".png")).c_str(), 4, 4, 1,
                                 pixels.data(), 0));
  }
}

DataSource folder_source(const std::filesystem::path& root, const std::filesystem::path& classes) {
  DataSource source;
  source.format = "image-folder";
  source.path = root;
  source.classes = classes;
  return source;
}

// The brightness of each item's image, as the folder index it came from.
std::vector<std::int64_t> folder_of_items(const Dataset& dataset) {
  std::vector<std::int64_t> folders;
  for (std::int64_t i = 0; i < dataset.size(); ++i)
    folders.push_back(std::llround(dataset.image(i).values[0] * 255.0f / 40.0f) - 1);
  return folders;
}

TEST(ClassLabels, ImageFolderLabelsFollowTheClassesFileNotTheFolderOrder) {
  TempDir dir;
  write_folders(dir / "train", {"cat", "dog", "parrot"});  // sorted: cat 0, dog 1, parrot 2
  std::ofstream(dir / "classes.txt") << "0\tn02084071\tdog\n1\tn01503061\tparrot\n2\tn02121808\tcat\n";
  const Dataset dataset = load_dataset(folder_source(dir / "train", dir / "classes.txt"));
  ASSERT_EQ(dataset.size(), 6);
  const std::vector<std::int64_t> class_of_folder = {2, 0, 1};  // cat -> 2, dog -> 0, parrot -> 1
  const auto folders = folder_of_items(dataset);
  for (std::int64_t i = 0; i < dataset.size(); ++i)
    EXPECT_EQ(dataset.labels[i].item<std::int64_t>(), class_of_folder[std::size_t(folders[std::size_t(i)])]) << i;
  EXPECT_EQ(dataset.class_names, (std::vector<std::string>{"dog", "parrot", "cat"}));
}

TEST(ClassLabels, WnidFoldersMatchTheirNodes) {
  TempDir dir;
  write_folders(dir / "train", {"n01503061", "n02084071"});
  std::ofstream(dir / "classes.txt") << "0 n02084071 dog\n1 n01503061 bird\n";
  const Dataset dataset = load_dataset(folder_source(dir / "train", dir / "classes.txt"));
  const auto folders = folder_of_items(dataset);
  for (std::int64_t i = 0; i < dataset.size(); ++i)
    EXPECT_EQ(dataset.labels[i].item<std::int64_t>(), folders[std::size_t(i)] == 0 ? 1 : 0);
}

TEST(ClassLabels, MissingOrExtraClassesAreErrorsUnlessDropped) {
  TempDir dir;
  write_folders(dir / "train", {"cat", "dog", "fish"});
  std::ofstream(dir / "classes.txt") << "0 n02084071 dog\n1 n02121808 cat\n2 n01503061 bird\n";
  auto source = folder_source(dir / "train", dir / "classes.txt");
  std::string message = error_of([&] { load_dataset(source); });
  EXPECT_NE(message.find("class 'fish' of the data matches no class of " + (dir / "classes.txt").string()),
            std::string::npos) << message;
  source.drop_classes = {"fish"};
  message = error_of([&] { load_dataset(source); });
  EXPECT_NE(message.find("class 2 (bird, node n01503061) has no data in " + (dir / "train").string()), std::string::npos)
      << message;
  source.drop_classes = {"fish", "bird"};
  const Dataset dataset = load_dataset(source);
  EXPECT_EQ(dataset.size(), 4);  // fish left out; bird keeps its index 2 without items
  EXPECT_EQ(dataset.num_classes(), 3);
  EXPECT_EQ(dataset.labels.max().item<std::int64_t>(), 1);
}

TEST(ClassLabels, CifarMetaNamesAreCheckedAgainstTheClassesFile) {
  TempDir dir;
  // Two CIFAR-100 records (coarse byte, fine byte, 3072 pixels): fine labels 0 and 1.
  std::string records;
  for (unsigned char fine : {0, 1}) {
    records += char(0);
    records += char(fine);
    records += std::string(3072, char(fine * 100));
  }
  std::ofstream(dir / "train.bin", std::ios::binary) << records;
  std::vector<std::string> names;
  for (int c = 0; c < 100; ++c) names.push_back("class" + std::to_string(c));
  std::ofstream meta(dir / "fine_label_names.txt");
  for (const auto& name : names) meta << name << "\n";
  meta.close();
  // A classes file with classes 0 and 1 swapped: the labels swap with them.
  std::ofstream classes(dir / "classes.txt");
  for (int c = 0; c < 100; ++c) classes << c << " node" << c << " " << names[std::size_t(c == 0 ? 1 : c == 1 ? 0 : c)] << "\n";
  classes.close();
  DataSource source;
  source.format = "cifar100";
  source.path = dir.path();
  source.classes = dir / "classes.txt";
  const Dataset dataset = load_dataset(source);
  EXPECT_EQ(dataset.labels[0].item<std::int64_t>(), 1);
  EXPECT_EQ(dataset.labels[1].item<std::int64_t>(), 0);
  // Without the meta file the labels are taken as they are: they must lie within the classes.
  std::filesystem::remove(dir / "fine_label_names.txt");
  EXPECT_EQ(load_dataset(source).labels[0].item<std::int64_t>(), 0);
}

}  // namespace
}  // namespace shrewd::data
