#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "shrewd/eval/labels.hpp"

namespace shrewd::eval {

// How a query relates to each database item (docs/method.md §8.2): relevant (0/1) for P@k, R@k
// and mAP, and a similarity s(q, j) in [0, 1] (the "gain") for hierarchical precision.
class Relevance {
 public:
  virtual ~Relevance() = default;

  virtual std::size_t query_count() const = 0;
  virtual std::size_t database_count() const = 0;

  // Fills relevant[j] for every database item j.
  virtual void judge(std::size_t query, std::span<std::uint8_t> relevant) const = 0;

  // gain[i] = s(query, items[i]).
  virtual void gains(std::size_t query, std::span<const std::uint32_t> items, std::span<float> gain) const = 0;

  // ideal[k-1] = the largest possible sum of k gains s(query, j) over the database items other
  // than `excluded` (-1: none), for k = 1..ideal.size(); once the database runs out the sum stays.
  virtual void ideal_gains(std::size_t query, std::int64_t excluded, std::span<double> ideal) const = 0;

  // Relevance and gain of every database item (convenience for tests and small data).
  void judge_all(std::size_t query, std::span<std::uint8_t> relevant, std::span<float> gain) const;

  // The classes of a query (for per-class figures) and the number of classes.
  virtual void query_classes(std::size_t query, std::vector<std::size_t>& out) const = 0;
  virtual std::size_t class_count() const = 0;

  virtual std::string description() const = 0;
};

// Single labels. Relevant = same class; gain = similarity[query class][item class], a C x C
// row-major matrix with values in [0, 1] (empty: the identity, gain = relevance).
class ClassRelevance final : public Relevance {
 public:
  ClassRelevance(const Labels& queries, const Labels& database, std::vector<float> similarity = {},
                 std::size_t class_count = 0, std::string similarity_source = {});

  std::size_t query_count() const override { return query_labels_.size(); }
  std::size_t database_count() const override { return database_labels_.size(); }
  void judge(std::size_t query, std::span<std::uint8_t> relevant) const override;
  void gains(std::size_t query, std::span<const std::uint32_t> items, std::span<float> gain) const override;
  void ideal_gains(std::size_t query, std::int64_t excluded, std::span<double> ideal) const override;
  void query_classes(std::size_t query, std::vector<std::size_t>& out) const override;
  std::size_t class_count() const override { return classes_; }
  std::string description() const override { return description_; }

 private:
  std::size_t classes_;
  std::vector<std::uint32_t> query_labels_, database_labels_;
  std::vector<float> similarity_;            // classes_ x classes_
  std::vector<std::size_t> database_per_class_;
  std::size_t present_classes_ = 0;         // classes with database items
  std::vector<std::int64_t> order_slot_;     // class -> row of order_, -1 if no query has it
  std::vector<std::uint32_t> order_;         // per query class: classes by descending similarity
  std::string description_;
};

// Multi-labels (multi-hot). Relevant = at least one shared label; gain = |L_q n L_j| / |L_q u L_j|
// (1 - the multi-label target distance of docs/method.md §2.2; 0 when both sets are empty).
class MultiLabelRelevance final : public Relevance {
 public:
  MultiLabelRelevance(const Labels& queries, const Labels& database);

  std::size_t query_count() const override { return queries_.size(); }
  std::size_t database_count() const override { return database_.size(); }
  void judge(std::size_t query, std::span<std::uint8_t> relevant) const override;
  void gains(std::size_t query, std::span<const std::uint32_t> items, std::span<float> gain) const override;
  void ideal_gains(std::size_t query, std::int64_t excluded, std::span<double> ideal) const override;
  void query_classes(std::size_t query, std::vector<std::size_t>& out) const override;
  std::size_t class_count() const override { return queries_.columns(); }
  std::string description() const override;

 private:
  Labels queries_, database_;
};

// Reads a C x C similarity matrix (float32 or float64 .npy, finite, values in [0, 1]).
std::vector<float> load_similarity_matrix(const std::filesystem::path& path, std::size_t& classes);
std::vector<float> similarity_matrix_from_npy(const NpyArray& array, std::size_t& classes);

// The relevance for these labels: ClassRelevance for single labels (with the similarity matrix
// if one is given), MultiLabelRelevance for multi-labels (a similarity matrix is then an error).
std::unique_ptr<Relevance> make_relevance(const Labels& queries, const Labels& database,
                                          std::vector<float> similarity = {}, std::size_t classes = 0,
                                          const std::string& similarity_source = {});

}  // namespace shrewd::eval
