// The LibTorch-free readers: each format read back from tiny files written here, and each kind of
// malformed input rejected with an Error that names the file and the record.
#include <gtest/gtest.h>

#include <fstream>

#include "shrewd/common/error.hpp"
#include "shrewd/common/npy.hpp"
#include "shrewd/formats/caption_manifest.hpp"
#include "shrewd/formats/cifar.hpp"
#include "shrewd/formats/gzip.hpp"
#include "shrewd/formats/idx.hpp"
#include "shrewd/formats/label_file.hpp"
#include "support/idx_files.hpp"
#include "support/temp_dir.hpp"

namespace shrewd::formats {
namespace {

using shrewd::testing::TempDir;
using shrewd::testing::write_bytes;

using shrewd::testing::big_endian_u32;
using shrewd::testing::expect_error;
using shrewd::testing::idx_images;
using shrewd::testing::idx_labels;
using shrewd::testing::write_gzip;

TEST(Gzip, ReadsPlainAndGzippedFilesAndRejectsMissingOrCutOnes) {
  TempDir dir;
  write_bytes(dir / "plain", "hello");
  write_gzip(dir / "packed.gz", "hello");
  EXPECT_EQ(read_maybe_gzipped(dir / "plain"), (std::vector<unsigned char>{'h', 'e', 'l', 'l', 'o'}));
  EXPECT_EQ(read_maybe_gzipped(dir / "packed.gz"), read_maybe_gzipped(dir / "plain"));
  expect_error([&] { read_maybe_gzipped(dir / "absent"); }, {"absent", "no such file"});
  write_gzip(dir / "long.gz", std::string(100000, 'x') + idx_images(50, 8, 8));
  auto gz = testing::read_bytes(dir / "long.gz");
  write_bytes(dir / "cut.gz", gz.substr(0, gz.size() / 2));
  expect_error([&] { read_maybe_gzipped(dir / "cut.gz"); }, {"cut.gz", "truncated"});
}

TEST(IdxReader, ReadsPlainAndGzippedFilesAlike) {
  TempDir dir;
  write_bytes(dir / "images", idx_images(3, 2, 2));
  write_bytes(dir / "labels", idx_labels(3));
  write_gzip(dir / "images.gz", idx_images(3, 2, 2));
  write_gzip(dir / "labels.gz", idx_labels(3));
  for (const auto& [images, labels] : {std::pair{"images", "labels"}, std::pair{"images.gz", "labels.gz"}}) {
    auto data = read_idx(dir / images, dir / labels);
    EXPECT_EQ(data.images.count, 3);
    EXPECT_EQ(data.images.channels, 1);
    EXPECT_EQ(data.images.height, 2);
    EXPECT_EQ(data.images.width, 2);
    ASSERT_EQ(data.images.pixels.size(), 12u);
    EXPECT_EQ(data.images.pixels[2 * 4 + 2], 2 * 10 + 2);  // image 2, row 1, column 0
    EXPECT_EQ(data.labels, (std::vector<std::int64_t>{0, 1, 2}));
    EXPECT_TRUE(data.class_names.empty());
    EXPECT_EQ(data.source, (dir / images).string());
  }
}

TEST(IdxReader, RejectsWrongMagicTruncationAndMismatchedCounts) {
  TempDir dir;
  write_bytes(dir / "labels", idx_labels(3));
  auto bad_magic = idx_images(3, 2, 2);
  bad_magic[0] = 1;
  write_bytes(dir / "bad_magic", bad_magic);
  expect_error([&] { read_idx(dir / "bad_magic", dir / "labels"); }, {"bad_magic", "magic"});

  write_bytes(dir / "labels_as_images", idx_labels(3));
  expect_error([&] { read_idx(dir / "labels_as_images", dir / "labels"); }, {"labels_as_images", "3 dimensions"});

  auto truncated = idx_images(3, 2, 2);
  truncated.resize(truncated.size() - 1);
  write_gzip(dir / "truncated.gz", truncated);
  expect_error([&] { read_idx(dir / "truncated.gz", dir / "labels"); }, {"truncated.gz", "record 2"});

  auto gz = testing::read_bytes(dir / "truncated.gz");
  write_bytes(dir / "cut.gz", gz.substr(0, gz.size() / 2));
  expect_error([&] { read_idx(dir / "cut.gz", dir / "labels"); }, {"cut.gz", "truncated"});

  write_bytes(dir / "images", idx_images(4, 2, 2));
  expect_error([&] { read_idx(dir / "images", dir / "labels"); }, {"labels", "3 labels for the 4 images"});

  write_bytes(dir / "trailing", idx_labels(3) + "xy");
  expect_error([&] { read_idx_labels(dir / "trailing"); }, {"trailing", "2 bytes after the last of 3 labels"});
  write_bytes(dir / "floats", std::string("\0\0\x0D\x01", 4) + big_endian_u32(0));
  expect_error([&] { read_idx_labels(dir / "floats"); }, {"floats", "element type 13"});
}

TEST(IdxReader, RejectsLabelOutOfRange) {
  TempDir dir;
  write_bytes(dir / "images", idx_images(3, 2, 2));
  write_bytes(dir / "labels", idx_labels(3, 12));
  expect_error([&] { read_idx(dir / "images", dir / "labels", 10); }, {"labels", "record 0", "label 12"});
}

TEST(IdxReader, FindsTheMnistLayoutPlainOrGzippedAndNamesTheMissingFile) {
  TempDir dir;
  write_bytes(dir / "t10k-images-idx3-ubyte", idx_images(2, 3, 3));
  write_gzip(dir / "t10k-labels-idx1-ubyte.gz", idx_labels(2));
  auto test = read_fashion_mnist(dir.path(), /*train=*/false);
  EXPECT_EQ(test.images.count, 2);
  EXPECT_EQ(test.class_names, fashion_mnist_class_names());
  EXPECT_EQ(read_mnist(dir.path(), false).class_names.at(9), "9");
  expect_error([&] { read_mnist(dir.path(), true); }, {dir.path().string(), "no train-images-idx3-ubyte or train-images-idx3-ubyte.gz"});
}

TEST(IdxReader, ReadsTheInstalledFashionMnistTestSet) {
  const std::filesystem::path dir = "/usr/share/datasets/fashion-mnist";
  if (!std::filesystem::exists(dir / "t10k-images-idx3-ubyte.gz")) GTEST_SKIP() << "dataset-fashion-mnist not installed";
  auto test = read_fashion_mnist(dir, /*train=*/false);
  EXPECT_EQ(test.images.count, 10000);
  EXPECT_EQ(test.images.height, 28);
  EXPECT_EQ(test.images.width, 28);
  EXPECT_EQ(test.images.pixels.size(), 10000u * 28 * 28);
  EXPECT_EQ(test.class_names.at(0), "T-shirt/top");
  EXPECT_EQ(test.class_names.at(9), "Ankle boot");
  std::vector<int> per_class(10);
  for (auto label : test.labels) ++per_class.at(std::size_t(label));
  EXPECT_EQ(per_class, std::vector<int>(10, 1000));
}

TEST(LabelFile, ReadsNpyAndIdxLabelsAlike) {
  TempDir dir;
  write_gzip(dir / "labels.gz", idx_labels(4));
  std::vector<std::int32_t> values = {0, 1, 2, 3};
  write_npy<std::int32_t>(dir / "labels.npy", values, {4});
  EXPECT_EQ(read_label_file(dir / "labels.gz"), (std::vector<std::int64_t>{0, 1, 2, 3}));
  EXPECT_EQ(read_label_file(dir / "labels.npy"), (std::vector<std::int64_t>{0, 1, 2, 3}));
  write_bytes(dir / "labels.txt", "0 1 2 3\n");
  expect_error([&] { read_label_file(dir / "labels.txt"); }, {"labels.txt", "not an IDX file"});
  write_bytes(dir / "images", idx_images(2, 2, 2));
  expect_error([&] { read_label_file(dir / "images"); }, {"images", "must have 1 dimensions, not 3"});
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
  auto train = read_cifar10(dir.path());
  EXPECT_EQ(train.images.count, 10);
  EXPECT_EQ(train.images.channels, 3);
  EXPECT_EQ(train.images.pixels.size(), 10u * 3072);
  EXPECT_EQ(train.labels[4], 3);  // second batch, first record
  EXPECT_EQ(train.images.pixels[3071], 51);
  EXPECT_EQ(train.images.pixels[3072], 255);
  EXPECT_EQ(train.class_names.at(3), "cat");
  EXPECT_EQ(train.source, dir.path().string());
  EXPECT_EQ(read_cifar10(dir.path(), false).images.count, 1);
  std::ofstream(dir / "batches.meta.txt") << "airplane\n";
  expect_error([&] { read_cifar10(dir.path()); }, {"batches.meta.txt", "has 1 class names, not 10"});
  std::filesystem::remove(dir / "data_batch_3.bin");
  expect_error([&] { read_cifar10(dir.path()); }, {"data_batch_3.bin", "no such file"});
}

TEST(CifarReader, PicksFineOrCoarseCifar100Labels) {
  TempDir dir;
  write_bytes(dir / "train.bin", cifar_record({4, 72}, 0) + cifar_record({19, 99}, 0));
  auto fine = read_cifar100(dir.path(), true, false);
  auto coarse = read_cifar100(dir.path(), true, true);
  EXPECT_EQ(fine.labels, (std::vector<std::int64_t>{72, 99}));
  EXPECT_EQ(coarse.labels, (std::vector<std::int64_t>{4, 19}));
  expect_error([&] { read_cifar100(dir.path(), false); }, {"test.bin", "no such file"});
}

TEST(CifarReader, RejectsTruncatedRecordAndLabelOutOfRange) {
  TempDir dir;
  write_bytes(dir / "short.bin", cifar_record({1}, 0) + cifar_record({2}, 0).substr(0, 100));
  expect_error([&] { read_cifar_files({dir / "short.bin"}, CifarVariant::Cifar10); }, {"short.bin", "truncated record 1"});
  write_bytes(dir / "label.bin", cifar_record({1}, 0) + cifar_record({10}, 0));
  expect_error([&] { read_cifar_files({dir / "label.bin"}, CifarVariant::Cifar10); }, {"label.bin", "record 1", "label 10"});
  write_bytes(dir / "coarse.bin", cifar_record({20, 5}, 0));
  expect_error([&] { read_cifar_files({dir / "coarse.bin"}, CifarVariant::Cifar100Coarse); }, {"coarse.bin", "label 20"});
  write_bytes(dir / "empty.bin", "");
  expect_error([&] { read_cifar_files({dir / "empty.bin"}, CifarVariant::Cifar10); }, {"empty.bin", "empty file"});
}

TEST(CaptionManifest, ReadsPathsCaptionsAndAlignedEmbeddings) {
  TempDir dir;
  std::ofstream(dir / "captions.tsv") << "# path\tcaption\na.png\ta red square\n\n/abs/b.jpg\tanother red square\r\n";
  std::vector<float> embeddings = {1, 0, 0, 0, 1, 0};
  write_npy<float>(dir / "e.npy", embeddings, {2, 3});
  auto manifest = read_caption_manifest(dir / "captions.tsv", dir / "e.npy");
  EXPECT_EQ(manifest.images, (std::vector<std::filesystem::path>{dir / "a.png", "/abs/b.jpg"}));
  EXPECT_EQ(manifest.captions, (std::vector<std::string>{"a red square", "another red square"}));
  EXPECT_EQ(manifest.embedding_dims, 3u);
  EXPECT_EQ(manifest.embeddings, embeddings);

  std::vector<float> three = {1, 0, 0, 0, 1, 0, 0, 0, 1};
  write_npy<float>(dir / "three.npy", three, {3, 3});
  expect_error([&] { read_caption_manifest(dir / "captions.tsv", dir / "three.npy"); },
               {"three.npy", "3 embedding rows for the 2 items"});
  std::ofstream(dir / "no_tab.tsv") << "a.png\ta red square\nb.jpg another\n";
  expect_error([&] { read_caption_manifest(dir / "no_tab.tsv", dir / "e.npy"); }, {"no_tab.tsv:2", "TAB"});
  std::ofstream(dir / "no_path.tsv") << "\ta caption\n";
  expect_error([&] { read_caption_manifest(dir / "no_path.tsv", dir / "e.npy"); }, {"no_path.tsv:1", "empty image path"});
  std::ofstream(dir / "empty.tsv") << "# nothing\n";
  expect_error([&] { read_caption_manifest(dir / "empty.tsv", dir / "e.npy"); }, {"empty.tsv", "no items"});
  expect_error([&] { read_caption_manifest(dir / "absent.tsv", dir / "e.npy"); }, {"absent.tsv", "cannot open"});
}

}  // namespace
}  // namespace shrewd::formats
