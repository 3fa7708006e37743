#include "shrewd/index/shard_set.hpp"

#include <exception>
#include <fmt/format.h>
#include <thread>

#include "shrewd/common/error.hpp"
#include "shrewd/index/shard_merge.hpp"

namespace shrewd {

ShardedIndex::ShardedIndex(std::vector<NamedShard> shards) : shards_(std::move(shards)) {
  if (shards_.empty()) fail("sharded index", "needs at least one shard");
  bits_ = shards_[0].index->bits();
  for (const NamedShard& shard : shards_) {
    if (shard.index->bits() != bits_)
      fail(shard.name, fmt::format("holds {}-bit codes but {} holds {}-bit codes",
                                   shard.index->bits(), shards_[0].name, bits_));
    size_ += shard.index->size();
  }
}

template <class Result, class Ask>
std::vector<Result> ShardedIndex::ask_all(Ask&& ask) const {
  std::vector<Result> answers(shards_.size());
  std::vector<std::exception_ptr> errors(shards_.size());
  auto run = [&](std::size_t i) {
    try {
      answers[i] = ask(*shards_[i].index);
    } catch (...) {
      errors[i] = std::current_exception();
    }
  };
  std::vector<std::thread> threads;
  for (std::size_t i = 1; i < shards_.size(); ++i) threads.emplace_back(run, i);
  run(0);
  for (auto& t : threads) t.join();
  std::string problems;
  std::size_t failed = 0;
  for (std::size_t i = 0; i < shards_.size(); ++i) {
    if (!errors[i]) continue;
    ++failed;
    try {
      std::rethrow_exception(errors[i]);
    } catch (const std::exception& e) {
      problems += fmt::format("{}{}: {}", problems.empty() ? "" : "; ", shards_[i].name, e.what());
    } catch (...) {
      problems += fmt::format("{}{}: unknown failure", problems.empty() ? "" : "; ", shards_[i].name);
    }
  }
  if (failed > 0)
    fail("sharded search", fmt::format("{} of {} shards failed, so there is no complete answer ({})",
                                       failed, shards_.size(), problems));
  return answers;
}

KnnResult ShardedIndex::search(CodeSpan queries, std::size_t k, const SearchOptions& options) const {
  if (queries.bits != bits_)
    fail("sharded search", fmt::format("queries have {} bits but the shards hold {}-bit codes", queries.bits, bits_));
  const auto answers =
      ask_all<KnnResult>([&](const BinaryIndex& shard) { return shard.search(queries, k, options); });
  return merge_knn(answers, k);
}

RadiusResult ShardedIndex::range_search(CodeSpan queries, int radius, const SearchOptions& options) const {
  if (queries.bits != bits_)
    fail("sharded search", fmt::format("queries have {} bits but the shards hold {}-bit codes", queries.bits, bits_));
  const auto answers =
      ask_all<RadiusResult>([&](const BinaryIndex& shard) { return shard.range_search(queries, radius, options); });
  return merge_radius(answers);
}

}  // namespace shrewd
