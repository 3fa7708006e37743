#include "shrewd/eval/retrieval.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <fmt/format.h>
#include <numeric>

#include "shrewd/codes/hamming.hpp"
#include "shrewd/common/error.hpp"
#include "shrewd/common/parallel.hpp"
#include "shrewd/eval/summary_collector.hpp"

namespace shrewd::eval {

using namespace detail;

namespace {

struct RadiusSums {
  std::vector<double> precision, recall;
  std::vector<std::size_t> empty;
  std::size_t without_relevant = 0;
};

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
  std::vector<double> mistake_gain;  // per group: gain sum of its non-relevant items
  QueryScores by_index, tie_aware;
  MistakeScores mistakes_by_index, mistakes_tie_aware;

  HammingWorkspace(std::size_t database, std::size_t bits, const Cutoffs& cutoffs)
      : distance(database), relevant(database), ideal(cutoffs.ahp_at), histogram(4 * (bits + 2)),
        count(bits + 2), relevant_count(bits + 2), offset(bits + 2), near(database), placed(database),
        near_gain(database), placed_gain(database), group_gain(bits + 2) {}

  std::size_t guess = 0;  // the previous query's cut plus slack: most queries need about the same
  std::size_t found = 0;  // near[0..found): the items at distance <= guess, ascending index

  // count[d] and relevant_count[d] over all database items, and in the same pass the items at
  // distance <= guess (branch-free). Four tables break the chains of increments to the same
  // counter that a single table would serialise on.
  void build_histogram(std::size_t bins) {
    std::fill(histogram.begin(), histogram.end(), 0);
    std::uint64_t *h0 = histogram.data(), *h1 = h0 + bins, *h2 = h1 + bins, *h3 = h2 + bins;
    const std::uint16_t* d = distance.data();
    const std::uint8_t* r = relevant.data();
    std::uint32_t* out = near.data();
    const std::size_t n = distance.size(), n4 = n - n % 4, cut = guess;
    std::size_t m = 0;
    for (std::size_t j = 0; j < n4; j += 4) {
      h0[d[j]] += 1 + (std::uint64_t(r[j]) << 32);
      h1[d[j + 1]] += 1 + (std::uint64_t(r[j + 1]) << 32);
      h2[d[j + 2]] += 1 + (std::uint64_t(r[j + 2]) << 32);
      h3[d[j + 3]] += 1 + (std::uint64_t(r[j + 3]) << 32);
      out[m] = std::uint32_t(j);
      m += d[j] <= cut;
      out[m] = std::uint32_t(j + 1);
      m += d[j + 1] <= cut;
      out[m] = std::uint32_t(j + 2);
      m += d[j + 2] <= cut;
      out[m] = std::uint32_t(j + 3);
      m += d[j + 3] <= cut;
    }
    for (std::size_t j = n4; j < n; ++j) {
      h0[d[j]] += 1 + (std::uint64_t(r[j]) << 32);
      out[m] = std::uint32_t(j);
      m += d[j] <= cut;
    }
    found = m;
    for (std::size_t b = 0; b < bins; ++b) {
      const std::uint64_t sum = h0[b] + h1[b] + h2[b] + h3[b];
      count[b] = std::uint32_t(sum & 0xffffffffu);
      relevant_count[b] = std::uint32_t(sum >> 32);
    }
  }

  // The items at distance <= last with their gains, placed by a stable counting sort on distance:
  // ties end up in ascending database index. Items collected with a larger guess are skipped; a
  // guess below `last` costs one more scan.
  void place_up_to(std::size_t last, std::size_t query, const Relevance& relevance) {
    const std::uint16_t* d = distance.data();
    if (last > guess) {
      found = 0;
      for (std::size_t j = 0; j < distance.size(); ++j) {
        near[found] = std::uint32_t(j);
        found += d[j] <= last;
      }
    } else if (last < guess) {
      std::size_t kept = 0;
      for (std::size_t i = 0; i < found; ++i) {
        near[kept] = near[i];
        kept += d[near[i]] <= last;
      }
      found = kept;
    }
    guess = std::min(last + 3, count.size() - 2);  // slack: a few more items to filter cost less than a rescan
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
  }

  // mistake_gain for the groups 0..last, which lie one after another in `placed`.
  void sum_mistake_gains(std::size_t last) {
    mistake_gain.clear();
    std::size_t at = 0;
    for (std::size_t b = 0; b <= last; ++b) {
      double sum = 0;
      for (const std::size_t end = at + count[b]; at < end; ++at)
        if (!relevant[placed[at]]) sum += placed_gain[at];
      mistake_gain.push_back(sum);
    }
  }
};

}  // namespace

HammingResults evaluate_hamming(CodeSpan queries, CodeSpan database, const Relevance& relevance,
                                const EvalOptions& options) {
  const auto start = std::chrono::steady_clock::now();
  if (queries.bits != database.bits)
    fail("codes", fmt::format("query codes have {} bits but database codes have {}", queries.bits, database.bits));
  check_sizes(queries.count, database.count, relevance, options, "codes");
  const std::size_t bits = database.bits;
  if (options.radius > bits)
    fail("--radius", fmt::format("{} is larger than the code length {}", options.radius, bits));

  const Cutoffs& cutoffs = options.cutoffs;
  const std::size_t nq = queries.count, nd = database.count;
  const std::uint16_t excluded_distance = std::uint16_t(bits + 1);
  const TieTables tables(std::min(cutoffs.deepest(), nd), nd);

  SummaryCollector index_ties(nq, cutoffs), tie_aware(nq, cutoffs);
  const std::vector<std::size_t> depths = options.mistakes ? mistake_depths(cutoffs) : std::vector<std::size_t>{};
  MistakeCollector index_mistakes(nq, depths, kChunk), tie_aware_mistakes(nq, depths, kChunk);
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
        if (options.mistakes) {
          if (depth > 0) w.sum_mistake_gains(last);
          score_ranked_mistakes(std::span<const std::uint32_t>(w.placed.data(), depth),
                                std::span<const float>(w.placed_gain.data(), depth), w.relevant, depths,
                                w.mistakes_by_index);
          score_grouped_mistakes(w.groups, w.mistake_gain, candidates, depths, tables, w.mistakes_tie_aware);
          index_mistakes.add(q, w.mistakes_by_index);
          tie_aware_mistakes.add(q, w.mistakes_tie_aware);
        }

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
  if (options.mistakes) {
    results.index_ties.mistakes = index_mistakes.finish();
    results.tie_aware.mistakes = tie_aware_mistakes.finish();
  }
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

}  // namespace shrewd::eval
