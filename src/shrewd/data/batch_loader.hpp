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

// Random image augmentation, applied per item (images only).
struct Augmentation {
  int crop_padding = 0;          // pad each side with zeros, then crop back to H x W at a random offset
  bool horizontal_flip = false;  // flip left-right with probability 1/2
  bool enabled() const { return crop_padding > 0 || horizontal_flip; }
};

// x -> (x - mean[c]) / std[c] per channel (images: C entries; features: D entries); one entry
// applies to all channels; empty = none.
struct Normalization {
  std::vector<float> mean, std;
  bool enabled() const { return !mean.empty(); }
};

// Per-channel mean and standard deviation of a dataset's inputs (images: over N, H, W; features:
// per dimension), for Normalization.
Normalization compute_normalization(const Dataset& dataset);

struct BatchOptions {
  std::int64_t batch_size = 128;
  bool shuffle = true;
  std::uint64_t seed = 0;
  int workers = 1;  // threads preparing batches ahead of the consumer (0: prepare on next())
  bool drop_last = false;
  Augmentation augment;
  Normalization normalize;
};

// One mini-batch, on the CPU. Tensors the dataset lacks (labels, embeddings) stay undefined.
struct Batch {
  at::Tensor inputs, labels, embeddings;
  at::Tensor indices;  // int64 [B]: rows of the dataset in this batch
};

// Iterates a dataset in mini-batches, epoch by epoch. The order and the augmentation of epoch e
// depend only on (seed, e), not on the number of workers or on timing:
//
//   BatchLoader loader(dataset, options);
//   for (int epoch = 0; epoch < epochs; ++epoch) {
//     loader.start_epoch(epoch);
//     for (const Batch& batch : loader) { ... }
//   }
//
// Worker threads prepare up to 2 * workers batches ahead. The loader keeps a shallow copy of the
// dataset's tensors.
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

  Dataset dataset_;
  BatchOptions options_;

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
