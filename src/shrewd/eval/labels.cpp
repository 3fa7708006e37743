#include "shrewd/eval/labels.hpp"

#include <algorithm>
#include <bit>
#include <fmt/format.h>

#include "shrewd/common/error.hpp"

namespace shrewd::eval {

Labels Labels::single(std::vector<std::int64_t> classes, std::string source) {
  Labels labels;
  labels.source_ = std::move(source);
  labels.count_ = classes.size();
  for (std::size_t i = 0; i < classes.size(); ++i)
    if (classes[i] < 0)
      fail(labels.source_, fmt::format("label {} of item {} is negative; labels are class indices 0..C-1",
                                       classes[i], i));
  labels.single_ = std::move(classes);
  return labels;
}

Labels Labels::multi(std::size_t count, std::size_t class_count, const std::vector<std::uint8_t>& hot,
                     std::string source) {
  Labels labels;
  labels.source_ = std::move(source);
  labels.count_ = count;
  labels.multi_ = true;
  labels.columns_ = class_count;
  labels.words_ = std::max<std::size_t>(1, (class_count + 63) / 64);
  labels.hot_.assign(count * labels.words_, 0);
  for (std::size_t i = 0; i < count; ++i)
    for (std::size_t c = 0; c < class_count; ++c) {
      const std::uint8_t v = hot[i * class_count + c];
      if (v > 1)
        fail(labels.source_, fmt::format("multi-label matrix must hold 0 or 1, found {} at row {}, column {}",
                                         v, i, c));
      if (v) labels.hot_[i * labels.words_ + c / 64] |= std::uint64_t{1} << (c % 64);
    }
  return labels;
}

std::int64_t Labels::max_label() const {
  if (multi_) return static_cast<std::int64_t>(columns_) - 1;
  std::int64_t best = -1;
  for (auto l : single_) best = std::max(best, l);
  return best;
}

void Labels::check_classes(std::size_t classes, const std::string& against, const std::string& hint) const {
  if (multi_) return;
  for (std::size_t i = 0; i < single_.size(); ++i)
    if (single_[i] < 0 || static_cast<std::uint64_t>(single_[i]) >= classes)
      fail(source_, fmt::format("label {} of item {} is outside {} ({} classes, 0..{}){}",
                                single_[i], i, against, classes, classes - 1, hint.empty() ? "" : "; " + hint));
}

void Labels::classes_of(std::size_t i, std::vector<std::size_t>& out) const {
  out.clear();
  if (!multi_) {
    out.push_back(static_cast<std::size_t>(single_[i]));
    return;
  }
  const std::uint64_t* set = label_set(i);
  for (std::size_t w = 0; w < words_; ++w)
    for (std::uint64_t bits = set[w]; bits; bits &= bits - 1)
      out.push_back(w * 64 + static_cast<std::size_t>(std::countr_zero(bits)));
}

bool Labels::has_class(std::size_t i, std::size_t c) const {
  if (!multi_) return single_[i] == static_cast<std::int64_t>(c);
  return c < columns_ && (label_set(i)[c / 64] >> (c % 64)) & 1;
}

namespace {

template <class T>
void collect_hot(const NpyArray& array, std::vector<std::uint8_t>& hot) {
  auto values = array.values<T>();
  hot.resize(values.size());
  for (std::size_t i = 0; i < values.size(); ++i) {
    const T v = values[i];
    if (!(v == T(0) || v == T(1)))
      fail(array.source, fmt::format("multi-label matrix must hold 0 or 1, found another value at row {}, column {}",
                                     i / array.columns(), i % array.columns()));
    hot[i] = v == T(1);
  }
}

}  // namespace

Labels labels_from_npy(const NpyArray& array) {
  if (array.shape.size() == 1) {
    return Labels::single(integers_as_int64(array), array.source);
  }
  if (array.shape.size() == 2) {
    std::vector<std::uint8_t> hot;
    switch (array.dtype) {
      case DType::Bool: collect_hot<bool>(array, hot); break;
      case DType::UInt8: collect_hot<std::uint8_t>(array, hot); break;
      case DType::Int8: collect_hot<std::int8_t>(array, hot); break;
      case DType::Int32: collect_hot<std::int32_t>(array, hot); break;
      case DType::Int64: collect_hot<std::int64_t>(array, hot); break;
      case DType::UInt64: collect_hot<std::uint64_t>(array, hot); break;
      case DType::Float32: collect_hot<float>(array, hot); break;
      case DType::Float64: collect_hot<double>(array, hot); break;
    }
    if (array.columns() == 0) fail(array.source, "multi-label matrix has no columns");
    return Labels::multi(array.rows(), array.columns(), hot, array.source);
  }
  fail(array.source, "labels must be a 1-D array of class indices or a 2-D multi-hot [N, C] array, found shape " +
                         array.shape_text());
}

Labels load_labels(const std::filesystem::path& path) { return labels_from_npy(read_npy(path)); }

}  // namespace shrewd::eval
