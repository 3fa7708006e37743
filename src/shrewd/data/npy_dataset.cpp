#include "shrewd/data/npy_dataset.hpp"

#include <ATen/ATen.h>
#include <fmt/format.h>

#include "shrewd/common/error.hpp"
#include "shrewd/common/npy.hpp"

namespace shrewd::data {

Dataset read_npy_features(const std::filesystem::path& features, const std::filesystem::path& labels,
                          std::int64_t num_classes) {
  std::size_t rows = 0, columns = 0;
  auto values = read_npy_matrix_f32(features, rows, columns);
  if (rows == 0 || columns == 0) fail(features.string(), "no feature vectors (shape must be [N, D] with N, D > 0)");
  Dataset dataset;
  dataset.source = features.string();
  dataset.inputs = at::from_blob(values.data(), {std::int64_t(rows), std::int64_t(columns)}, at::kFloat).clone();
  if (!labels.empty()) {
    auto label_values = read_npy_labels(labels);
    if (label_values.size() != rows)
      fail(labels.string(), fmt::format("{} labels for the {} rows of {}",
                                        label_values.size(), rows, features.string()));
    for (std::size_t i = 0; i < label_values.size(); ++i) {
      if (label_values[i] < 0 || (num_classes > 0 && label_values[i] >= num_classes))
        fail(labels.string(), fmt::format("record {}: label {} out of range{}", i, label_values[i],
                                          num_classes > 0 ? fmt::format(" 0..{}", num_classes - 1) : " (negative)"));
    }
    dataset.labels = at::tensor(label_values, at::kLong);
  }
  validate(dataset);
  return dataset;
}

}  // namespace shrewd::data
