#include "shrewd/data/batch_loader.hpp"

#include <ATen/ATen.h>
#include <fmt/format.h>

#include <algorithm>
#include <cstring>
#include <string>
#include <numeric>
#include <random>

#include "shrewd/common/error.hpp"

namespace shrewd::data {
namespace {

// Normalisation values must be one for all channels or one per channel (per dimension for features).
void check_normalization(const Preprocessing& p, std::int64_t channels, const std::string& where) {
  if (p.mean.empty()) return;
  if (p.mean.size() != 1 && std::int64_t(p.mean.size()) != channels)
    fail(where, fmt::format("normalisation has {} values for {} channels (give 1 or {})", p.mean.size(), channels,
                            channels));
}

// A seed for the random stream of (seed, a, b): distinct inputs give unrelated streams.
std::uint64_t mix(std::uint64_t seed, std::uint64_t a, std::uint64_t b) {
  std::seed_seq sequence{std::uint32_t(seed), std::uint32_t(seed >> 32), std::uint32_t(a), std::uint32_t(a >> 32),
                         std::uint32_t(b), std::uint32_t(b >> 32)};
  std::uint32_t words[2];
  sequence.generate(words, words + 2);
  return (std::uint64_t(words[0]) << 32) | words[1];
}

}  // namespace

std::vector<std::int64_t> prepared_item_shape(const Dataset& dataset, const Preprocessing& p) {
  validate(dataset);
  const auto& where = dataset.source;
  check_preprocessing(p, "preprocessing");
  if (dataset.size() == 0) fail(where, "has no items");
  std::vector<std::int64_t> shape;
  if (dataset.is_image()) {
    const auto first = dataset.image(0);
    shape = output_shape(p, first.channels, first.height, first.width, dataset.item_name(0));
  } else {
    if (!p.geometry_is_identity())
      fail(where, "holds feature vectors: the preprocessing's channels, resize, crop, padding and flip apply to images only");
    shape = {dataset.inputs.size(1)};
  }
  check_normalization(p, shape[0], where);
  return shape;
}

Preprocessing with_computed_normalization(const Dataset& dataset, Preprocessing preprocessing, int workers,
                                          std::int64_t max_items) {
  validate(dataset);
  preprocessing.mean.clear();
  preprocessing.std.clear();
  const auto n = dataset.size();
  const auto count = std::min(n, std::max<std::int64_t>(max_items, 1));
  auto rows = at::arange(count, at::kLong).mul_(n).div_(count, "floor");  // evenly spread, ascending
  BatchOptions options;
  options.batch_size = 256;
  options.shuffle = false;
  options.workers = workers;
  options.preprocessing = preprocessing;
  BatchLoader loader(dataset.subset(rows), options);
  const auto channels = loader.item_shape()[0];
  at::Tensor sum = at::zeros({channels}, at::kDouble), squares = at::zeros({channels}, at::kDouble);
  std::int64_t values = 0;
  for (const auto& batch : loader) {
    auto x = batch.inputs.to(at::kDouble);
    if (x.dim() == 4) x = x.transpose(0, 1).reshape({channels, -1});
    else x = x.t();
    sum += x.sum(1);
    squares += x.square().sum(1);
    values += x.size(1);
  }
  auto mean = sum / double(values);
  auto std = (squares / double(values) - mean.square()).clamp_min(0).sqrt().clamp_min(1e-6);
  mean = mean.to(at::kFloat).contiguous();
  std = std.to(at::kFloat).contiguous();
  preprocessing.mean.assign(mean.data_ptr<float>(), mean.data_ptr<float>() + channels);
  preprocessing.std.assign(std.data_ptr<float>(), std.data_ptr<float>() + channels);
  return preprocessing;
}

BatchLoader::BatchLoader(Dataset dataset, BatchOptions options) : dataset_(std::move(dataset)), options_(std::move(options)) {
  validate(dataset_);
  if (options_.batch_size <= 0) fail("batch size", fmt::format("must be positive, not {}", options_.batch_size));
  if (options_.workers < 0) fail("data workers", "must be 0 or more");
  item_shape_ = prepared_item_shape(dataset_, options_.preprocessing);
  if (dataset_.inputs.defined()) dataset_.inputs = dataset_.inputs.contiguous();
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
  if (begin >= end) fail(dataset_.source, fmt::format("batch {} is past the end of the epoch", batch));
  const auto count = end - begin;

  Batch out;
  out.indices = at::empty({count}, at::kLong);
  auto* rows = out.indices.data_ptr<std::int64_t>();
  std::copy(order.begin() + begin, order.begin() + end, rows);

  auto shape = item_shape_;
  shape.insert(shape.begin(), count);
  out.inputs = at::empty(shape, at::kFloat);
  const std::int64_t item = out.inputs.numel() / count;
  for (std::int64_t i = 0; i < count; ++i) prepare_item(rows[i], epoch, out.inputs.data_ptr<float>() + i * item);

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

void BatchLoader::prepare_item(std::int64_t row, int epoch, float* out) const {
  const auto& p = options_.preprocessing;
  if (!dataset_.is_image()) {
    const auto dims = item_shape_[0];
    preprocess_features(p, dataset_.inputs.data_ptr<float>() + row * dims, dims, out);
    return;
  }
  auto image = dataset_.image(row);
  const auto name = dataset_.item_name(row);
  const auto shape = output_shape(p, image.channels, image.height, image.width, name);
  if (shape != item_shape_)
    fail(name, fmt::format("is {} after preprocessing, but the first item is {}: images of different sizes need "
                           "preprocessing.resize with a crop", fmt::join(shape, "x"), fmt::join(item_shape_, "x")));
  if (options_.training) {
    auto random = item_random(options_.seed, std::uint64_t(epoch), std::uint64_t(row));
    preprocess_image(p, std::move(image), &random, out, name);
  } else {
    preprocess_image(p, std::move(image), nullptr, out, name);
  }
}

}  // namespace shrewd::data
