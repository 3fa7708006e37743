#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "shrewd/index/binary_index.hpp"

namespace shrewd {

// One shard of a sharded index: any BinaryIndex (an opened shard file, a remote shard server)
// and a name for error messages ("shard 2 of 4 (10.0.0.7:7002)").
struct NamedShard {
  std::string name;
  std::unique_ptr<BinaryIndex> index;
};

// Exact search over shards holding disjoint ids: every query batch goes to all shards at once
// (one thread per shard) and their answers are merged (merge_knn, merge_radius), so the result
// is exactly the one index over all codes would give. If any shard fails (a dead server, a
// timeout, a malformed answer) the search fails with an Error naming that shard: there is never
// a partial answer.
class ShardedIndex : public BinaryIndex {
 public:
  // At least one shard; all of the same bits.
  explicit ShardedIndex(std::vector<NamedShard> shards);

  std::size_t size() const override { return size_; }
  std::size_t bits() const override { return bits_; }
  std::size_t shards() const { return shards_.size(); }
  const NamedShard& shard(std::size_t i) const { return shards_[i]; }

  // options go to every shard (threads per shard where the shard searches in this process).
  KnnResult search(CodeSpan queries, std::size_t k, const SearchOptions& options = {}) const override;
  RadiusResult range_search(CodeSpan queries, int radius, const SearchOptions& options = {}) const override;

 private:
  template <class Result, class Ask>
  std::vector<Result> ask_all(Ask&& ask) const;

  std::vector<NamedShard> shards_;
  std::size_t size_ = 0;
  std::size_t bits_ = 0;
};

}  // namespace shrewd
