#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "shrewd/data/dataset.hpp"

namespace shrewd::data {

// The mean and standard deviation per channel (images, over N, H, W) or per dimension (features)
// of the dataset's items after `preprocessing` without its random parts and without its
// normalisation, over at most `max_items` items spread evenly over the dataset (the figures of a
// large image folder come from a sample); std values below 1e-6 become 1e-6. Returns
// `preprocessing` with these as its mean and std.
Preprocessing with_computed_normalization(const Dataset& dataset, Preprocessing preprocessing, int workers = 1,
                                          std::int64_t max_items = 10000);

// The shape of the dataset's first item after `preprocessing`: [C, H, W] for images, [D] for
// features (whose preprocessing may only normalise); every item of a batch must have it.
std::vector<std::int64_t> prepared_item_shape(const Dataset& dataset, const Preprocessing& preprocessing);

struct BatchOptions {
  std::int64_t batch_size = 128;
  bool shuffle = true;
  std::uint64_t seed = 0;
  int workers = 1;  // threads preparing batches ahead of the consumer (0: prepare on next())
  bool drop_last = false;
  Preprocessing preprocessing;  // applied to every item (images: all of it; features: normalisation)
  bool training = false;        // run the random parts of the preprocessing (crop offset, flip)
};

// One mini-batch, on the CPU. Tensors the dataset lacks (labels, embeddings) stay undefined.
struct Batch {
  at::Tensor inputs, labels, embeddings;
  at::Tensor indices;  // int64 [B]: rows of the dataset in this batch
};

// Iterates a dataset in mini-batches, epoch by epoch. The order of epoch e depends only on
// (seed, e), and the augmentation of an item only on (seed, e, its index), not on the number of
// workers, the batch size or timing:
//
//   BatchLoader loader(dataset, options);
//   for (int epoch = 0; epoch < epochs; ++epoch) {
//     loader.start_epoch(epoch);
//     for (const Batch& batch : loader) { ... }
//   }
//
// Worker threads decode and preprocess up to 2 * workers batches ahead (a bounded queue: memory
// does not grow with the dataset). The loader keeps a shallow copy of the dataset's tensors. Every
// item must come out of the preprocessing with the first item's shape (item_shape()).
class BatchLoader {
 public:
  BatchLoader(Dataset dataset, BatchOptions options);
  ~BatchLoader();
  BatchLoader(const BatchLoader&) = delete;
  BatchLoader& operator=(const BatchLoader&) = delete;

  // Starts (or restarts) epoch `epoch`: abandons the rest of the current epoch.
  void start_epoch(int epoch);
  // The next batch of the current epoch, or nullopt at its end. Rethrows a worker's exception.
  std::optional<Batch> next();

  std::int64_t batches_per_epoch() const;
  const Dataset& dataset() const { return dataset_; }
  const BatchOptions& options() const { return options_; }
  // The shape of one preprocessed item: [C, H, W] or [D].
  const std::vector<std::int64_t>& item_shape() const { return item_shape_; }

  class Iterator {
   public:
    Iterator() = default;
    explicit Iterator(BatchLoader* loader) : loader_(loader) { ++*this; }
    const Batch& operator*() const { return *current_; }
    const Batch* operator->() const { return &*current_; }
    Iterator& operator++() {
      current_ = loader_->next();
      if (!current_) loader_ = nullptr;
      return *this;
    }
    bool operator==(const Iterator& other) const { return loader_ == other.loader_; }
    bool operator!=(const Iterator& other) const { return !(*this == other); }

   private:
    BatchLoader* loader_ = nullptr;
    std::optional<Batch> current_;
  };
  // Iterates the rest of the current epoch (call start_epoch first; a fresh loader is at epoch 0).
  Iterator begin() { return Iterator(this); }
  Iterator end() { return {}; }

  // Builds batch `batch` of an epoch whose item order is `order`, on the calling thread. Public
  // for tests; the workers call it.
  Batch make_batch(const std::vector<std::int64_t>& order, int epoch, std::int64_t batch) const;

 private:
  void stop_workers();
  void worker_loop();

  // Writes item `row` of the dataset, preprocessed, into `out`.
  void prepare_item(std::int64_t row, int epoch, float* out) const;

  Dataset dataset_;
  BatchOptions options_;
  std::vector<std::int64_t> item_shape_;

  std::mutex mutex_;
  std::condition_variable work_ready_, batch_ready_;
  std::vector<std::thread> threads_;
  bool stopping_ = false;
  std::uint64_t generation_ = 0;   // bumped by start_epoch, so workers drop stale batches
  int epoch_ = 0;
  std::shared_ptr<const std::vector<std::int64_t>> order_;
  std::int64_t next_to_build_ = 0;    // next batch a worker claims
  std::int64_t next_to_return_ = 0;   // next batch next() hands out
  std::map<std::int64_t, Batch> ready_;
  std::exception_ptr error_;
};

}  // namespace shrewd::data
