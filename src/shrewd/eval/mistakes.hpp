#pragma once

// Metrics for mistakes (docs/method.md §8.13, after Bertinetto et al., "Making Better Mistakes"):
// how far, in class distance D^T = 1 - s, the retrieved items lie from the query's class. A
// mistake is a retrieved item that is not relevant (another class); its distance is 1 - its gain.

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "shrewd/eval/query_scores.hpp"

namespace shrewd::eval {

// The depths k of the mistake metrics: every cutoff of the other metrics (P@k, mAP@k, mAHP@K),
// ascending, without repeats.
std::vector<std::size_t> mistake_depths(const Cutoffs& cutoffs);

// One query's figures at each depth k (k' = min(k, candidates) items retrieved).
struct MistakeScores {
  std::vector<double> distance;      // mean D^T of the first k' items (0 when k' = 0)
  std::vector<double> severity;      // mean D^T of the mistakes among them, times with_mistake
  std::vector<double> with_mistake;  // 1 if there is a mistake among them, else 0 (tie-aware: its probability)

  void resize(std::size_t depths);
};

// Ties by index: `ranked` and `ranked_gain` as for score_ranking (the first min(deepest,
// candidates) candidates), `relevant` per database item.
void score_ranked_mistakes(std::span<const std::uint32_t> ranked, std::span<const float> ranked_gain,
                           std::span<const std::uint8_t> relevant, std::span<const std::size_t> depths,
                           MistakeScores& out);

// Tie-aware: the expectation over uniformly random orders within each group of equal distance.
// `mistake_gain[g]` is the gain sum of the non-relevant items of groups[g]; the groups cover the
// first min(deepest, candidates) positions; `tables` cover a population of the largest group.
// severity holds E[mean D^T of the mistakes; 0 without a mistake], with_mistake P(a mistake).
void score_grouped_mistakes(std::span<const TieGroup> groups, std::span<const double> mistake_gain,
                            std::size_t candidates, std::span<const std::size_t> depths, const TieTables& tables,
                            MistakeScores& out);

// Means over the queries, one entry per depth.
struct MistakeSummary {
  std::vector<std::size_t> at;          // the depths k
  std::vector<double> mean_distance;    // mean over all queries of the mean D^T of the top k
  std::vector<double> severity;         // mean over the queries that made a mistake (NaN if none did)
  std::vector<double> no_mistake_share; // share of the queries without a mistake in the top k
};

// Per-chunk sums added in chunk order, so the means do not depend on the number of threads.
class MistakeCollector {
 public:
  MistakeCollector(std::size_t queries, std::vector<std::size_t> depths, std::size_t chunk);
  void add(std::size_t query, const MistakeScores& scores);
  MistakeSummary finish() const;

 private:
  struct Sums {
    std::vector<double> distance, severity, with_mistake;
  };
  std::vector<std::size_t> depths_;
  std::size_t queries_, chunk_;
  std::vector<Sums> chunks_;
};

}  // namespace shrewd::eval
