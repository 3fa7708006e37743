#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "shrewd/codes/code_matrix.hpp"
#include "shrewd/index/binary_index.hpp"
#include "shrewd/index/flat_index.hpp"
#include "shrewd/index/substring_layout.hpp"
#include "shrewd/index/substring_table.hpp"

namespace shrewd {

// How a search runs: Automatic chooses between multi-index hashing and a flat scan (see
// MultiIndexHashing::plan_search); the other two force one path (tests, benchmarks).
enum class MihStrategy { Automatic, MultiIndex, Flat };

// What a search did, for benchmarks and reports.
struct MihSearchStats {
  bool batch_flat = false;          // the whole batch went to the flat scan
  std::size_t queries_flat = 0;     // queries answered by the flat scan (batch or per-query fallback)
  std::size_t probes = 0;           // table buckets looked up
  std::size_t candidates = 0;       // rows taken from buckets (before de-duplication)
};

// The fallback rule's estimate for one batch of queries, in estimated nanoseconds per query.
struct MihPlan {
  bool use_flat = false;
  double flat_ns = 0;         // N * words * flat_ns_per_word
  double mih_ns = 0;          // mean over the sampled queries (or the exact probe count, radius search)
  std::size_t sampled = 0;    // queries run to measure mih_ns (k-NN)
};

// The cost model behind the fallback rule, in estimated nanoseconds on one core. A flat scan costs
// flat_ns_per_word for each 64-bit word of each code. Multi-index hashing costs probe_ns per bucket
// looked up (a random read of the table offsets) plus, per row taken from a bucket, candidate_ns
// when the table stores the codes (K <= 64), otherwise candidate_fetch_ns (a random read of the
// code matrix) + candidate_ns_per_word per code word. Multi-index hashing is chosen only when its
// estimate is below mih_margin times the flat scan's: the flat scan's cost is certain, the estimate
// is not. Defaults were measured on the development machine (see docs/multi-index.md).
struct MihCostModel {
  double flat_ns_per_word = 0.1;
  double probe_ns = 30.0;
  double candidate_ns = 2.0;
  double candidate_fetch_ns = 30.0;
  double candidate_ns_per_word = 0.5;
  double mih_margin = 0.5;
};

// Exact k-NN and radius search by multi-index hashing (Norouzi, Punjani & Fleet, "Fast search in
// Hamming space with multi-index hashing", CVPR 2012). The K bits are cut into m disjoint
// substrings (SubstringLayout), each indexed by a table from substring value to rows
// (SubstringTable). Pigeonhole: if two codes differ in at most r bits, some substring differs in at
// most floor(r / m) bits; so the codes within r of a query are among the rows of the table buckets
// near the query's substrings, and every candidate is verified with its full Hamming distance.
//
// k-NN grows the search radius substring by substring: after substring j has been searched to
// radius s (substrings < j to s, the others to s - 1), every code within m*s + j of the query has
// been seen; the search stops once k verified codes lie within that radius. Results are exactly the
// flat scan's: ordered by distance, then id; -1 padding when fewer than k codes exist.
//
// Fallback rule (MihStrategy::Automatic): multi-index hashing pays per bucket probed and per
// candidate, a flat scan per code (MihCostModel). For a batch of more than 16 queries, plan_search
// runs 16 of them (evenly spaced) by multi-index hashing under the cost model; unless their mean
// estimated cost is below half the flat scan's, the whole batch is scanned flat. Otherwise (and for
// batches of at most 16) every query runs multi-index hashing with the flat scan's cost as its
// budget, and a query that exceeds it is finished by a flat scan of its own, so no query costs much
// more than its budget plus one flat scan. Radius search decides from the exact number of buckets the radius
// enumerates, then applies the same per-query budget. k >= N and radius >= K always scan flat.
//
// The flat scan is FlatIndex (a view over this index's codes and ids). The index copies the codes
// and ids (ids below 2^63, as FlatIndex requires), or borrows them (borrowing()); it is immutable and
// safe to search from many threads.
class MultiIndexHashing : public BinaryIndex {
 public:
  // ids: one per code, or empty for 0..N-1. substrings: 0 = SubstringLayout::automatic_substrings.
  MultiIndexHashing(CodeSpan codes, std::span<const std::uint64_t> ids, std::size_t substrings = 0);
  // The same over codes and ids (one per code) that outlive the index, such as an index file's
  // mapping: they are not copied. `tables`: the substring tables, already built or stored in the
  // file (one per substring of SubstringLayout(K, substrings)); empty = build them.
  static std::unique_ptr<MultiIndexHashing> borrowing(CodeSpan codes, std::span<const std::uint64_t> ids,
                                                      std::size_t substrings = 0,
                                                      std::vector<SubstringTable> tables = {});

  std::size_t size() const override { return codes_.count; }
  std::size_t bits() const override { return layout_.bits(); }
  std::size_t substrings() const { return layout_.count(); }
  const SubstringLayout& layout() const { return layout_; }
  std::size_t table_bytes() const;  // memory of the substring tables (not the codes and ids)
  const std::vector<SubstringTable>& tables() const { return tables_; }

  KnnResult search(CodeSpan queries, std::size_t k, const SearchOptions& options = {}) const override;
  RadiusResult range_search(CodeSpan queries, int radius, const SearchOptions& options = {}) const override;

  KnnResult search(CodeSpan queries, std::size_t k, const SearchOptions& options, MihStrategy strategy,
                   MihSearchStats* stats = nullptr) const;
  RadiusResult range_search(CodeSpan queries, int radius, const SearchOptions& options, MihStrategy strategy,
                            MihSearchStats* stats = nullptr) const;

  // The fallback rule for a batch of k-NN queries (see above).
  MihPlan plan_search(CodeSpan queries, std::size_t k) const;
  // The fallback rule for radius search: exact bucket count of the radius, no sampling.
  MihPlan plan_range_search(int radius) const;

  const MihCostModel& cost_model() const { return cost_; }

 private:
  friend class MihSearcher;

  struct Borrow {};
  MultiIndexHashing(Borrow, CodeSpan codes, std::span<const std::uint64_t> ids, std::size_t substrings,
                    std::vector<SubstringTable> tables);
  void build();
  void check_queries(CodeSpan queries) const;
  double flat_ns_per_query() const;

  CodeMatrix owned_codes_;
  std::vector<std::uint64_t> owned_ids_;
  CodeSpan codes_;
  std::span<const std::uint64_t> ids_;
  SubstringLayout layout_;
  std::vector<SubstringTable> tables_;
  std::unique_ptr<FlatIndex> flat_;
  MihCostModel cost_;
};

}  // namespace shrewd
