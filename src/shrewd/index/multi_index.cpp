#include "shrewd/index/multi_index.hpp"

#include <algorithm>
#include <fmt/format.h>
#include <string>

#include "shrewd/common/error.hpp"
#include "shrewd/common/parallel.hpp"
#include "shrewd/index/hamming_ball.hpp"
#include "shrewd/index/mih_searcher.hpp"

namespace shrewd {
namespace {

constexpr std::size_t kPlanSample = 16;  // queries the k-NN fallback rule runs before deciding

SubstringLayout checked_layout(CodeSpan codes, std::size_t substrings) {
  check_code_bits(codes.bits, "multi-index hashing");
  return SubstringLayout::for_codes(codes.bits, codes.count, substrings);
}

MihSearchStats sum_stats(const std::vector<MihSearchStats>& parts) {
  MihSearchStats total;
  for (const auto& part : parts) {
    total.queries_flat += part.queries_flat;
    total.probes += part.probes;
    total.candidates += part.candidates;
  }
  return total;
}

}  // namespace

MultiIndexHashing::MultiIndexHashing(CodeSpan codes, std::span<const std::uint64_t> ids, std::size_t substrings)
    : owned_codes_(codes.bits), layout_(checked_layout(codes, substrings)) {
  if (!ids.empty() && ids.size() != codes.count)
    fail("multi-index hashing", fmt::format("{} ids given for {} codes", ids.size(), codes.count));
  owned_codes_.append(codes);
  owned_ids_.resize(codes.count);
  for (std::size_t i = 0; i < codes.count; ++i) owned_ids_[i] = ids.empty() ? i : ids[i];
  codes_ = owned_codes_.span();
  ids_ = owned_ids_;
  build();
}

MultiIndexHashing::MultiIndexHashing(Borrow, CodeSpan codes, std::span<const std::uint64_t> ids, std::size_t substrings,
                                     std::vector<SubstringTable> tables)
    : owned_codes_(codes.bits),
      codes_(codes),
      ids_(ids),
      layout_(checked_layout(codes, substrings)),
      tables_(std::move(tables)) {
  if (ids.size() != codes.count)
    fail("multi-index hashing", fmt::format("{} ids given for {} codes", ids.size(), codes.count));
  if (!tables_.empty() && tables_.size() != layout_.count())
    fail("multi-index hashing", fmt::format("{} tables given for {} substrings", tables_.size(), layout_.count()));
  build();
}

std::unique_ptr<MultiIndexHashing> MultiIndexHashing::borrowing(CodeSpan codes, std::span<const std::uint64_t> ids,
                                                                std::size_t substrings,
                                                                std::vector<SubstringTable> tables) {
  return std::unique_ptr<MultiIndexHashing>(new MultiIndexHashing(Borrow{}, codes, ids, substrings, std::move(tables)));
}

void MultiIndexHashing::build() {
  flat_ = std::make_unique<FlatIndex>(codes_, ids_);
  if (!tables_.empty()) return;
  tables_.reserve(layout_.count());
  for (std::size_t j = 0; j < layout_.count(); ++j) tables_.emplace_back(codes_, layout_, j);
}

std::size_t MultiIndexHashing::table_bytes() const {
  std::size_t bytes = 0;
  for (const auto& table : tables_) bytes += table.bytes();
  return bytes;
}

void MultiIndexHashing::check_queries(CodeSpan queries) const {
  if (queries.bits != bits())
    fail("multi-index hashing", fmt::format("queries have {} bits but the index holds {}-bit codes",
                                            queries.bits, bits()));
}

double MultiIndexHashing::flat_ns_per_query() const {
  return cost_.flat_ns_per_word * double(size()) * double(codes_.words_per_code());
}

MihPlan MultiIndexHashing::plan_search(CodeSpan queries, std::size_t k) const {
  check_queries(queries);
  MihPlan plan;
  plan.flat_ns = flat_ns_per_query();
  if (k >= size() || queries.count == 0) {
    plan.use_flat = true;
    plan.mih_ns = plan.flat_ns;
    return plan;
  }
  MihSearcher searcher(*this);
  std::vector<std::int64_t> ids(k);
  std::vector<std::int32_t> distances(k);
  const std::size_t sample = std::min(kPlanSample, queries.count);
  double total = 0;
  for (std::size_t i = 0; i < sample; ++i) {
    const std::size_t q = i * queries.count / sample;
    const bool finished = searcher.knn(queries.code(q), k, plan.flat_ns, ids.data(), distances.data());
    total += finished ? searcher.last_cost_ns() : 2 * plan.flat_ns;  // gave up, then scanned
  }
  plan.sampled = sample;
  plan.mih_ns = total / double(sample);
  plan.use_flat = plan.mih_ns >= cost_.mih_margin * plan.flat_ns;
  return plan;
}

MihPlan MultiIndexHashing::plan_range_search(int radius) const {
  MihPlan plan;
  plan.flat_ns = flat_ns_per_query();
  const std::size_t m = substrings(), r = std::size_t(std::max(radius, 0));
  double probes = 0;
  for (std::size_t j = 0; j < m; ++j) {
    const std::size_t s = r / m + (j <= r % m ? 1 : 0);  // weights 0..s-1 are probed
    for (std::size_t weight = 0; weight < s && weight <= layout_.length(j); ++weight)
      probes += double(binomial(layout_.length(j), weight));
  }
  plan.mih_ns = probes * cost_.probe_ns;
  plan.use_flat = radius >= int(bits()) || plan.mih_ns >= cost_.mih_margin * plan.flat_ns;
  return plan;
}

KnnResult MultiIndexHashing::search(CodeSpan queries, std::size_t k, const SearchOptions& options) const {
  return search(queries, k, options, MihStrategy::Automatic);
}

RadiusResult MultiIndexHashing::range_search(CodeSpan queries, int radius, const SearchOptions& options) const {
  return range_search(queries, radius, options, MihStrategy::Automatic);
}

KnnResult MultiIndexHashing::search(CodeSpan queries, std::size_t k, const SearchOptions& options,
                                    MihStrategy strategy, MihSearchStats* stats) const {
  check_queries(queries);
  KnnResult result = KnnResult::unfilled(queries.count, k);
  if (k == 0 || queries.count == 0) return result;

  bool all_flat = strategy == MihStrategy::Flat || k >= size();
  if (strategy == MihStrategy::Automatic && !all_flat && queries.count > kPlanSample)
    all_flat = plan_search(queries, k).use_flat;
  if (all_flat) {
    if (stats) *stats = {true, queries.count, 0, 0};
    return flat_->search(queries, k, options);
  }
  const double budget = strategy == MihStrategy::Automatic ? flat_ns_per_query() : -1.0;

  std::vector<MihSearchStats> block_stats(queries.count);
  parallel_for(queries.count, options.threads, [&](std::size_t begin, std::size_t end) {
    MihSearcher searcher(*this);
    std::size_t flat = 0;
    for (std::size_t q = begin; q < end; ++q) {
      std::int64_t* ids = result.ids.data() + q * k;
      std::int32_t* distances = result.distances.data() + q * k;
      if (!searcher.knn(queries.code(q), k, budget, ids, distances)) {  // over budget: scan this one
        const KnnResult scanned = flat_->search(queries.rows(q, 1), k, SearchOptions{1});
        std::copy(scanned.ids.begin(), scanned.ids.end(), ids);
        std::copy(scanned.distances.begin(), scanned.distances.end(), distances);
        ++flat;
      }
    }
    block_stats[begin] = {false, flat, searcher.probes(), searcher.candidates()};
  });
  if (stats) *stats = sum_stats(block_stats);
  return result;
}

RadiusResult MultiIndexHashing::range_search(CodeSpan queries, int radius, const SearchOptions& options,
                                             MihStrategy strategy, MihSearchStats* stats) const {
  check_queries(queries);
  if (radius < 0) fail("multi-index hashing", fmt::format("search radius {} is negative", radius));
  const bool all_flat = strategy == MihStrategy::Flat || radius >= int(bits()) ||
                        (strategy == MihStrategy::Automatic && plan_range_search(radius).use_flat);
  if (all_flat) {
    if (stats) *stats = {true, queries.count, 0, 0};
    return flat_->range_search(queries, radius, options);
  }
  const double budget = strategy == MihStrategy::Automatic ? flat_ns_per_query() : -1.0;

  std::vector<std::vector<std::int64_t>> ids(queries.count);
  std::vector<std::vector<std::int32_t>> distances(queries.count);
  std::vector<MihSearchStats> block_stats(queries.count);
  parallel_for(queries.count, options.threads, [&](std::size_t begin, std::size_t end) {
    MihSearcher searcher(*this);
    std::size_t flat = 0;
    for (std::size_t q = begin; q < end; ++q)
      if (!searcher.range(queries.code(q), radius, budget, ids[q], distances[q])) {  // over budget
        RadiusResult scanned = flat_->range_search(queries.rows(q, 1), radius, SearchOptions{1});
        ids[q] = std::move(scanned.ids);
        distances[q] = std::move(scanned.distances);
        ++flat;
      }
    block_stats[begin] = {false, flat, searcher.probes(), searcher.candidates()};
  });

  RadiusResult result;
  result.offsets.assign(queries.count + 1, 0);
  for (std::size_t q = 0; q < queries.count; ++q)
    result.offsets[q + 1] = result.offsets[q] + std::int64_t(ids[q].size());
  result.ids.reserve(std::size_t(result.offsets.back()));
  result.distances.reserve(std::size_t(result.offsets.back()));
  for (std::size_t q = 0; q < queries.count; ++q) {
    result.ids.insert(result.ids.end(), ids[q].begin(), ids[q].end());
    result.distances.insert(result.distances.end(), distances[q].begin(), distances[q].end());
  }
  if (stats) *stats = sum_stats(block_stats);
  return result;
}

}  // namespace shrewd
