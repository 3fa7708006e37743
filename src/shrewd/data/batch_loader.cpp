#include "shrewd/data/batch_loader.hpp"

#include <ATen/ATen.h>

#include <algorithm>
#include <cstring>
#include <numeric>
#include <random>

#include "shrewd/common/error.hpp"

namespace shrewd::data {
namespace {

// The number of per-channel values a Normalization must have for these inputs: C for images, D for
// features.
std::int64_t channel_count(const at::Tensor& inputs) { return inputs.size(1); }

void check_normalization(const Normalization& normalization, const at::Tensor& inputs, const std::string& where) {
  if (normalization.mean.size() != normalization.std.size())
    fail(where, "normalisation needs as many std values as mean values");
  if (normalization.mean.empty()) return;
  const auto channels = std::size_t(channel_count(inputs));
  if (normalization.mean.size() != 1 && normalization.mean.size() != channels)
    fail(where, "normalisation has " + std::to_string(normalization.mean.size()) + " values for " +
                    std::to_string(channels) + " channels (give 1 or " + std::to_string(channels) + ")");
  for (float s : normalization.std)
    if (!(s > 0.0f)) fail(where, "normalisation std values must be positive");
}

// Per-channel affine map x -> x * scale[c] + shift[c], identity when normalisation is off.
struct ChannelMap {
  std::vector<float> scale, shift;
  ChannelMap(const Normalization& normalization, std::int64_t channels)
      : scale(std::size_t(channels), 1.0f), shift(std::size_t(channels), 0.0f) {
    if (!normalization.enabled()) return;
    for (std::size_t c = 0; c < std::size_t(channels); ++c) {
      const std::size_t k = normalization.mean.size() == 1 ? 0 : c;
      scale[c] = 1.0f / normalization.std[k];
      shift[c] = -normalization.mean[k] / normalization.std[k];
    }
  }
};

// A seed for the random stream of (seed, a, b): distinct inputs give unrelated streams.
std::uint64_t mix(std::uint64_t seed, std::uint64_t a, std::uint64_t b) {
  std::seed_seq sequence{std::uint32_t(seed), std::uint32_t(seed >> 32), std::uint32_t(a), std::uint32_t(a >> 32),
                         std::uint32_t(b), std::uint32_t(b >> 32)};
  std::uint32_t words[2];
  sequence.generate(words, words + 2);
  return (std::uint64_t(words[0]) << 32) | words[1];
}

}  // namespace

Normalization compute_normalization(const Dataset& dataset) {
  validate(dataset);
  at::Tensor mean, std;
  if (dataset.is_image()) {
    mean = dataset.inputs.mean({0, 2, 3});
    std = dataset.inputs.std({0, 2, 3}, /*unbiased=*/false);
  } else {
    mean = dataset.inputs.mean(0);
    std = dataset.inputs.std(0, /*unbiased=*/false);
  }
  std = std.clamp_min(1e-6).contiguous();  // a constant channel is left unscaled rather than divided by 0
  mean = mean.contiguous();
  Normalization normalization;
  normalization.mean.assign(mean.data_ptr<float>(), mean.data_ptr<float>() + mean.numel());
  normalization.std.assign(std.data_ptr<float>(), std.data_ptr<float>() + std.numel());
  return normalization;
}

BatchLoader::BatchLoader(Dataset dataset, BatchOptions options) : dataset_(std::move(dataset)), options_(std::move(options)) {
  validate(dataset_);
  const auto& where = dataset_.source;
  if (options_.batch_size <= 0) fail("batch size", "must be positive, not " + std::to_string(options_.batch_size));
  if (options_.workers < 0) fail("data workers", "must be 0 or more");
  if (options_.augment.crop_padding < 0) fail("crop padding", "must be 0 or more");
  if (options_.augment.enabled() && !dataset_.is_image())
    fail(where, "augmentation (crop, flip) needs images, but the inputs are feature vectors");
  check_normalization(options_.normalize, dataset_.inputs, where);
  dataset_.inputs = dataset_.inputs.contiguous();
  if (dataset_.labels.defined()) dataset_.labels = dataset_.labels.contiguous();
  if (dataset_.embeddings.defined()) dataset_.embeddings = dataset_.embeddings.contiguous();
  start_epoch(0);
  for (int w = 0; w < options_.workers; ++w) threads_.emplace_back([this] { worker_loop(); });
}

BatchLoader::~BatchLoader() { stop_workers(); }

void BatchLoader::stop_workers() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  work_ready_.notify_all();
  for (auto& thread : threads_) thread.join();
  threads_.clear();
}

std::int64_t BatchLoader::batches_per_epoch() const {
  const auto n = dataset_.size(), b = options_.batch_size;
  return options_.drop_last ? n / b : (n + b - 1) / b;
}

void BatchLoader::start_epoch(int epoch) {
  auto order = std::make_shared<std::vector<std::int64_t>>(std::size_t(dataset_.size()));
  std::iota(order->begin(), order->end(), std::int64_t{0});
  if (options_.shuffle) {
    std::mt19937_64 random(mix(options_.seed, std::uint64_t(epoch), 0x5348524557440001ull));
    std::shuffle(order->begin(), order->end(), random);
  }
  {
    std::lock_guard lock(mutex_);
    ++generation_;
    epoch_ = epoch;
    order_ = std::move(order);
    next_to_build_ = 0;
    next_to_return_ = 0;
    ready_.clear();
    error_ = nullptr;
  }
  work_ready_.notify_all();
}

