#include "shrewd/eval/retrieval.hpp"

#include <algorithm>
#include <bit>
#include <chrono>
#include <cmath>
#include <numeric>

#include "shrewd/codes/hamming.hpp"
#include "shrewd/common/error.hpp"
#include "shrewd/common/npy.hpp"
#include "shrewd/common/parallel.hpp"

namespace shrewd::eval {

namespace {

// Queries are processed in fixed chunks whose sums are added in chunk order, so every figure is
// the same whatever the number of threads.
constexpr std::size_t kChunk = 64;

std::size_t chunk_count(std::size_t queries) { return (queries + kChunk - 1) / kChunk; }

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// Per-query AP/AHP and per-chunk sums of P@k, R@k and HP@k for one ranking convention.
class SummaryCollector {
 public:
  SummaryCollector(std::size_t queries, const Cutoffs& cutoffs)
      : cutoffs_(cutoffs), queries_(queries), chunks_(chunk_count(queries)) {
    average_precision_.assign(queries, 0.0);
    ahp_.assign(queries, 0.0);
    for (auto& c : chunks_) {
      c.precision.assign(cutoffs.precision_at.size(), 0.0);
      c.recall.assign(cutoffs.precision_at.size(), 0.0);
      c.hp.assign(cutoffs.ahp_at, 0.0);
    }
  }

  void add(std::size_t query, const QueryScores& scores) {
    average_precision_[query] = scores.average_precision;
    ahp_[query] = scores.ahp;
    Sums& c = chunks_[query / kChunk];
    for (std::size_t i = 0; i < c.precision.size(); ++i) {
      c.precision[i] += scores.precision[i];
      c.recall[i] += scores.recall[i];
    }
    for (std::size_t k = 0; k < c.hp.size(); ++k) c.hp[k] += scores.hp[k];
  }

  RankingSummary finish() {
    RankingSummary s;
    const double n = queries_ ? double(queries_) : 1.0;
    s.precision_at.assign(cutoffs_.precision_at.size(), 0.0);
    s.recall_at.assign(cutoffs_.precision_at.size(), 0.0);
    s.hp_curve.assign(cutoffs_.ahp_at, 0.0);
    for (const Sums& c : chunks_) {
      for (std::size_t i = 0; i < c.precision.size(); ++i) {
        s.precision_at[i] += c.precision[i];
        s.recall_at[i] += c.recall[i];
      }
      for (std::size_t k = 0; k < c.hp.size(); ++k) s.hp_curve[k] += c.hp[k];
    }
    for (auto& v : s.precision_at) v /= n;
    for (auto& v : s.recall_at) v /= n;
    for (auto& v : s.hp_curve) v /= n;
    for (double v : average_precision_) s.map += v;
    for (double v : ahp_) s.mahp += v;
    s.map /= n;
    s.mahp /= n;
    s.average_precision = std::move(average_precision_);
    s.ahp = std::move(ahp_);
    return s;
  }

 private:
  struct Sums {
    std::vector<double> precision, recall, hp;
  };
  const Cutoffs& cutoffs_;
  std::size_t queries_;
  std::vector<Sums> chunks_;
  std::vector<double> average_precision_, ahp_;
};

struct RadiusSums {
  std::vector<double> precision, recall;
  std::vector<std::size_t> empty;
  std::size_t without_relevant = 0;
};

void check_sizes(std::size_t queries, std::size_t database, const Relevance& relevance, const EvalOptions& options,
                 const std::string& what) {
  if (relevance.query_count() != queries)
    fail("query labels", "have " + std::to_string(relevance.query_count()) + " entries but there are " +
                             std::to_string(queries) + " query " + what);
  if (relevance.database_count() != database)
    fail("database labels", "have " + std::to_string(relevance.database_count()) + " entries but there are " +
                                std::to_string(database) + " database " + what);
  if (options.queries_in_database && queries > database)
    fail("queries in database", std::to_string(queries) + " queries cannot all be database items (" +
                                    std::to_string(database) + " items)");
  if (database >= std::size_t(UINT32_MAX)) fail("database", "too many items for evaluation (2^32 - 1 at most)");
  options.cutoffs.validate();
}

struct HammingWorkspace {
  std::vector<std::uint16_t> distance;
  std::vector<std::uint8_t> relevant;
  std::vector<double> ideal;
  std::vector<std::uint64_t> histogram;  // 4 interleaved tables of (relevant << 32) + count per distance
  std::vector<std::uint32_t> count, relevant_count, offset;
  std::vector<std::uint32_t> near, placed;  // candidates up to the cut distance: by index, then by rank
  std::vector<float> near_gain, placed_gain;
  std::vector<double> group_gain;
  std::vector<TieGroup> groups;
  QueryScores by_index, tie_aware;

