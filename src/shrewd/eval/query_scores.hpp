#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace shrewd::eval {

// The depths at which rankings are judged (docs/method.md §8).
struct Cutoffs {
  std::size_t map_at = 1000;                           // AP@k, mAP@k
  std::size_t ahp_at = 250;                            // AHP@K (HP@k for k = 1..K)
  std::vector<std::size_t> precision_at = {10, 100, 1000};  // P@k and R@k

  std::size_t deepest() const;  // the largest of them: how far a ranking must be known
  void validate() const;        // fails unless every cutoff is >= 1 and ahp_at >= 2
};

// What one query's ranking is judged against. The query itself, when it sits in the database,
// is not a candidate: it appears in no ranking, total or ideal sum.
struct QueryTruth {
  std::span<const std::uint8_t> relevant;  // per database item
  std::span<const double> ideal;           // ideal[k-1]: best possible sum of k gains, k = 1..ahp_at
  std::size_t total_relevant = 0;          // relevant candidates
  std::size_t candidates = 0;              // database items that are ranked
};

// The scores of one query's ranking. Past the end of the database (k > candidates) a cutoff k
// means the whole ranking: P@k = hits / candidates, and the sums stop growing.
struct QueryScores {
  double average_precision = 0;   // AP@map_at = (1/R_k) sum_{r<=k} P@r rel(r); 0 when R_k = 0
  double ahp = 0;                 // AHP@ahp_at, trapezoid rule over HP@1..HP@K
  std::vector<double> precision;  // P@k for k in precision_at
  std::vector<double> recall;     // R@k: hits in the top k / total relevant; 0 when none relevant
  std::vector<double> hp;         // HP@k for k = 1..ahp_at; 0 where the ideal sum is 0

  void resize(const Cutoffs& cutoffs);
};

// AHP@K = (1/K) * (sum_{k=1..K} HP@k - (HP@1 + HP@K) / 2).
double trapezoid_ahp(std::span<const double> hp);

// Scores a ranking given item by item: `ranked` holds the first min(deepest, candidates)
// candidates, best first (ties already broken, e.g. by ascending database index), and
// `ranked_gain` their gains s(q, ranked[r]).
void score_ranking(std::span<const std::uint32_t> ranked, std::span<const float> ranked_gain,
                   const QueryTruth& truth, const Cutoffs& cutoffs, QueryScores& out);

// Candidates at one distance: how many, how many relevant, and the sum of their gains.
struct TieGroup {
  std::size_t size = 0;
  std::size_t relevant = 0;
  double gain = 0;
};

// Harmonic numbers and log-factorials for the tie-aware closed forms.
class TieTables {
 public:
  TieTables(std::size_t positions, std::size_t population);
  double harmonic(std::size_t n) const { return harmonic_[n]; }  // H_n = sum_{i<=n} 1/i
  double log_choose(std::size_t n, std::size_t k) const {
    return log_factorial_[n] - log_factorial_[k] - log_factorial_[n - k];
  }
  std::size_t positions() const { return harmonic_.size() - 1; }
  std::size_t population() const { return log_factorial_.size() - 1; }

 private:
  std::vector<double> harmonic_, log_factorial_;
};

// Tie-aware scores: the expected value of each score over uniformly random orders inside every
// group of equal distance. `groups` come in rank order and cover at least the first
// min(deepest, candidates) positions. `tables` must cover deepest positions and a population of
// the largest group.
void score_tie_groups(std::span<const TieGroup> groups, const QueryTruth& truth, const Cutoffs& cutoffs,
                      const TieTables& tables, QueryScores& out);

// E[AP@k] over random orders within the groups (exposed for tests).
double expected_average_precision(std::span<const TieGroup> groups, std::size_t k, const TieTables& tables);

}  // namespace shrewd::eval
