// Validation split and batch loader: coverage, reproducibility, augmentation, normalisation.
#include <ATen/ATen.h>
#include <gtest/gtest.h>

#include <stb_image_write.h>

#include <map>
#include <random>
#include <set>

#include "shrewd/common/error.hpp"
#include "shrewd/data/batch_loader.hpp"
#include "shrewd/data/split.hpp"
#include "support/temp_dir.hpp"

namespace shrewd::data {
namespace {

// n items; labels i % classes; image i has every pixel = i (so a batch row tells its item).
Dataset numbered_images(std::int64_t n, std::int64_t classes, std::int64_t side = 4) {
  Dataset dataset;
  dataset.inputs = at::arange(n, at::kFloat).view({n, 1, 1, 1}).expand({n, 1, side, side}).contiguous();
  dataset.labels = at::arange(n, at::kLong).remainder(classes);
  dataset.embeddings = at::arange(2 * n, at::kFloat).view({n, 2});
  dataset.source = "numbered";
  return dataset;
}

TEST(SplitValidation, IsStratifiedDisjointAndSeeded) {
  auto dataset = numbered_images(1000, 10);
  auto [train, validation] = split_validation(dataset, 0.1, 7);
  EXPECT_EQ(validation.size(), 100);
  EXPECT_EQ(train.size(), 900);
  EXPECT_TRUE(at::equal(at::bincount(validation.labels), at::full({10}, 10, at::kLong)));
  std::set<std::int64_t> items;
  for (auto* part : {&train, &validation})
    for (std::int64_t i = 0; i < part->size(); ++i) items.insert(std::int64_t(part->inputs[i][0][0][0].item<float>()));
  EXPECT_EQ(items.size(), 1000u);  // every item in exactly one part

  auto again = split_validation(dataset, 0.1, 7).second;
  auto other = split_validation(dataset, 0.1, 8).second;
  EXPECT_TRUE(at::equal(again.inputs, validation.inputs));
  EXPECT_FALSE(at::equal(other.inputs, validation.inputs));
  EXPECT_TRUE(at::equal(validation.labels, validation.inputs.select(1, 0).select(1, 0).select(1, 0).to(at::kLong).remainder(10)));

  EXPECT_THROW(split_validation(dataset, 1.0, 0), Error);
}

TEST(BatchLoader, VisitsEveryItemOncePerEpochWithAlignedTargets) {
  auto dataset = numbered_images(103, 5);
  BatchOptions options;
  options.batch_size = 10;
  options.workers = 2;
  BatchLoader loader(dataset, options);
  EXPECT_EQ(loader.batches_per_epoch(), 11);
  for (int epoch = 0; epoch < 2; ++epoch) {
    loader.start_epoch(epoch);
    std::multiset<std::int64_t> seen;
    for (const auto& batch : loader) {
      for (std::int64_t i = 0; i < batch.indices.size(0); ++i) {
        const auto item = batch.indices[i].item<std::int64_t>();
        seen.insert(item);
        EXPECT_EQ(batch.inputs[i][0][3][3].item<float>(), float(item));
        EXPECT_EQ(batch.labels[i].item<std::int64_t>(), item % 5);
        EXPECT_EQ(batch.embeddings[i][1].item<float>(), float(2 * item + 1));
      }
    }
    EXPECT_EQ(seen.size(), 103u);
    EXPECT_EQ(std::set<std::int64_t>(seen.begin(), seen.end()).size(), 103u);
  }
  options.drop_last = true;
  BatchLoader dropping(dataset, options);
  std::int64_t count = 0;
  for (const auto& batch : dropping) count += batch.inputs.size(0);
  EXPECT_EQ(count, 100);
}

// Concatenated inputs of one epoch.
at::Tensor epoch_inputs(BatchLoader& loader, int epoch) {
  loader.start_epoch(epoch);
  std::vector<at::Tensor> parts;
  while (auto batch = loader.next()) parts.push_back(batch->inputs);
  return at::cat(parts);
}

TEST(BatchLoader, OrderAndAugmentationDependOnlyOnSeedAndEpoch) {
  auto dataset = numbered_images(64, 4, 6);
  dataset.inputs = dataset.inputs + at::rand({64, 1, 6, 6});  // distinguishable pixels for crops and flips
  BatchOptions options;
  options.batch_size = 7;
  options.seed = 3;
  options.preprocessing.crop_padding = 2;
  options.preprocessing.flip = true;
  options.training = true;
  std::vector<at::Tensor> results;
  for (int workers : {0, 1, 3}) {
    options.workers = workers;
    BatchLoader loader(dataset, options);
    results.push_back(epoch_inputs(loader, 5));
    EXPECT_FALSE(at::equal(results.back(), epoch_inputs(loader, 6)));
    EXPECT_TRUE(at::equal(results.back(), epoch_inputs(loader, 5)));
  }
  EXPECT_TRUE(at::equal(results[0], results[1]));
  EXPECT_TRUE(at::equal(results[0], results[2]));
}

TEST(BatchLoader, AugmentationIsAFlipOrAZeroPaddedShift) {
  Dataset dataset;
  dataset.inputs = at::rand({200, 2, 5, 5}) + 0.5;  // no zeros inside images
  dataset.source = "random";
  BatchOptions options;
  options.batch_size = 200;
  options.shuffle = false;
  options.preprocessing.crop_padding = 1;
  options.preprocessing.flip = true;
  options.training = true;
  BatchLoader loader(dataset, options);
  auto batch = *loader.next();
  int flipped = 0, shifted = 0;
  for (std::int64_t i = 0; i < 200; ++i) {
    auto padded = at::constant_pad_nd(dataset.inputs[i], {1, 1, 1, 1}, 0);
    bool matched = false;
    for (int dy = 0; dy <= 2 && !matched; ++dy)
      for (int dx = 0; dx <= 2 && !matched; ++dx)
        for (bool flip : {false, true}) {
          auto crop = padded.narrow(1, dy, 5).narrow(2, dx, 5);
          if (flip) crop = crop.flip({2});
          if (at::equal(crop, batch.inputs[i])) {
            matched = true;
            flipped += flip;
            shifted += (dy != 1 || dx != 1);
            break;
          }
        }
    EXPECT_TRUE(matched) << "item " << i << " is not a padded crop, flipped or not";
  }
  EXPECT_GT(flipped, 60);  // about half of 200
  EXPECT_LT(flipped, 140);
  EXPECT_GT(shifted, 120);  // 8 of 9 offsets shift
}

TEST(BatchLoader, EvaluationLeavesOutTheRandomParts) {
  Dataset dataset;
  dataset.inputs = at::rand({20, 1, 5, 5});
  dataset.source = "random";
  BatchOptions options;
  options.batch_size = 20;
  options.shuffle = false;
  options.preprocessing.crop_padding = 2;
  options.preprocessing.flip = true;
  BatchLoader loader(dataset, options);
  EXPECT_TRUE(at::equal(loader.next()->inputs, dataset.inputs));
}

TEST(BatchLoader, NormalisesPerChannelAndRejectsMismatchedSizes) {
  Dataset dataset;
  dataset.inputs = at::rand({50, 3, 4, 4});
  dataset.source = "random";
  BatchOptions options;
  options.batch_size = 50;
  options.preprocessing = with_computed_normalization(dataset, {});
  ASSERT_EQ(options.preprocessing.mean.size(), 3u);
  BatchLoader loader(dataset, options);
  auto batch = *loader.next();
  auto mean = batch.inputs.mean({0, 2, 3});
  auto std = batch.inputs.std({0, 2, 3}, false);
  EXPECT_TRUE(at::allclose(mean, at::zeros({3}), 1e-4, 1e-4));
  EXPECT_TRUE(at::allclose(std, at::ones({3}), 1e-4, 1e-4));

  // From a sample of the items: close to the figures of all of them.
  auto sampled = with_computed_normalization(dataset, {}, 1, 25);
  EXPECT_NEAR(sampled.mean[0], options.preprocessing.mean[0], 0.05);

  options.preprocessing.mean = {0.5f, 0.5f};
  options.preprocessing.std = {0.2f, 0.2f};
  EXPECT_THROW(BatchLoader(dataset, options), Error);
  options.preprocessing.mean = {0.5f};
  options.preprocessing.std = {0.0f};
  EXPECT_THROW(BatchLoader(dataset, options), Error);
  Dataset features;
  features.inputs = at::rand({5, 3});
  features.source = "features";
  BatchOptions augmenting;
  augmenting.preprocessing.flip = true;
  EXPECT_THROW(BatchLoader(features, augmenting), Error);
}

// A folder of `n` PNG images of different sizes with noise pixels, in one class folder.
Dataset noisy_image_folder(const std::filesystem::path& root, int n) {
  std::filesystem::create_directories(root / "things");
  std::mt19937 random(5);
  Dataset dataset;
  dataset.source = root.string();
  for (int i = 0; i < n; ++i) {
    const int width = 12 + i % 5, height = 10 + i % 3;
    std::vector<std::uint8_t> pixels(std::size_t(width * height * 3));
    for (auto& p : pixels) p = std::uint8_t(random());
    const auto path = root / "things" / ("i" + std::to_string(100 + i) + ".png");
    EXPECT_TRUE(stbi_write_png(path.c_str(), width, height, 3, pixels.data(), 0));
    dataset.image_files.push_back(path);
  }
  dataset.labels = at::zeros({n}, at::kLong);
  return dataset;
}

TEST(BatchLoader, ImageFilesGiveBitIdenticalBatchesWithZeroOneAndTwoWorkers) {
  shrewd::testing::TempDir dir;
  const auto dataset = noisy_image_folder(dir.path(), 23);
  BatchOptions options;
  options.batch_size = 5;
  options.seed = 11;
  options.training = true;
  options.preprocessing.channels = 3;
  options.preprocessing.resize = 9;
  options.preprocessing.crop = Crop::Random;
  options.preprocessing.crop_size = 8;
  options.preprocessing.crop_padding = 1;
  options.preprocessing.flip = true;
  options.preprocessing.mean = {0.5f, 0.4f, 0.3f};
  options.preprocessing.std = {0.2f, 0.25f, 0.3f};
  std::vector<at::Tensor> results;
  for (int workers : {0, 1, 2}) {
    options.workers = workers;
    BatchLoader loader(dataset, options);
    EXPECT_EQ(loader.item_shape(), (std::vector<std::int64_t>{3, 8, 8}));
    results.push_back(epoch_inputs(loader, 2));
    EXPECT_FALSE(at::equal(results.back(), epoch_inputs(loader, 3)));  // another epoch, other crops and order
  }
  ASSERT_EQ(results[0].sizes(), (std::vector<std::int64_t>{23, 3, 8, 8}));
  EXPECT_TRUE(at::equal(results[0], results[1]));
  EXPECT_TRUE(at::equal(results[0], results[2]));

  // An item's augmentation does not depend on the batch it falls in.
  options.batch_size = 7;
  options.workers = 2;
  BatchLoader other_batches(dataset, options);
  other_batches.start_epoch(2);
  std::map<std::int64_t, at::Tensor> by_item;
  while (auto batch = other_batches.next())
    for (std::int64_t i = 0; i < batch->indices.size(0); ++i) by_item[batch->indices[i].item<std::int64_t>()] = batch->inputs[i];
  options.batch_size = 5;
  BatchLoader first(dataset, options);
  first.start_epoch(2);
  while (auto batch = first.next())
    for (std::int64_t i = 0; i < batch->indices.size(0); ++i)
      EXPECT_TRUE(at::equal(batch->inputs[i], by_item.at(batch->indices[i].item<std::int64_t>())));
}

}  // namespace
}  // namespace shrewd::data
