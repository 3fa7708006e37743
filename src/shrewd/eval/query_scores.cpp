#include "shrewd/eval/query_scores.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "shrewd/common/error.hpp"

namespace shrewd::eval {

std::size_t Cutoffs::deepest() const {
  std::size_t k = std::max(map_at, ahp_at);
  for (auto c : precision_at) k = std::max(k, c);
  return k;
}

void Cutoffs::validate() const {
  if (map_at < 1) fail("--map-at", "must be at least 1");
  if (ahp_at < 2) fail("--ahp-at", "must be at least 2 (AHP is the area under HP@1..HP@K)");
  for (auto c : precision_at)
    if (c < 1) fail("--precision-at", "every cutoff must be at least 1");
}

void QueryScores::resize(const Cutoffs& cutoffs) {
  precision.assign(cutoffs.precision_at.size(), 0.0);
  recall.assign(cutoffs.precision_at.size(), 0.0);
  hp.assign(cutoffs.ahp_at, 0.0);
}

double trapezoid_ahp(std::span<const double> hp) {
  if (hp.empty()) return 0.0;
  double sum = 0;
  for (double v : hp) sum += v;
  return (sum - (hp.front() + hp.back()) / 2) / double(hp.size());
}

namespace {

double ratio(double part, double whole) { return whole > 0 ? part / whole : 0.0; }

std::size_t ranked_length(const QueryTruth& truth, const Cutoffs& cutoffs) {
  return std::min(cutoffs.deepest(), truth.candidates);
}

}  // namespace

void score_ranking(std::span<const std::uint32_t> ranked, std::span<const float> ranked_gain,
                   const QueryTruth& truth, const Cutoffs& cutoffs, QueryScores& out) {
  out.resize(cutoffs);
  const std::size_t n = std::min(ranked.size(), ranked_length(truth, cutoffs));
  const std::size_t map_k = std::min(cutoffs.map_at, n);
  const std::size_t ahp_k = std::min(cutoffs.ahp_at, n);
  const std::size_t cuts = cutoffs.precision_at.size();

  std::size_t hits = 0, hits_at_map = 0;
  double gains = 0, ap_sum = 0;
  for (std::size_t r = 1; r <= n; ++r) {
    const std::uint32_t j = ranked[r - 1];
    const bool relevant = truth.relevant[j] != 0;
    hits += relevant;
    if (r <= map_k && relevant) ap_sum += double(hits) / double(r);
    if (r == map_k) hits_at_map = hits;
    if (r <= ahp_k) {
      gains += ranked_gain[r - 1];
      out.hp[r - 1] = ratio(gains, truth.ideal[r - 1]);
    }
    for (std::size_t c = 0; c < cuts; ++c)
      if (r == std::min(cutoffs.precision_at[c], n)) {
        out.precision[c] = double(hits) / double(r);
        out.recall[c] = ratio(double(hits), double(truth.total_relevant));
      }
  }
  for (std::size_t k = ahp_k + 1; k <= cutoffs.ahp_at; ++k) out.hp[k - 1] = ratio(gains, truth.ideal[k - 1]);
  out.average_precision = hits_at_map ? ap_sum / double(hits_at_map) : 0.0;
  out.ahp = trapezoid_ahp(out.hp);
}

TieTables::TieTables(std::size_t positions, std::size_t population)
    : harmonic_(positions + 1, 0.0), log_factorial_(population + 1, 0.0) {
  for (std::size_t n = 1; n <= positions; ++n) harmonic_[n] = harmonic_[n - 1] + 1.0 / double(n);
  for (std::size_t n = 1; n <= population; ++n) log_factorial_[n] = log_factorial_[n - 1] + std::log(double(n));
}

namespace {

// Expected hits and gain sum in the first p positions: whole groups count fully, the group that
// holds position p contributes its mean times the slots it gets.
void expected_prefix(std::span<const TieGroup> groups, std::size_t p, double& hits, double& gain) {
  hits = gain = 0;
  std::size_t before = 0;
  for (const TieGroup& g : groups) {
    if (before >= p) break;
    if (g.size == 0) continue;
    const std::size_t take = std::min(g.size, p - before);
    hits += double(g.relevant) * double(take) / double(g.size);
    gain += g.gain * double(take) / double(g.size);
    before += take;
  }
}

// Expected sum of rel(a+i) * (relevant among positions 1..a+i) / (a+i) over the t positions
// a+1..a+t filled in random order with h relevant items, `before` relevant items ahead of them:
//   sum_i (h/t) * (before + 1 + (i-1)(h-1)/(t-1)) / (a+i)
// = (h/t) * ((before+1) * H1 + (h-1)/(t-1) * H2),  H1 = sum_i 1/(a+i),  H2 = sum_i (i-1)/(a+i) = t - (a+1) H1.
double positions_term(std::size_t a, std::size_t t, std::size_t h, std::size_t before, const TieTables& tables) {
  if (h == 0 || t == 0) return 0.0;
  const double h1 = tables.harmonic(a + t) - tables.harmonic(a);
  if (t == 1) return double(h) * double(before + 1) / double(a + 1);
  const double h2 = double(t) - double(a + 1) * h1;
  return double(h) / double(t) * (double(before + 1) * h1 + double(h - 1) / double(t - 1) * h2);
}

}  // namespace

double expected_average_precision(std::span<const TieGroup> groups, std::size_t k, const TieTables& tables) {
  std::size_t a = 0, before = 0;  // positions and relevant items ahead of the current group
  double whole = 0;               // expected numerator from the groups wholly inside the top k
  for (const TieGroup& g : groups) {
    if (a >= k) break;
    if (g.size == 0) continue;
    if (a + g.size <= k) {
      whole += positions_term(a, g.size, g.relevant, before, tables);
      a += g.size;
      before += g.relevant;
      continue;
    }
    // The group that straddles position k: t of its m items make the cut; the number of relevant
    // ones among them is hypergeometric, and R_k (the divisor) depends on it.
    const std::size_t m = g.size, x = g.relevant, t = k - a;
    const std::size_t h_min = t > m - x ? t - (m - x) : 0, h_max = std::min(t, x);
    double expected = 0;
    for (std::size_t h = h_min; h <= h_max; ++h) {
      if (before + h == 0) continue;
      const double p = std::exp(tables.log_choose(x, h) + tables.log_choose(m - x, t - h) - tables.log_choose(m, t));
      expected += p * (whole + positions_term(a, t, h, before, tables)) / double(before + h);
    }
    return expected;
  }
  return before ? whole / double(before) : 0.0;
}

void score_tie_groups(std::span<const TieGroup> groups, const QueryTruth& truth, const Cutoffs& cutoffs,
                      const TieTables& tables, QueryScores& out) {
  out.resize(cutoffs);
  const std::size_t n = ranked_length(truth, cutoffs);
  double hits = 0, gain = 0;
  for (std::size_t c = 0; c < cutoffs.precision_at.size(); ++c) {
    const std::size_t k = std::min(cutoffs.precision_at[c], n);
    if (k == 0) continue;
    expected_prefix(groups, k, hits, gain);
    out.precision[c] = hits / double(k);
    out.recall[c] = ratio(hits, double(truth.total_relevant));
  }

  // HP@k for k = 1..K in one walk over the groups.
  std::size_t g = 0, before = 0;
  double gain_before = 0;
  for (std::size_t k = 1; k <= cutoffs.ahp_at; ++k) {
    const std::size_t p = std::min(k, n);
    while (g < groups.size() && before + groups[g].size < p) {
      before += groups[g].size;
      gain_before += groups[g].gain;
      ++g;
    }
    double expected_gain = gain_before;
    if (g < groups.size() && groups[g].size > 0 && p > before)
      expected_gain += groups[g].gain * double(p - before) / double(groups[g].size);
    out.hp[k - 1] = ratio(expected_gain, truth.ideal[k - 1]);
  }
  out.ahp = trapezoid_ahp(out.hp);
  out.average_precision = expected_average_precision(groups, std::min(cutoffs.map_at, n), tables);
}

}  // namespace shrewd::eval
