#include "shrewd/data/class_labels.hpp"

#include <ATen/ATen.h>
#include <fmt/format.h>

#include "shrewd/common/error.hpp"

namespace shrewd::data {

Dataset with_class_list(const Dataset& dataset, const semantics::ClassList& classes,
                        const semantics::ClassMatchOptions& options) {
  if (!dataset.labels.defined()) return dataset;
  const auto count = std::int64_t(classes.size());
  Dataset paired = dataset;
  if (dataset.class_names.empty()) {
    if (dataset.labels.numel() > 0 && dataset.labels.max().item<std::int64_t>() >= count)
      fail(dataset.source, fmt::format("has label {} but {} lists {} classes (labels 0..{})",
                                       dataset.labels.max().item<std::int64_t>(), classes.source, count, count - 1));
  } else {
    const auto match = semantics::match_classes(dataset.class_names, dataset.source, classes, options);
    const auto class_of = at::tensor(match.class_of, at::kLong);
    const auto labels = class_of.index_select(0, dataset.labels.to(at::kLong));
    const auto kept = labels.ge(0);
    if (kept.all().item<bool>()) {
      paired.labels = labels;
    } else {
      paired = dataset.subset(kept.nonzero().flatten());
      paired.labels = labels.masked_select(kept);
      if (paired.size() == 0) fail(dataset.source, "has no items left once " + options.drop_option + " are dropped");
    }
  }
  paired.class_names.clear();
  for (std::int64_t c = 0; c < count; ++c) paired.class_names.push_back(classes.label(std::size_t(c)));
  validate(paired);
  return paired;
}

}  // namespace shrewd::data
