#pragma once

#include <cstdint>
#include <vector>

#include "shrewd/data/dataset.hpp"

namespace shrewd::train {

// The training items an experiment keeps (config keys data.train_classes and data.train_subset):
// only the items of `classes` (the zero-shot protocol: train on some classes, evaluate on the
// others; empty keeps all), then at most `subset` of them (0 keeps all), drawn by a permutation
// seeded with `seed`, in their original order. Class names and the class count are kept, so labels
// keep their meaning. Errors name the config key: classes without labels, a class out of range,
// nothing left.
data::Dataset restrict_training_data(const data::Dataset& dataset, const std::vector<std::int64_t>& classes,
                                     std::int64_t subset, std::uint64_t seed);

}  // namespace shrewd::train
