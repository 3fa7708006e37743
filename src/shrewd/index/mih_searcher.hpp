#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "shrewd/index/multi_index.hpp"

namespace shrewd {

// One thread's search state over a MultiIndexHashing: the verified rows by distance and the
// query's substrings. Answers one query at a time; reuse it for many queries.
//
// Tables are probed in rounds of increasing substring distance s, substring by substring: round
// (s, j) looks up the values at exactly distance s from the query's substring j. A code lies in
// exactly one bucket of each table, so it is met in round (d_j, j) for each substring j whose
// distance d_j the search reaches; it is verified only in the first of them, the smallest
// (d_j, j), which its own substring distances tell: no visited set is needed.
class MihSearcher {
 public:
  explicit MihSearcher(const MultiIndexHashing& index);

  // Exact k nearest neighbours of one query into ids[0..k) and distances[0..k) (-1 padded). With a
  // budget (estimated ns, < 0 for none) the search gives up once it would cost more, leaves the
  // output untouched and returns false.
  bool knn(const std::uint64_t* query, std::size_t k, double budget_ns, std::int64_t* ids, std::int32_t* distances);
  // All codes within `radius`, appended to ids/distances ordered by distance, then id; false (and
  // nothing appended) when over budget.
  bool range(const std::uint64_t* query, int radius, double budget_ns, std::vector<std::int64_t>& ids,
             std::vector<std::int32_t>& distances);

  double last_cost_ns() const { return cost_ns_; }  // estimated cost of the last knn/range call
  std::size_t probes() const { return probes_; }        // totals over all calls
  std::size_t candidates() const { return candidates_; }

 private:
  void start(const std::uint64_t* query);
  // Looks up the values at exactly `weight` from the query's substring and verifies their rows;
  // false once over budget.
  bool probe_round(std::size_t substring, std::size_t weight, double budget_ns);
  void verify_bucket(const SubstringBucket& bucket, std::size_t substring, std::size_t weight);
  // Whether round (weight, substring) is the first to meet the code whose XOR with the query is `x`.
  bool first_met_here(const std::uint64_t* x, std::size_t substring, std::size_t weight) const;
  // Keeps a candidate if it can still be in the answer and is met for the first time.
  void verify(const std::uint32_t* row, const std::uint64_t* code, std::size_t substring, std::size_t weight);
  void keep(std::uint32_t row, std::size_t distance);
  void clear();
  // Writes the rows of `rows` (all at one distance) ordered by id; at most `limit` of them.
  std::size_t emit_by_id(std::vector<std::uint32_t>& rows, std::size_t limit, std::int32_t distance,
                         std::int64_t* ids, std::int32_t* distances) const;

  const MultiIndexHashing& index_;
  const std::uint64_t* query_ = nullptr;
  std::size_t words_ = 0;
  std::vector<std::uint64_t> query_substrings_;
  std::vector<std::size_t> rounds_;                       // per substring: distances 0..rounds-1 searched
  std::vector<std::vector<std::uint32_t>> by_distance_;  // verified rows, by distance 0..K
  std::size_t found_ = 0;                                 // rows kept for this query
  std::size_t wanted_ = 0;                                // k (k-NN) or unlimited (radius search)
  std::size_t bound_ = 0;                                 // candidates farther than this are dropped
  std::size_t kept_within_bound_ = 0;                     // kept rows at distance <= bound_
  double cost_ns_ = 0;
  double candidate_ns_ = 0;
  std::size_t probes_ = 0;
  std::size_t candidates_ = 0;
};

}  // namespace shrewd