void BatchLoader::worker_loop() {
  const std::int64_t ahead = 2 * std::int64_t(options_.workers);
  std::unique_lock lock(mutex_);
  for (;;) {
    work_ready_.wait(lock, [&] {
      return stopping_ || (!error_ && next_to_build_ < batches_per_epoch() && next_to_build_ < next_to_return_ + ahead);
    });
    if (stopping_) return;
    const auto batch_index = next_to_build_++;
    const auto generation = generation_;
    const auto epoch = epoch_;
    const auto order = order_;
    lock.unlock();
    Batch batch;
    std::exception_ptr error;
    try {
      batch = make_batch(*order, epoch, batch_index);
    } catch (...) {
      error = std::current_exception();
    }
    lock.lock();
    if (generation != generation_) continue;  // start_epoch ran meanwhile: the batch is stale
    if (error)
      error_ = error;
    else
      ready_.emplace(batch_index, std::move(batch));
    batch_ready_.notify_all();
  }
}

std::optional<Batch> BatchLoader::next() {
  if (threads_.empty()) {
    if (next_to_return_ >= batches_per_epoch()) return std::nullopt;
    return make_batch(*order_, epoch_, next_to_return_++);
  }
  std::unique_lock lock(mutex_);
  if (next_to_return_ >= batches_per_epoch()) return std::nullopt;
  batch_ready_.wait(lock, [&] { return error_ || ready_.count(next_to_return_) > 0; });
  if (error_) std::rethrow_exception(error_);
  auto found = ready_.find(next_to_return_);
  Batch batch = std::move(found->second);
  ready_.erase(found);
  ++next_to_return_;
  lock.unlock();
  work_ready_.notify_all();
  return batch;
}

Batch BatchLoader::make_batch(const std::vector<std::int64_t>& order, int epoch, std::int64_t batch) const {
  const auto n = std::int64_t(order.size());
  const auto begin = batch * options_.batch_size;
  const auto end = std::min(n, begin + options_.batch_size);
  if (begin >= end) fail(dataset_.source, "batch " + std::to_string(batch) + " is past the end of the epoch");
  const auto count = end - begin;

  Batch out;
  out.indices = at::empty({count}, at::kLong);
  auto* rows = out.indices.data_ptr<std::int64_t>();
  std::copy(order.begin() + begin, order.begin() + end, rows);

  const auto& inputs = dataset_.inputs;
  auto shape = inputs.sizes().vec();
  shape[0] = count;
  out.inputs = at::empty(shape, at::kFloat);
  const float* source = inputs.data_ptr<float>();
  float* target = out.inputs.data_ptr<float>();
  const std::int64_t item = inputs.numel() / std::max<std::int64_t>(inputs.size(0), 1);
  const std::int64_t channels = channel_count(inputs);
  const ChannelMap map(options_.normalize, channels);

  if (!options_.augment.enabled()) {
    const std::int64_t plane = item / channels;  // H * W for images, 1 for features
    for (std::int64_t i = 0; i < count; ++i) {
      const float* from = source + rows[i] * item;
      float* to = target + i * item;
      if (!options_.normalize.enabled()) {
        std::memcpy(to, from, std::size_t(item) * sizeof(float));
        continue;
      }
      for (std::int64_t c = 0; c < channels; ++c) {
        const float scale = map.scale[std::size_t(c)], shift = map.shift[std::size_t(c)];
        for (std::int64_t p = 0; p < plane; ++p) to[c * plane + p] = from[c * plane + p] * scale + shift;
      }
    }
  } else {
    // Each batch has its own random stream, so the result does not depend on which worker built it.
    std::mt19937_64 random(mix(options_.seed, std::uint64_t(epoch), 0x4155470000000000ull + std::uint64_t(batch)));
    const std::int64_t h = inputs.size(2), w = inputs.size(3), pad = options_.augment.crop_padding;
    std::uniform_int_distribution<std::int64_t> offset(0, 2 * pad);
    std::bernoulli_distribution coin(0.5);
    for (std::int64_t i = 0; i < count; ++i) {
      const std::int64_t dy = offset(random) - pad, dx = offset(random) - pad;
      const bool flip = options_.augment.horizontal_flip && coin(random);
      const float* from = source + rows[i] * item;
      float* to = target + i * item;
      for (std::int64_t c = 0; c < channels; ++c) {
        const float scale = map.scale[std::size_t(c)], shift = map.shift[std::size_t(c)];
        for (std::int64_t y = 0; y < h; ++y) {
          const std::int64_t sy = y + dy;
          float* row = to + (c * h + y) * w;
          for (std::int64_t x = 0; x < w; ++x) {
            const std::int64_t sx = (flip ? w - 1 - x : x) + dx;
            // Padding is zero in the unnormalised image, so it maps to `shift` after normalisation.
            const float value = (sy >= 0 && sy < h && sx >= 0 && sx < w) ? from[(c * h + sy) * w + sx] : 0.0f;
            row[x] = value * scale + shift;
          }
        }
      }
    }
  }

  if (dataset_.labels.defined()) {
    out.labels = at::empty({count}, at::kLong);
    const auto* labels = dataset_.labels.data_ptr<std::int64_t>();
    auto* to = out.labels.data_ptr<std::int64_t>();
    for (std::int64_t i = 0; i < count; ++i) to[i] = labels[rows[i]];
  }
  if (dataset_.embeddings.defined()) {
    const auto width = dataset_.embeddings.size(1);
    out.embeddings = at::empty({count, width}, at::kFloat);
    const float* from = dataset_.embeddings.data_ptr<float>();
    float* to = out.embeddings.data_ptr<float>();
    for (std::int64_t i = 0; i < count; ++i)
      std::memcpy(to + i * width, from + rows[i] * width, std::size_t(width) * sizeof(float));
  }
  return out;
}

}  // namespace shrewd::data