  HammingWorkspace(std::size_t database, std::size_t bits, const Cutoffs& cutoffs)
      : distance(database), relevant(database), ideal(cutoffs.ahp_at), histogram(4 * (bits + 2)),
        count(bits + 2), relevant_count(bits + 2), offset(bits + 2), near(database), placed(database),
        near_gain(database), placed_gain(database), group_gain(bits + 2) {}

  // count[d] and relevant_count[d] over all database items. Four tables break the chains of
  // increments to the same counter that a single table would serialise on.
  void build_histogram(std::size_t bins) {
    std::fill(histogram.begin(), histogram.end(), 0);
    std::uint64_t *h0 = histogram.data(), *h1 = h0 + bins, *h2 = h1 + bins, *h3 = h2 + bins;
    const std::uint16_t* d = distance.data();
    const std::uint8_t* r = relevant.data();
    const std::size_t n = distance.size(), n4 = n - n % 4;
    for (std::size_t j = 0; j < n4; j += 4) {
      h0[d[j]] += 1 + (std::uint64_t(r[j]) << 32);
      h1[d[j + 1]] += 1 + (std::uint64_t(r[j + 1]) << 32);
      h2[d[j + 2]] += 1 + (std::uint64_t(r[j + 2]) << 32);
      h3[d[j + 3]] += 1 + (std::uint64_t(r[j + 3]) << 32);
    }
    for (std::size_t j = n4; j < n; ++j) h0[d[j]] += 1 + (std::uint64_t(r[j]) << 32);
    for (std::size_t b = 0; b < bins; ++b) {
      const std::uint64_t sum = h0[b] + h1[b] + h2[b] + h3[b];
      count[b] = std::uint32_t(sum & 0xffffffffu);
      relevant_count[b] = std::uint32_t(sum >> 32);
    }
  }

