#pragma once

// Internal to shrewd_eval: what the Hamming and the cosine evaluations share.

#include <chrono>
#include <cstddef>
#include <fmt/format.h>
#include <string>
#include <vector>

#include "shrewd/common/error.hpp"
#include "shrewd/common/seconds_since.hpp"
#include "shrewd/eval/query_scores.hpp"
#include "shrewd/eval/relevance.hpp"
#include "shrewd/eval/retrieval.hpp"

namespace shrewd::eval::detail {

// Queries are processed in fixed chunks whose sums are added in chunk order, so every figure is
// the same whatever the number of threads.
constexpr std::size_t kChunk = 64;

inline std::size_t chunk_count(std::size_t queries) { return (queries + kChunk - 1) / kChunk; }

// Per-query AP/AHP and per-chunk sums of P@k, R@k and HP@k for one ranking convention.
class SummaryCollector {
 public:
  SummaryCollector(std::size_t queries, const Cutoffs& cutoffs)
      : cutoffs_(cutoffs), queries_(queries), chunks_(chunk_count(queries)) {
    average_precision_.assign(queries, 0.0);
    ahp_.assign(queries, 0.0);
    for (auto& c : chunks_) {
      c.precision.assign(cutoffs.precision_at.size(), 0.0);
      c.recall.assign(cutoffs.precision_at.size(), 0.0);
      c.hp.assign(cutoffs.ahp_at, 0.0);
    }
  }

  void add(std::size_t query, const QueryScores& scores) {
    average_precision_[query] = scores.average_precision;
    ahp_[query] = scores.ahp;
    Sums& c = chunks_[query / kChunk];
    for (std::size_t i = 0; i < c.precision.size(); ++i) {
      c.precision[i] += scores.precision[i];
      c.recall[i] += scores.recall[i];
    }
    for (std::size_t k = 0; k < c.hp.size(); ++k) c.hp[k] += scores.hp[k];
  }

  RankingSummary finish() {
    RankingSummary s;
    const double n = queries_ ? double(queries_) : 1.0;
    s.precision_at.assign(cutoffs_.precision_at.size(), 0.0);
    s.recall_at.assign(cutoffs_.precision_at.size(), 0.0);
    s.hp_curve.assign(cutoffs_.ahp_at, 0.0);
    for (const Sums& c : chunks_) {
      for (std::size_t i = 0; i < c.precision.size(); ++i) {
        s.precision_at[i] += c.precision[i];
        s.recall_at[i] += c.recall[i];
      }
      for (std::size_t k = 0; k < c.hp.size(); ++k) s.hp_curve[k] += c.hp[k];
    }
    for (auto& v : s.precision_at) v /= n;
    for (auto& v : s.recall_at) v /= n;
    for (auto& v : s.hp_curve) v /= n;
    for (double v : average_precision_) s.map += v;
    for (double v : ahp_) s.mahp += v;
    s.map /= n;
    s.mahp /= n;
    s.average_precision = std::move(average_precision_);
    s.ahp = std::move(ahp_);
    return s;
  }

 private:
  struct Sums {
    std::vector<double> precision, recall, hp;
  };
  const Cutoffs& cutoffs_;
  std::size_t queries_;
  std::vector<Sums> chunks_;
  std::vector<double> average_precision_, ahp_;
};

// Fails unless the relevance covers these queries and database items and the options make sense.
inline void check_sizes(std::size_t queries, std::size_t database, const Relevance& relevance, const EvalOptions& options,
                 const std::string& what) {
  if (relevance.query_count() != queries)
    fail("query labels", fmt::format("have {} entries but there are {} query {}",
                                     relevance.query_count(), queries, what));
  if (relevance.database_count() != database)
    fail("database labels", fmt::format("have {} entries but there are {} database {}",
                                        relevance.database_count(), database, what));
  if (options.queries_in_database && queries > database)
    fail("queries in database", fmt::format("{} queries cannot all be database items ({} items)", queries, database));
  if (database >= std::size_t(UINT32_MAX)) fail("database", "too many items for evaluation (2^32 - 1 at most)");
  options.cutoffs.validate();
}

}  // namespace shrewd::eval::detail
