#include "shrewd/data/split.hpp"

#include <ATen/ATen.h>

#include <algorithm>
#include <cmath>
#include <fmt/format.h>
#include <random>

#include "shrewd/common/error.hpp"

namespace shrewd::data {
namespace {

at::Tensor to_tensor(std::vector<std::int64_t> rows) {
  std::sort(rows.begin(), rows.end());
  return at::tensor(rows, at::kLong);
}

}  // namespace

std::pair<Dataset, Dataset> split_validation(const Dataset& dataset, double fraction, std::uint64_t seed) {
  if (!(fraction > 0.0 && fraction < 1.0))
    fail("validation fraction", fmt::format("must lie strictly between 0 and 1, not {}", fraction));
  const auto n = dataset.size();
  std::mt19937_64 random(seed);

  // Groups of items that are split separately: one per class, or everything when unlabelled.
  std::vector<std::vector<std::int64_t>> groups;
  if (dataset.labels.defined()) {
    auto labels = dataset.labels.contiguous();
    const auto* label = labels.data_ptr<std::int64_t>();
    groups.resize(std::size_t(std::max<std::int64_t>(dataset.num_classes(), 0)));
    for (std::int64_t i = 0; i < n; ++i) {
      if (label[i] >= std::int64_t(groups.size())) groups.resize(std::size_t(label[i] + 1));
      groups[std::size_t(label[i])].push_back(i);
    }
  } else {
    groups.emplace_back(std::size_t(n));
    for (std::int64_t i = 0; i < n; ++i) groups[0][std::size_t(i)] = i;
  }

  std::vector<std::int64_t> train, validation;
  for (auto& group : groups) {
    std::shuffle(group.begin(), group.end(), random);
    auto take = std::size_t(std::llround(fraction * double(group.size())));
    validation.insert(validation.end(), group.begin(), group.begin() + std::ptrdiff_t(take));
    train.insert(train.end(), group.begin() + std::ptrdiff_t(take), group.end());
  }
  if (train.empty() || validation.empty())
    fail(dataset.source, fmt::format("a validation fraction of {} of {} items leaves one part empty", fraction, n));
  auto train_part = dataset.subset(to_tensor(std::move(train)));
  auto validation_part = dataset.subset(to_tensor(std::move(validation)));
  train_part.source = dataset.source + " (training part)";
  validation_part.source = dataset.source + " (validation part)";
  return {std::move(train_part), std::move(validation_part)};
}

}  // namespace shrewd::data
