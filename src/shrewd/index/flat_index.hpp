#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "shrewd/codes/code_matrix.hpp"
#include "shrewd/common/bitmap.hpp"
#include "shrewd/index/binary_index.hpp"
#include "shrewd/index/counting_top_k.hpp"

namespace shrewd {

// Exact search by scanning every code: the reference every other index must agree with.
//
// Queries are processed in groups against blocks of the database small enough to stay in the
// core's cache (cache blocking), each query keeping its k nearest with a CountingTopK; the
// Hamming kernel (hamming_within) filters the block against the query's current k-th distance,
// so almost no code leaves the vector registers. Threads split the queries, or, with fewer
// queries than threads, the database (partial results are then merged).
class FlatIndex : public BinaryIndex {
 public:
  // A view over codes and ids owned elsewhere (e.g. a memory-mapped index file), which must
  // outlive the index. ids: one per code, below 2^63 (results are int64), unique; empty means
  // id = position. deleted: optional bitmap of ceil(N / 64) words, bit i (word i / 64, bit i % 64)
  // set = code i is deleted and never returned.
  explicit FlatIndex(CodeSpan codes, std::span<const std::uint64_t> ids = {},
                     std::span<const std::uint64_t> deleted = {});
  // Owns its codes and ids.
  explicit FlatIndex(CodeMatrix codes, std::vector<std::uint64_t> ids = {});
  FlatIndex(const FlatIndex&) = delete;
  FlatIndex& operator=(const FlatIndex&) = delete;

  std::size_t size() const override { return live_; }  // codes not deleted
  std::size_t bits() const override { return codes_.bits; }
  CodeSpan codes() const { return codes_; }
  const IdMap& ids() const { return ids_; }

  KnnResult search(CodeSpan queries, std::size_t k, const SearchOptions& options = {}) const override;
  RadiusResult range_search(CodeSpan queries, int radius, const SearchOptions& options = {}) const override;

 private:
  void init(std::span<const std::uint64_t> deleted);
  bool is_deleted(std::uint64_t position) const { return bitmap_test(deleted_, position); }
  void check_queries(CodeSpan queries) const;
  template <class Sink>
  void scan(const std::uint64_t* query, std::size_t first, std::size_t end, Sink& sink) const;

  CodeMatrix owned_codes_{8};
  std::vector<std::uint64_t> owned_ids_;
  CodeSpan codes_;
  IdMap ids_;
  std::span<const std::uint64_t> deleted_;
  std::size_t live_ = 0;
};

}  // namespace shrewd
