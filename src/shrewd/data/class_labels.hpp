#pragma once

#include "shrewd/data/dataset.hpp"
#include "shrewd/semantics/class_list.hpp"
#include "shrewd/semantics/class_matching.hpp"

namespace shrewd::data {

// The dataset with labels that index `classes` (docs/data-and-models.md, "Classes by name"): a
// dataset that names its classes (image folders, CIFAR meta files, Fashion-MNIST) is paired with
// the classes file by name (semantics::match_classes), its labels renumbered and the items of
// dropped classes left out; one without names keeps its labels, which must lie below the number
// of classes. Either way class_names becomes the classes file's names. Data without labels is
// returned as it is.
Dataset with_class_list(const Dataset& dataset, const semantics::ClassList& classes,
                        const semantics::ClassMatchOptions& options = {});

}  // namespace shrewd::data
