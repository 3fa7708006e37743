#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "shrewd/index/multi_index.hpp"

namespace shrewd {

// One thread's search state over a MultiIndexHashing: a visited bit per row (to verify each
// candidate once) and the verified rows by distance. Answers one query at a time; reuse it for
// many queries (the state is cleared after each).
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
  bool probe_at_distance(std::size_t substring, std::size_t weight, double budget_ns);
  bool visit_bucket(std::size_t substring, std::uint64_t value, double budget_ns);
  void clear();
  // Writes the rows of `rows` (all at one distance) ordered by id; at most `limit` of them.
  std::size_t emit_by_id(std::vector<std::uint32_t>& rows, std::size_t limit, std::int32_t distance,
                         std::int64_t* ids, std::int32_t* distances) const;
  bool id_less(std::uint32_t a, std::uint32_t b) const;

  const MultiIndexHashing& index_;
  const std::uint64_t* query_ = nullptr;
  std::vector<std::uint64_t> query_substrings_;
  std::vector<std::uint64_t> visited_;                    // one bit per row
  std::size_t visited_count_ = 0;
  std::vector<std::vector<std::uint32_t>> by_distance_;  // verified rows, by distance 0..K
  double cost_ns_ = 0;
  double candidate_ns_ = 0;
  std::size_t probes_ = 0;
  std::size_t candidates_ = 0;
};

}  // namespace shrewd
