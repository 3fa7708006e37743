#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>
#include <fmt/format.h>

#include "shrewd/common/error.hpp"
#include "shrewd/common/npy.hpp"
#include "shrewd/common/parallel.hpp"
#include "shrewd/eval/retrieval.hpp"
#include "shrewd/eval/summary_collector.hpp"

namespace shrewd::eval {

using namespace detail;

Features load_features(const std::filesystem::path& path) {
  Features f;
  f.source = path.string();
  f.values = read_npy_matrix_f32(path, f.rows, f.columns);
  return f;
}

namespace {

using Float4 = float __attribute__((vector_size(16)));
constexpr std::size_t kLanes = 4, kQueryBlock = 8;

// Row i scaled to unit length (a zero row stays zero).
void unit_row(const Features& f, std::size_t i, float* out) {
  const float* row = f.values.data() + i * f.columns;
  double norm = 0;
  for (std::size_t k = 0; k < f.columns; ++k) norm += double(row[k]) * row[k];
  const double scale = norm > 0 ? 1.0 / std::sqrt(norm) : 0.0;
  for (std::size_t k = 0; k < f.columns; ++k) out[k] = float(row[k] * scale);
}

// Unit database rows in groups of four items, dimension-major inside a group:
// packed[g * dims + k] holds dimension k of items 4g..4g+3 (zero past the end).
std::vector<Float4> pack_database(const Features& f) {
  const std::size_t groups = (f.rows + kLanes - 1) / kLanes;
  std::vector<Float4> packed(groups * f.columns, Float4{0, 0, 0, 0});
  std::vector<float> row(f.columns);
  for (std::size_t i = 0; i < f.rows; ++i) {
    unit_row(f, i, row.data());
    for (std::size_t k = 0; k < f.columns; ++k) packed[(i / kLanes) * f.columns + k][i % kLanes] = row[k];
  }
  return packed;
}

// Unit query rows q0..q0+nb-1, each value repeated in all four lanes: broadcast[k * 8 + b]
// (queries past nb are zero).
void broadcast_queries(const std::vector<float>& unit_queries, std::size_t dims, std::size_t q0, std::size_t nb,
                       std::vector<Float4>& broadcast) {
  std::fill(broadcast.begin(), broadcast.end(), Float4{0, 0, 0, 0});
  for (std::size_t b = 0; b < nb; ++b)
    for (std::size_t k = 0; k < dims; ++k) {
      const float v = unit_queries[(q0 + b) * dims + k];
      broadcast[k * kQueryBlock + b] = Float4{v, v, v, v};
    }
}

// out[b * nd + j] = cosine of query b of the block and database item j. Eight queries share each
// load of four database values; every cosine is summed over k in order (so the figures do not
// depend on the blocking or the lane).
void block_cosines(const std::vector<Float4>& broadcast, const std::vector<Float4>& packed, std::size_t nd,
                   std::size_t dims, float* out) {
  const std::size_t groups = (nd + kLanes - 1) / kLanes;
  for (std::size_t g = 0; g < groups; ++g) {
    Float4 acc[kQueryBlock] = {};
    const Float4* items = packed.data() + g * dims;
    for (std::size_t k = 0; k < dims; ++k) {
      const Float4 values = items[k];
      const Float4* q = broadcast.data() + k * kQueryBlock;
      for (std::size_t b = 0; b < kQueryBlock; ++b) acc[b] += q[b] * values;
    }
    const std::size_t lanes = std::min(kLanes, nd - g * kLanes);
    for (std::size_t b = 0; b < kQueryBlock; ++b)
      for (std::size_t i = 0; i < lanes; ++i) out[b * nd + g * kLanes + i] = acc[b][i];
  }
}

// Sorts the candidates (all but `self`) by descending cosine, ties by ascending index, far enough
// to know the first `deepest`: each key is the cosine as an order-preserving integer (inverted,
// so that larger cosines come first) above the index. Returns the number of candidates.
std::size_t rank_by_cosine(std::span<const float> cosine, std::int64_t self, std::size_t deepest,
                           std::vector<std::uint64_t>& keys, std::vector<std::uint32_t>& order) {
  std::size_t n = 0;
  for (std::size_t j = 0; j < cosine.size(); ++j) {
    if (std::int64_t(j) == self) continue;
    const float value = cosine[j] == 0.0f ? 0.0f : cosine[j];  // -0 and +0 are the same cosine
    std::uint32_t bits = std::bit_cast<std::uint32_t>(value);
    bits = (bits & 0x80000000u) ? ~bits : (bits | 0x80000000u);  // ascending with the float
    keys[n++] = (std::uint64_t(~bits) << 32) | std::uint64_t(j);
  }
  const std::size_t depth = std::min(deepest, n);
  auto begin = keys.begin(), middle = keys.begin() + std::ptrdiff_t(depth), end = keys.begin() + std::ptrdiff_t(n);
  if (depth < n) std::nth_element(begin, middle, end);
  std::sort(begin, middle);
  for (std::size_t r = 0; r < depth; ++r) order[r] = std::uint32_t(keys[r] & 0xffffffffu);
  return n;
}

}  // namespace

RankingSummary evaluate_cosine(const Features& queries, const Features& database, const Relevance& relevance,
                               const EvalOptions& options, double* seconds) {
  const auto start = std::chrono::steady_clock::now();
  if (queries.columns != database.columns)
    fail(database.source, fmt::format("features have {} columns but the query features {} have {}",
                                      database.columns, queries.source, queries.columns));
  check_sizes(queries.rows, database.rows, relevance, options, "feature rows");
  const Cutoffs& cutoffs = options.cutoffs;
  const std::size_t nq = queries.rows, nd = database.rows, dims = database.columns;
  std::vector<float> unit_queries(nq * dims);
  for (std::size_t i = 0; i < nq; ++i) unit_row(queries, i, unit_queries.data() + i * dims);
  const std::vector<Float4> packed = pack_database(database);

  SummaryCollector collector(nq, cutoffs);
  parallel_for(chunk_count(nq), options.threads, [&](std::size_t chunk_begin, std::size_t chunk_end) {
    std::vector<float> block(kQueryBlock * nd), gain(nd);
    std::vector<Float4> broadcast(dims * kQueryBlock);
    std::vector<std::uint8_t> relevant(nd);
    std::vector<double> ideal(cutoffs.ahp_at);
    std::vector<std::uint64_t> keys(nd);
    std::vector<std::uint32_t> order(nd);
    QueryScores scores;
    const std::size_t q_end = std::min(nq, chunk_end * kChunk);
    for (std::size_t q0 = chunk_begin * kChunk; q0 < q_end; q0 += kQueryBlock) {
      const std::size_t nb = std::min(kQueryBlock, q_end - q0);
      broadcast_queries(unit_queries, dims, q0, nb, broadcast);
      block_cosines(broadcast, packed, nd, dims, block.data());
      for (std::size_t b = 0; b < nb; ++b) {
        const std::size_t q = q0 + b;
        const std::int64_t self = options.queries_in_database ? std::int64_t(q) : -1;
        const std::size_t ranked = rank_by_cosine(std::span<const float>(block.data() + b * nd, nd), self,
                                                  cutoffs.deepest(), keys, order);
        const std::size_t depth = std::min(cutoffs.deepest(), ranked);
        relevance.judge(q, relevant);
        relevance.ideal_gains(q, self, ideal);
        relevance.gains(q, std::span<const std::uint32_t>(order.data(), depth), gain);
        std::size_t total_relevant = 0;
        for (std::size_t j = 0; j < nd; ++j) total_relevant += relevant[j];
        if (self >= 0) total_relevant -= relevant[std::size_t(self)];
        const QueryTruth truth{relevant, ideal, total_relevant, ranked};
        score_ranking(std::span<const std::uint32_t>(order.data(), depth), std::span<const float>(gain.data(), depth),
                      truth, cutoffs, scores);
        collector.add(q, scores);
      }
    }
  });
  if (seconds) *seconds = seconds_since(start);
  return collector.finish();
}

}  // namespace shrewd::eval
