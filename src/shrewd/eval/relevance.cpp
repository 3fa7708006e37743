#include "shrewd/eval/relevance.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <fmt/format.h>
#include <numeric>

#include "shrewd/common/error.hpp"

namespace shrewd::eval {

namespace {

std::vector<std::uint32_t> checked_classes(const Labels& labels, std::size_t classes, const std::string& against) {
  std::vector<std::uint32_t> out(labels.size());
  for (std::size_t i = 0; i < labels.size(); ++i) {
    const std::int64_t l = labels.label(i);
    if (l < 0 || static_cast<std::size_t>(l) >= classes)
      fail(labels.source(), fmt::format("label {} of item {} is outside {} ({} classes, 0..{})",
                                        l, i, against, classes, classes - 1));
    out[i] = static_cast<std::uint32_t>(l);
  }
  return out;
}

// Past the end of the database the ideal sum stays where it is.
void fill_saturated(std::span<double> ideal, std::size_t filled, double sum) {
  for (std::size_t k = filled; k < ideal.size(); ++k) ideal[k] = sum;
}

}  // namespace

ClassRelevance::ClassRelevance(const Labels& queries, const Labels& database, std::vector<float> similarity,
                               std::size_t class_count, std::string similarity_source) {
  if (queries.is_multi() || database.is_multi())
    fail(queries.is_multi() ? queries.source() : database.source(),
         "class relevance needs single labels (a 1-D array), found a multi-label matrix");
  if (similarity.empty()) {
    classes_ = class_count ? class_count
                           : static_cast<std::size_t>(std::max(queries.max_label(), database.max_label()) + 1);
    classes_ = std::max<std::size_t>(classes_, 1);
    similarity_.assign(classes_ * classes_, 0.0f);
    for (std::size_t c = 0; c < classes_; ++c) similarity_[c * classes_ + c] = 1.0f;
    description_ = "single labels (relevant = same class; similarity = 1 for the same class, else 0)";
    if (similarity_source.empty()) similarity_source = "the classes";
  } else {
    if (similarity.size() != class_count * class_count)
      fail(similarity_source, fmt::format("similarity matrix has {} values, expected {} x {}",
                                          similarity.size(), class_count, class_count));
    classes_ = class_count;
    similarity_ = std::move(similarity);
    description_ = fmt::format("single labels, {} classes (relevant = same class); class similarities from {}",
                               classes_, similarity_source);
  }
  query_labels_ = checked_classes(queries, classes_, similarity_source);
  database_labels_ = checked_classes(database, classes_, similarity_source);

  database_per_class_.assign(classes_, 0);
  for (auto c : database_labels_) ++database_per_class_[c];
  std::vector<std::uint32_t> present;
  for (std::uint32_t c = 0; c < classes_; ++c)
    if (database_per_class_[c]) present.push_back(c);

  present_classes_ = present.size();
  order_slot_.assign(classes_, -1);
  std::int64_t slots = 0;
  for (auto c : query_labels_) {
    if (order_slot_[c] >= 0) continue;
    order_slot_[c] = slots++;
    std::vector<std::uint32_t> order = present;
    const float* row = similarity_.data() + std::size_t(c) * classes_;
    std::stable_sort(order.begin(), order.end(), [&](auto a, auto b) { return row[a] > row[b]; });
    order_.insert(order_.end(), order.begin(), order.end());
  }
}

void Relevance::judge_all(std::size_t query, std::span<std::uint8_t> relevant, std::span<float> gain) const {
  judge(query, relevant);
  std::vector<std::uint32_t> items(database_count());
  for (std::size_t j = 0; j < items.size(); ++j) items[j] = std::uint32_t(j);
  gains(query, items, gain);
}

void ClassRelevance::judge(std::size_t query, std::span<std::uint8_t> relevant) const {
  const std::uint32_t qc = query_labels_[query];
  const std::size_t n = database_labels_.size();
  const std::uint32_t* db = database_labels_.data();
  std::uint8_t* out = relevant.data();
  for (std::size_t j = 0; j < n; ++j) out[j] = db[j] == qc;
}

void ClassRelevance::gains(std::size_t query, std::span<const std::uint32_t> items, std::span<float> gain) const {
  const float* row = similarity_.data() + std::size_t(query_labels_[query]) * classes_;
  for (std::size_t i = 0; i < items.size(); ++i) gain[i] = row[database_labels_[items[i]]];
}

void ClassRelevance::ideal_gains(std::size_t query, std::int64_t excluded, std::span<double> ideal) const {
  const std::uint32_t qc = query_labels_[query];
  const float* row = similarity_.data() + std::size_t(qc) * classes_;
  const std::int64_t excluded_class = excluded >= 0 ? std::int64_t(database_labels_[std::size_t(excluded)]) : -1;
  const std::size_t present = present_classes_;
  const std::uint32_t* order = order_.data() + std::size_t(order_slot_[qc]) * present;
  std::size_t k = 0;
  double sum = 0;
  for (std::size_t o = 0; o < present && k < ideal.size(); ++o) {
    const std::uint32_t c = order[o];
    std::size_t available = database_per_class_[c] - (std::int64_t(c) == excluded_class ? 1 : 0);
    for (; available > 0 && k < ideal.size(); --available) {
      sum += row[c];
      ideal[k++] = sum;
    }
  }
  fill_saturated(ideal, k, sum);
}

void ClassRelevance::query_classes(std::size_t query, std::vector<std::size_t>& out) const {
  out.assign(1, query_labels_[query]);
}

MultiLabelRelevance::MultiLabelRelevance(const Labels& queries, const Labels& database)
    : queries_(queries), database_(database) {
  if (!queries.is_multi() || !database.is_multi())
    fail(queries.is_multi() ? database.source() : queries.source(),
         "query and database labels must both be multi-label matrices or both be 1-D class indices");
  if (queries.columns() != database.columns())
    fail(database.source(), fmt::format("multi-label matrix has {} columns but the query labels {} have {}",
                                        database.columns(), queries.source(), queries.columns()));
}

namespace {

void shared_and_union(const std::uint64_t* a, const std::uint64_t* b, std::size_t words, int& shared, int& either) {
  shared = either = 0;
  for (std::size_t w = 0; w < words; ++w) {
    shared += std::popcount(a[w] & b[w]);
    either += std::popcount(a[w] | b[w]);
  }
}

}  // namespace

void MultiLabelRelevance::judge(std::size_t query, std::span<std::uint8_t> relevant) const {
  const std::uint64_t* q = queries_.label_set(query);
  const std::size_t words = queries_.words();
  for (std::size_t j = 0; j < database_.size(); ++j) {
    const std::uint64_t* d = database_.label_set(j);
    bool shared = false;
    for (std::size_t w = 0; w < words; ++w) shared |= (q[w] & d[w]) != 0;
    relevant[j] = shared;
  }
}

void MultiLabelRelevance::gains(std::size_t query, std::span<const std::uint32_t> items, std::span<float> gain) const {
  const std::uint64_t* q = queries_.label_set(query);
  for (std::size_t i = 0; i < items.size(); ++i) {
    int shared = 0, either = 0;
    shared_and_union(q, database_.label_set(items[i]), queries_.words(), shared, either);
    gain[i] = either ? float(shared) / float(either) : 0.0f;
  }
}

void MultiLabelRelevance::ideal_gains(std::size_t query, std::int64_t excluded, std::span<double> ideal) const {
  const std::uint64_t* q = queries_.label_set(query);
  std::vector<float> best;
  best.reserve(database_.size());
  for (std::size_t j = 0; j < database_.size(); ++j) {
    if (std::int64_t(j) == excluded) continue;
    int shared = 0, either = 0;
    shared_and_union(q, database_.label_set(j), queries_.words(), shared, either);
    best.push_back(either ? float(shared) / float(either) : 0.0f);
  }
  const std::size_t take = std::min(best.size(), ideal.size());
  std::partial_sort(best.begin(), best.begin() + std::ptrdiff_t(take), best.end(), std::greater<>());
  double sum = 0;
  for (std::size_t k = 0; k < take; ++k) {
    sum += best[k];
    ideal[k] = sum;
  }
  fill_saturated(ideal, take, sum);
}

void MultiLabelRelevance::query_classes(std::size_t query, std::vector<std::size_t>& out) const {
  queries_.classes_of(query, out);
}

std::string MultiLabelRelevance::description() const {
  return fmt::format("multi-labels, {} classes (relevant = at least one shared label; similarity = Jaccard index of "
                     "the label sets)", queries_.columns());
}

std::vector<float> load_similarity_matrix(const std::filesystem::path& path, std::size_t& classes) {
  return similarity_matrix_from_npy(read_npy(path), classes);
}

std::vector<float> similarity_matrix_from_npy(const NpyArray& array, std::size_t& classes) {
  array.require_rank(2);
  if (array.rows() != array.columns() || array.rows() == 0)
    fail(array.source, "similarity matrix must be square [C, C], found shape " + array.shape_text());
  std::vector<float> values(array.size());
  if (array.dtype == DType::Float64) {
    auto typed = array.values<double>();
    std::copy(typed.begin(), typed.end(), values.begin());
  } else {
    auto typed = array.values<float>();
    std::copy(typed.begin(), typed.end(), values.begin());
  }
  for (std::size_t i = 0; i < values.size(); ++i)
    if (!(values[i] >= 0.0f && values[i] <= 1.0f))
      fail(array.source, fmt::format("similarity at row {}, column {} is {}; similarities must be finite and in [0, 1]",
                                     i / array.columns(), i % array.columns(), values[i]));
  classes = array.rows();
  return values;
}

std::unique_ptr<Relevance> make_relevance(const Labels& queries, const Labels& database, std::vector<float> similarity,
                                          std::size_t classes, const std::string& similarity_source) {
  if (queries.is_multi() != database.is_multi())
    fail(database.source(), fmt::format("database labels are {} but the query labels {} are {}",
                                        database.is_multi() ? "multi-label" : "single", queries.source(),
                                        queries.is_multi() ? "multi-label" : "single"));
  if (queries.is_multi()) {
    if (!similarity.empty())
      fail(similarity_source, "a class similarity matrix needs single labels (1-D), but the labels are multi-hot");
    return std::make_unique<MultiLabelRelevance>(queries, database);
  }
  return std::make_unique<ClassRelevance>(queries, database, std::move(similarity), classes, similarity_source);
}

}  // namespace shrewd::eval