  // The items at distance <= last in ascending index order (a branch-free scan), their gains,
  // then a stable counting sort by distance: ties end up in ascending database index.
  std::size_t place_up_to(std::size_t last, std::size_t query, const Relevance& relevance) {
    std::size_t found = 0;
    const std::uint16_t* d = distance.data();
    for (std::size_t j = 0; j < distance.size(); ++j) {
      near[found] = std::uint32_t(j);
      found += d[j] <= last;
    }
    relevance.gains(query, std::span<const std::uint32_t>(near.data(), found), near_gain);
    std::uint32_t next = 0;
    for (std::size_t b = 0; b <= last; ++b) {
      offset[b] = next;
      next += count[b];
      group_gain[b] = 0;
    }
    for (std::size_t i = 0; i < found; ++i) {
      const std::uint16_t b = d[near[i]];
      const std::uint32_t at = offset[b]++;
      placed[at] = near[i];
      placed_gain[at] = near_gain[i];
      group_gain[b] += near_gain[i];
    }
    return found;
  }
};

}  // namespace

HammingResults evaluate_hamming(CodeSpan queries, CodeSpan database, const Relevance& relevance,
                                const EvalOptions& options) {
  const auto start = std::chrono::steady_clock::now();
  if (queries.bits != database.bits)
    fail("codes", "query codes have " + std::to_string(queries.bits) + " bits but database codes have " +
                      std::to_string(database.bits));
  check_sizes(queries.count, database.count, relevance, options, "codes");
  const std::size_t bits = database.bits;
  if (options.radius > bits)
    fail("--radius", std::to_string(options.radius) + " is larger than the code length " + std::to_string(bits));

  const Cutoffs& cutoffs = options.cutoffs;
  const std::size_t nq = queries.count, nd = database.count;
  const std::uint16_t excluded_distance = std::uint16_t(bits + 1);
  const TieTables tables(cutoffs.deepest(), nd);

  SummaryCollector index_ties(nq, cutoffs), tie_aware(nq, cutoffs);
  HammingResults results;
  results.radius_precision.assign(nq, 0.0);
  results.empty_ball.assign(nq, 0);
  std::vector<RadiusSums> radius_sums(chunk_count(nq));

  parallel_for(chunk_count(nq), options.threads, [&](std::size_t chunk_begin, std::size_t chunk_end) {
    HammingWorkspace w(nd, bits, cutoffs);
    for (std::size_t chunk = chunk_begin; chunk < chunk_end; ++chunk) {
      RadiusSums& rs = radius_sums[chunk];
      rs.precision.assign(bits + 1, 0.0);
      rs.recall.assign(bits + 1, 0.0);
      rs.empty.assign(bits + 1, 0);
      for (std::size_t q = chunk * kChunk; q < std::min(nq, (chunk + 1) * kChunk); ++q) {
        const std::int64_t self = options.queries_in_database ? std::int64_t(q) : -1;
        hamming_distances(queries.code(q), database, w.distance.data());
        if (self >= 0) w.distance[std::size_t(self)] = excluded_distance;
        relevance.judge(q, w.relevant);
        relevance.ideal_gains(q, self, w.ideal);
        w.build_histogram(bits + 2);
        const std::size_t candidates = nd - (self >= 0 ? 1 : 0);
        std::size_t total_relevant = 0;
        for (std::size_t d = 0; d <= bits; ++d) total_relevant += w.relevant_count[d];
        const std::size_t depth = std::min(cutoffs.deepest(), candidates);

        // The distance groups that hold the first `depth` positions.
        std::size_t last = 0, before = 0;
        while (before + w.count[last] < depth) before += w.count[last++];
        w.groups.clear();
        if (depth > 0) {
          w.place_up_to(last, q, relevance);
          for (std::size_t d = 0; d <= last; ++d)
            w.groups.push_back({w.count[d], w.relevant_count[d], w.group_gain[d]});
        }

        const QueryTruth truth{w.relevant, w.ideal, total_relevant, candidates};
        score_ranking(std::span<const std::uint32_t>(w.placed.data(), depth),
                      std::span<const float>(w.placed_gain.data(), depth), truth, cutoffs, w.by_index);
        score_tie_groups(w.groups, truth, cutoffs, tables, w.tie_aware);
        index_ties.add(q, w.by_index);
        tie_aware.add(q, w.tie_aware);

        // Hamming balls of every radius.
        std::size_t inside = 0, relevant_inside = 0;
        for (std::size_t r = 0; r <= bits; ++r) {
          inside += w.count[r];
          relevant_inside += w.relevant_count[r];
          const double precision = inside ? double(relevant_inside) / double(inside) : 0.0;
          rs.precision[r] += precision;
          rs.recall[r] += total_relevant ? double(relevant_inside) / double(total_relevant) : 0.0;
          rs.empty[r] += inside == 0;
          if (r == options.radius) {
            results.radius_precision[q] = precision;
            results.empty_ball[q] = inside == 0;
          }
        }
        rs.without_relevant += total_relevant == 0;
      }
    }
  });

  results.index_ties = index_ties.finish();
  results.tie_aware = tie_aware.finish();
  const double n = nq ? double(nq) : 1.0;
  results.pr_curve.resize(bits + 1);
  for (std::size_t r = 0; r <= bits; ++r) {
    RadiusPoint& p = results.pr_curve[r];
    p.radius = r;
    std::size_t empty = 0;
    for (const RadiusSums& rs : radius_sums) {
      p.precision += rs.precision[r];
      p.recall += rs.recall[r];
      empty += rs.empty[r];
    }
    p.precision /= n;
    p.recall /= n;
    p.empty_share = double(empty) / n;
  }
  for (const RadiusSums& rs : radius_sums) results.queries_without_relevant += rs.without_relevant;
  results.at_radius = results.pr_curve[options.radius];
  results.seconds = seconds_since(start);
  return results;
}

Features load_features(const std::filesystem::path& path) {
  Features f;
  f.source = path.string();
  f.values = read_npy_matrix_f32(path, f.rows, f.columns);
  return f;
}

namespace {

// Rows scaled to unit length (zero rows stay zero), stored column by column so that one query's
// cosines against the whole database are K vectorisable multiply-adds.
std::vector<float> unit_columns(const Features& f) {
  std::vector<float> out(f.rows * f.columns);
  for (std::size_t i = 0; i < f.rows; ++i) {
    const float* row = f.values.data() + i * f.columns;
    double norm = 0;
    for (std::size_t k = 0; k < f.columns; ++k) norm += double(row[k]) * row[k];
    const double scale = norm > 0 ? 1.0 / std::sqrt(norm) : 0.0;
    for (std::size_t k = 0; k < f.columns; ++k) out[k * f.rows + i] = float(row[k] * scale);
  }
  return out;
}

// Cosines of queries q0..q0+nb-1 against every database item into block[b * nd + j]. Tiles of the
// database stay in cache while the queries of a block reuse them; each cosine is summed over k in
// order, so the result does not depend on the blocking.
constexpr std::size_t kQueryBlock = 8, kTile = 512;

void cosines(const std::vector<float>& query_columns, std::size_t nq, std::size_t q0, std::size_t nb,
             const std::vector<float>& database_columns, std::size_t nd, std::size_t dims, std::vector<float>& block) {
  for (std::size_t t0 = 0; t0 < nd; t0 += kTile) {
    const std::size_t tn = std::min(kTile, nd - t0);
    for (std::size_t b = 0; b < nb; ++b) std::fill_n(block.data() + b * nd + t0, tn, 0.0f);
    for (std::size_t k = 0; k < dims; ++k) {
      const float* column = database_columns.data() + k * nd + t0;
      for (std::size_t b = 0; b < nb; ++b) {
        const float qk = query_columns[k * nq + q0 + b];
        float* out = block.data() + b * nd + t0;
        for (std::size_t t = 0; t < tn; ++t) out[t] += qk * column[t];
      }
    }
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
    fail(database.source, "features have " + std::to_string(database.columns) + " columns but the query features " +
                              queries.source + " have " + std::to_string(queries.columns));
  check_sizes(queries.rows, database.rows, relevance, options, "feature rows");
  const Cutoffs& cutoffs = options.cutoffs;
  const std::size_t nq = queries.rows, nd = database.rows, dims = database.columns;
  const std::vector<float> query_columns = unit_columns(queries), database_columns = unit_columns(database);

  SummaryCollector collector(nq, cutoffs);
  parallel_for(chunk_count(nq), options.threads, [&](std::size_t chunk_begin, std::size_t chunk_end) {
    std::vector<float> block(kQueryBlock * nd), gain(nd);
    std::vector<std::uint8_t> relevant(nd);
    std::vector<double> ideal(cutoffs.ahp_at);
    std::vector<std::uint64_t> keys(nd);
    std::vector<std::uint32_t> order(nd);
    QueryScores scores;
    const std::size_t q_end = std::min(nq, chunk_end * kChunk);
    for (std::size_t q0 = chunk_begin * kChunk; q0 < q_end; q0 += kQueryBlock) {
      const std::size_t nb = std::min(kQueryBlock, q_end - q0);
      cosines(query_columns, nq, q0, nb, database_columns, nd, dims, block);
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
