// The dataset readers as tensors: each format read back from tiny files written here. The byte-level
// checks of IDX, CIFAR and caption manifests are tested with shrewd_formats (tests/formats/).
#include <ATen/ATen.h>
#include <gtest/gtest.h>
#include <stb_image_write.h>

#include <fstream>

#include "shrewd/common/error.hpp"
#include "shrewd/common/npy.hpp"
#include "shrewd/data/batch_loader.hpp"
#include "shrewd/data/caption_manifest.hpp"
#include "shrewd/data/cifar_reader.hpp"
#include "shrewd/data/idx_reader.hpp"
#include "shrewd/data/image_folder.hpp"
#include "shrewd/data/load_dataset.hpp"
#include "shrewd/data/npy_dataset.hpp"
#include "support/idx_files.hpp"
#include "support/temp_dir.hpp"

namespace shrewd::data {
namespace {

using shrewd::testing::TempDir;
using shrewd::testing::write_bytes;

using shrewd::testing::expect_error;
using shrewd::testing::idx_images;
using shrewd::testing::idx_labels;
using shrewd::testing::write_gzip;

TEST(IdxReader, ReadsPlainAndGzippedFilesAlike) {
  TempDir dir;
  write_bytes(dir / "images", idx_images(3, 2, 2));
  write_bytes(dir / "labels", idx_labels(3));
  write_gzip(dir / "images.gz", idx_images(3, 2, 2));
  write_gzip(dir / "labels.gz", idx_labels(3));
  for (const auto& [images, labels] : {std::pair{"images", "labels"}, std::pair{"images.gz", "labels.gz"}}) {
    auto dataset = read_idx(dir / images, dir / labels);
    ASSERT_EQ(dataset.inputs.sizes(), (std::vector<std::int64_t>{3, 1, 2, 2}));
    EXPECT_EQ(dataset.inputs.scalar_type(), at::kFloat);
    EXPECT_FLOAT_EQ(dataset.inputs[2][0][1][0].item<float>(), (2 * 10 + 2) / 255.0f);
    EXPECT_EQ(dataset.labels[2].item<std::int64_t>(), 2);
    EXPECT_EQ(dataset.num_classes(), 3);
  }
  write_bytes(dir / "ten", idx_labels(3, 12));
  expect_error([&] { read_idx(dir / "images", dir / "ten", 10); }, {"ten", "record 0", "label 12"});
}

TEST(IdxReader, LoadsTheInstalledFashionMnistTestSet) {
  const std::filesystem::path dir = "/usr/share/datasets/fashion-mnist";
  if (!std::filesystem::exists(dir / "t10k-images-idx3-ubyte.gz")) GTEST_SKIP() << "dataset-fashion-mnist not installed";
  auto test = load_fashion_mnist(dir, /*train=*/false);
  EXPECT_EQ(test.inputs.sizes(), (std::vector<std::int64_t>{10000, 1, 28, 28}));
  EXPECT_EQ(test.class_names.at(0), "T-shirt/top");
  EXPECT_EQ(test.class_names.at(9), "Ankle boot");
  EXPECT_EQ(at::bincount(test.labels).min().item<std::int64_t>(), 1000);  // 1000 per class
  EXPECT_GE(test.inputs.min().item<float>(), 0.0f);
  EXPECT_LE(test.inputs.max().item<float>(), 1.0f);
}

// CIFAR record: label byte(s) then 3072 pixel bytes, all equal to `pixel`.
std::string cifar_record(std::initializer_list<int> labels, unsigned char pixel) {
  std::string record;
  for (int label : labels) record += char(label);
  return record + std::string(3072, char(pixel));
}

TEST(CifarReader, ReadsCifar10BatchesWithClassNames) {
  TempDir dir;
  for (int i = 1; i <= 5; ++i) write_bytes(dir / ("data_batch_" + std::to_string(i) + ".bin"), cifar_record({i}, 51) + cifar_record({9}, 255));
  write_bytes(dir / "test_batch.bin", cifar_record({3}, 0));
  std::ofstream(dir / "batches.meta.txt") << "airplane\nautomobile\nbird\ncat\ndeer\ndog\nfrog\nhorse\nship\ntruck\n\n";
  auto train = load_cifar10(dir.path());
  ASSERT_EQ(train.inputs.sizes(), (std::vector<std::int64_t>{10, 3, 32, 32}));
  EXPECT_EQ(train.labels[4].item<std::int64_t>(), 3);  // second batch, first record
  EXPECT_FLOAT_EQ(train.inputs[0][2][31][31].item<float>(), 0.2f);
  EXPECT_EQ(train.class_names.at(3), "cat");
  EXPECT_EQ(load_cifar10(dir.path(), false).size(), 1);
}

// A w x h RGB image, every pixel (r, g, b).
std::vector<unsigned char> solid(int w, int h, unsigned char r, unsigned char g, unsigned char b) {
  std::vector<unsigned char> pixels;
  for (int i = 0; i < w * h; ++i) pixels.insert(pixels.end(), {r, g, b});
  return pixels;
}

// The items of a dataset after `preprocessing`, in order (evaluation: no random parts).
at::Tensor prepared(const Dataset& dataset, const Preprocessing& preprocessing) {
  BatchOptions options;
  options.batch_size = 1000;
  options.shuffle = false;
  options.preprocessing = preprocessing;
  BatchLoader loader(dataset, options);
  return loader.next()->inputs;
}

TEST(ImageFolder, ListsPngAndJpegClassFoldersAndLeavesTheImagesOnDisk) {
  TempDir dir;
  std::filesystem::create_directories(dir / "n02084071");
  std::filesystem::create_directories(dir / "n01440764");
  auto red = solid(20, 10, 255, 0, 0);
  auto blue = solid(8, 8, 0, 0, 255);
  ASSERT_TRUE(stbi_write_png((dir / "n02084071/a.png").c_str(), 20, 10, 3, red.data(), 0));
  ASSERT_TRUE(stbi_write_jpg((dir / "n02084071/b.JPEG").c_str(), 8, 8, 3, blue.data(), 95));
  ASSERT_TRUE(stbi_write_png((dir / "n01440764/c.png").c_str(), 8, 8, 3, blue.data(), 0));
  std::ofstream(dir / "n01440764/notes.txt") << "ignored";

  auto dataset = read_image_folder(dir.path());
  EXPECT_FALSE(dataset.inputs.defined());  // nothing decoded yet
  ASSERT_EQ(dataset.image_files.size(), 3u);
  EXPECT_EQ(dataset.image_files[1].filename(), "a.png");
  EXPECT_EQ(dataset.class_names, (std::vector<std::string>{"n01440764", "n02084071"}));
  EXPECT_EQ(dataset.labels[0].item<std::int64_t>(), 0);
  EXPECT_EQ(dataset.labels[2].item<std::int64_t>(), 1);

  Preprocessing preprocessing;
  preprocessing.resize = 4;
  preprocessing.crop = Crop::Centre;
  auto inputs = prepared(dataset, preprocessing);
  ASSERT_EQ(inputs.sizes(), (std::vector<std::int64_t>{3, 3, 4, 4}));
  EXPECT_NEAR(inputs[1][0].mean().item<float>(), 1.0f, 0.01);  // a.png red, resized from 20x10 and cropped
  EXPECT_NEAR(inputs[1][2].mean().item<float>(), 0.0f, 0.01);
  EXPECT_NEAR(inputs[2][2].mean().item<float>(), 1.0f, 0.05);  // b.JPEG blue (lossy)

  preprocessing.channels = 1;
  EXPECT_EQ(prepared(dataset, preprocessing).size(1), 1);
  // Without resize and crop, images of different sizes cannot share a batch.
  expect_error([&] { prepared(dataset, {}); }, {"a.png", "is 3x10x20 after preprocessing", "preprocessing.resize"});
}

TEST(ImageFolder, RejectsUnreadableImagesWhenDecodedAndEmptyClasses) {
  TempDir dir;
  std::filesystem::create_directories(dir / "cat");
  write_bytes(dir / "cat/broken.jpg", "\xFF\xD8\xFF\xE0 not really a jpeg");
  expect_error([&] { prepared(read_image_folder(dir.path()), {}); }, {"broken.jpg", "not a readable"});
  std::filesystem::remove(dir / "cat/broken.jpg");
  expect_error([&] { read_image_folder(dir.path()); }, {"cat", "no .jpg"});
}

TEST(NpyFeatures, ReadsFeaturesWithLabelsAndRejectsMismatches) {
  TempDir dir;
  std::vector<float> features = {1, 2, 3, 4, 5, 6};
  write_npy<float>(dir / "x.npy", features, {3, 2});
  std::vector<std::int64_t> labels = {2, 0, 1};
  write_npy<std::int64_t>(dir / "y.npy", labels, {3});
  auto dataset = read_npy_features(dir / "x.npy", dir / "y.npy");
  EXPECT_EQ(dataset.inputs.sizes(), (std::vector<std::int64_t>{3, 2}));
  EXPECT_FLOAT_EQ(dataset.inputs[2][1].item<float>(), 6.0f);
  EXPECT_EQ(dataset.labels[0].item<std::int64_t>(), 2);
  EXPECT_FALSE(read_npy_features(dir / "x.npy").labels.defined());

  std::vector<std::int64_t> two = {0, 1};
  write_npy<std::int64_t>(dir / "two.npy", two, {2});
  expect_error([&] { read_npy_features(dir / "x.npy", dir / "two.npy"); }, {"two.npy", "2 labels for the 3 rows"});
  std::vector<std::int64_t> negative = {0, -1, 1};
  write_npy<std::int64_t>(dir / "neg.npy", negative, {3});
  expect_error([&] { read_npy_features(dir / "x.npy", dir / "neg.npy"); }, {"neg.npy", "record 1"});
  expect_error([&] { read_npy_features(dir / "x.npy", dir / "y.npy", 2); }, {"y.npy", "record 0", "label 2"});
}

TEST(CaptionManifest, ReadsImagesWithAlignedEmbeddingsAndNoLabels) {
  TempDir dir;
  auto red = solid(6, 6, 255, 0, 0);
  ASSERT_TRUE(stbi_write_png((dir / "a.png").c_str(), 6, 6, 3, red.data(), 0));
  ASSERT_TRUE(stbi_write_jpg((dir / "b.jpg").c_str(), 6, 6, 3, red.data(), 90));
  std::ofstream(dir / "captions.tsv") << "# path\tcaption\na.png\ta red square\n\nb.jpg\tanother red square\n";
  std::vector<float> embeddings = {1, 0, 0, 0, 1, 0};
  write_npy<float>(dir / "e.npy", embeddings, {2, 3});
  auto dataset = read_caption_manifest(dir / "captions.tsv", dir / "e.npy");
  EXPECT_EQ(dataset.image_files.size(), 2u);
  EXPECT_EQ(prepared(dataset, {}).sizes(), (std::vector<std::int64_t>{2, 3, 6, 6}));
  EXPECT_FALSE(dataset.labels.defined());
  EXPECT_EQ(dataset.num_classes(), 0);
  EXPECT_EQ(dataset.captions.at(1), "another red square");
  EXPECT_FLOAT_EQ(dataset.embeddings[1][1].item<float>(), 1.0f);

  std::ofstream(dir / "no_tab.tsv") << "a.png\ta red square\nb.jpg another\n";
  expect_error([&] { read_caption_manifest(dir / "no_tab.tsv", dir / "e.npy"); }, {"no_tab.tsv:2", "TAB"});
  std::ofstream(dir / "missing.tsv") << "a.png\tred\nnothere.png\tmissing\n";
  expect_error([&] { prepared(read_caption_manifest(dir / "missing.tsv", dir / "e.npy"), {}); }, {"nothere.png", "cannot open"});
}

TEST(LoadDataset, DispatchesOnFormatAndRejectsUnknownNames) {
  TempDir dir;
  std::vector<float> features = {1, 2, 3, 4};
  write_npy<float>(dir / "x.npy", features, {2, 2});
  DataSource source;
  source.format = "npy";
  source.path = dir / "x.npy";
  EXPECT_EQ(load_dataset(source).size(), 2);
  source.embeddings = dir / "x.npy";
  EXPECT_EQ(load_dataset(source).embeddings.sizes(), (std::vector<std::int64_t>{2, 2}));
  source.format = "parquet";
  expect_error([&] { load_dataset(source); }, {"unknown format 'parquet'", "cifar100"});
}

}  // namespace
}  // namespace shrewd::data
