#include "shrewd/eval/retrieval.hpp"

#include <algorithm>
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
  std::vector<float> gain;
  std::vector<double> ideal;
  std::vector<std::uint32_t> count, relevant_count, offset, placed;
  std::vector<double> group_gain;
  std::vector<TieGroup> groups;
  QueryScores by_index, tie_aware;

  HammingWorkspace(std::size_t database, std::size_t bits, const Cutoffs& cutoffs)
      : distance(database), relevant(database), gain(database), ideal(cutoffs.ahp_at),
        count(bits + 2), relevant_count(bits + 2), offset(bits + 2), placed(database), group_gain(bits + 2) {}
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
        relevance.judge(q, w.relevant, w.gain);
        relevance.ideal_gains(q, self, w.gain, w.ideal);

        // Histogram of distances and of relevant items per distance.
        std::fill(w.count.begin(), w.count.end(), 0u);
        std::fill(w.relevant_count.begin(), w.relevant_count.end(), 0u);
        for (std::size_t j = 0; j < nd; ++j) {
          const std::uint16_t d = w.distance[j];
          ++w.count[d];
          w.relevant_count[d] += w.relevant[j];
        }
        const std::size_t candidates = nd - (self >= 0 ? 1 : 0);
        std::size_t total_relevant = 0;
        for (std::size_t d = 0; d <= bits; ++d) total_relevant += w.relevant_count[d];
        const std::size_t depth = std::min(cutoffs.deepest(), candidates);

        // The distance groups that hold the first `depth` positions, placed by ascending index.
        std::size_t last = 0, placed = 0;
        while (placed + w.count[last] < depth) placed += w.count[last++];
        std::uint32_t next = 0;
        for (std::size_t d = 0; d <= last; ++d) {
          w.offset[d] = next;
          next += w.count[d];
          w.group_gain[d] = 0;
        }
        if (depth > 0)
          for (std::size_t j = 0; j < nd; ++j) {
            const std::uint16_t d = w.distance[j];
            if (d <= last) {
              w.placed[w.offset[d]++] = std::uint32_t(j);
              w.group_gain[d] += w.gain[j];
            }
          }
        w.groups.clear();
        for (std::size_t d = 0; depth > 0 && d <= last; ++d)
          w.groups.push_back({w.count[d], w.relevant_count[d], w.group_gain[d]});

        const QueryTruth truth{w.relevant, w.gain, w.ideal, total_relevant, candidates};
        score_ranking(std::span<const std::uint32_t>(w.placed.data(), depth), truth, cutoffs, w.by_index);
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
    std::vector<float> cosine(nd), gain(nd);
    std::vector<std::uint8_t> relevant(nd);
    std::vector<double> ideal(cutoffs.ahp_at);
    std::vector<std::uint32_t> order;
    order.reserve(nd);
    QueryScores scores;
    for (std::size_t q = chunk_begin * kChunk; q < std::min(nq, chunk_end * kChunk); ++q) {
      const std::int64_t self = options.queries_in_database ? std::int64_t(q) : -1;
      std::fill(cosine.begin(), cosine.end(), 0.0f);
      for (std::size_t k = 0; k < dims; ++k) {
        const float qk = query_columns[k * nq + q];
        const float* column = database_columns.data() + k * nd;
        for (std::size_t j = 0; j < nd; ++j) cosine[j] += qk * column[j];
      }
      order.clear();
      for (std::size_t j = 0; j < nd; ++j)
        if (std::int64_t(j) != self) order.push_back(std::uint32_t(j));
      const std::size_t depth = std::min(cutoffs.deepest(), order.size());
      auto better = [&](std::uint32_t a, std::uint32_t b) {
        return cosine[a] != cosine[b] ? cosine[a] > cosine[b] : a < b;
      };
      if (depth < order.size())
        std::nth_element(order.begin(), order.begin() + std::ptrdiff_t(depth), order.end(), better);
      std::sort(order.begin(), order.begin() + std::ptrdiff_t(depth), better);

      relevance.judge(q, relevant, gain);
      relevance.ideal_gains(q, self, gain, ideal);
      std::size_t total_relevant = 0;
      for (std::size_t j = 0; j < nd; ++j) total_relevant += relevant[j];
      if (self >= 0) total_relevant -= relevant[std::size_t(self)];
      const QueryTruth truth{relevant, gain, ideal, total_relevant, order.size()};
      score_ranking(std::span<const std::uint32_t>(order.data(), depth), truth, cutoffs, scores);
      collector.add(q, scores);
    }
  });
  if (seconds) *seconds = seconds_since(start);
  return collector.finish();
}

}  // namespace shrewd::eval
