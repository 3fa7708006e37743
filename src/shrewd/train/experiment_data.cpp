#include "shrewd/train/experiment_data.hpp"

#include <algorithm>
#include <fmt/format.h>
#include <set>

#include <ATen/CPUGeneratorImpl.h>
#include <torch/torch.h>

#include "shrewd/common/error.hpp"

namespace shrewd::train {

data::Dataset restrict_training_data(const data::Dataset& dataset, const std::vector<std::int64_t>& classes,
                                     std::int64_t subset, std::uint64_t seed) {
  if (subset < 0) fail("config data.train_subset", "must be >= 0 (0: all items)");
  if (classes.empty() && (subset == 0 || subset >= dataset.size())) return dataset;
  auto rows = torch::arange(dataset.size(), torch::kLong);
  if (!classes.empty()) {
    if (!dataset.labels.defined()) fail("config data.train_classes", dataset.source + " has no labels");
    const auto count = dataset.num_classes();
    for (auto c : classes)
      if (c < 0 || c >= count)
        fail("config data.train_classes", fmt::format("class {} is not in 0..{}", c, count - 1));
    auto keep = torch::zeros({dataset.size()}, torch::kBool);
    auto labels = dataset.labels.to(torch::kLong);
    for (auto c : std::set<std::int64_t>(classes.begin(), classes.end())) keep |= labels.eq(c);
    rows = rows.masked_select(keep);
    if (rows.numel() == 0) fail("config data.train_classes", "no training item has one of these classes");
  }
  if (subset > 0 && subset < rows.numel()) {
    auto generator = at::detail::createCPUGenerator(seed);
    auto chosen = torch::randperm(rows.numel(), generator, torch::kLong).slice(0, 0, subset);
    rows = rows.index_select(0, std::get<0>(chosen.sort()));
  }
  auto kept = dataset.subset(rows);
  if (kept.class_names.empty() && dataset.labels.defined()) {
    // Without names the class count comes from the largest label: keep it by naming the classes.
    for (std::int64_t c = 0; c < dataset.num_classes(); ++c) kept.class_names.push_back(std::to_string(c));
  }
  return kept;
}

}  // namespace shrewd::train
