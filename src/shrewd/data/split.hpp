#pragma once

#include <cstdint>
#include <utility>

#include "shrewd/data/dataset.hpp"

namespace shrewd::data {

// Carves a validation set of about `fraction` (0 < fraction < 1) of the items out of `dataset`:
// returns {training part, validation part}. With labels the split is stratified (each class
// contributes round(fraction * its count) items); the same seed gives the same split. Both parts
// keep the original item order.
std::pair<Dataset, Dataset> split_validation(const Dataset& dataset, double fraction, std::uint64_t seed);

}  // namespace shrewd::data
