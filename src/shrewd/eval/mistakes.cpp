#include "shrewd/eval/mistakes.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace shrewd::eval {

std::vector<std::size_t> mistake_depths(const Cutoffs& cutoffs) {
  std::vector<std::size_t> depths = cutoffs.precision_at;
  depths.push_back(cutoffs.ahp_at);
  depths.push_back(cutoffs.map_at);
  std::sort(depths.begin(), depths.end());
  depths.erase(std::unique(depths.begin(), depths.end()), depths.end());
  return depths;
}

void MistakeScores::resize(std::size_t depths) {
  distance.assign(depths, 0.0);
  severity.assign(depths, 0.0);
  with_mistake.assign(depths, 0.0);
}

void score_ranked_mistakes(std::span<const std::uint32_t> ranked, std::span<const float> ranked_gain,
                           std::span<const std::uint8_t> relevant, std::span<const std::size_t> depths,
                           MistakeScores& out) {
  out.resize(depths.size());
  std::size_t r = 0, mistakes = 0;
  double gain = 0, mistake_distance = 0;
  for (std::size_t i = 0; i < depths.size(); ++i) {
    const std::size_t k = std::min(depths[i], ranked.size());
    for (; r < k; ++r) {
      const double s = ranked_gain[r];
      gain += s;
      if (!relevant[ranked[r]]) {
        ++mistakes;
        mistake_distance += 1.0 - s;
      }
    }
    out.distance[i] = k ? (double(k) - gain) / double(k) : 0.0;
    out.with_mistake[i] = mistakes ? 1.0 : 0.0;
    out.severity[i] = mistakes ? mistake_distance / double(mistakes) : 0.0;
  }
}

namespace {

// Probabilities below this fraction of the most likely one are left out of the sums over the
// hypergeometric distribution; with values in [0, 1] the error stays below 1e-15.
constexpr double kNegligible = 1e-18;

// E[(S + h mu) / (M + h)] for M >= 1, where h, the mistakes among t slots filled from a group of m
// items holding u mistakes, is hypergeometric. Summed outwards from the mode with the ratio of
// neighbouring probabilities, until the terms become negligible.
double expected_severity(std::size_t m, std::size_t u, std::size_t t, double mistakes_before, double distance_before,
                         double mu, const TieTables& tables) {
  const std::size_t low = t > m - u ? t - (m - u) : 0, high = std::min(t, u);
  const std::size_t mode = std::clamp<std::size_t>((t + 1) * (u + 1) / (m + 2), low, high);
  const double peak =
      std::exp(tables.log_choose(u, mode) + tables.log_choose(m - u, t - mode) - tables.log_choose(m, t));
  const auto term = [&](std::size_t h, double p) {
    return p * (distance_before + double(h) * mu) / (mistakes_before + double(h));
  };
  double sum = term(mode, peak);
  double p = peak;
  for (std::size_t h = mode; h < high && p > kNegligible * peak; ++h) {  // p(h+1) from p(h)
    p *= double(u - h) * double(t - h) / (double(h + 1) * double(m - u - t + h + 1));
    sum += term(h + 1, p);
  }
  p = peak;
  for (std::size_t h = mode; h > low && p > kNegligible * peak; --h) {  // p(h-1) from p(h)
    p *= double(h) * double(m - u - t + h) / (double(u - h + 1) * double(t - h + 1));
    sum += term(h - 1, p);
  }
  return sum;
}

}  // namespace

void score_grouped_mistakes(std::span<const TieGroup> groups, std::span<const double> mistake_gain,
                            std::size_t candidates, std::span<const std::size_t> depths, const TieTables& tables,
                            MistakeScores& out) {
  out.resize(depths.size());
  std::size_t g = 0, before = 0;  // groups and positions wholly ahead of the cut
  double mistakes = 0, mistake_distance = 0, gain = 0;
  for (std::size_t i = 0; i < depths.size(); ++i) {
    const std::size_t k = std::min(depths[i], candidates);
    if (k == 0) continue;
    while (g < groups.size() && before + groups[g].size <= k) {
      const double wrong = double(groups[g].size - groups[g].relevant);
      mistakes += wrong;
      mistake_distance += wrong - mistake_gain[g];
      gain += groups[g].gain;
      before += groups[g].size;
      ++g;
    }
    double expected_gain = gain, severity = mistakes ? mistake_distance / mistakes : 0.0;
    double with_mistake = mistakes ? 1.0 : 0.0;
    if (before < k && g < groups.size()) {  // the group that straddles position k
      const TieGroup& group = groups[g];
      const std::size_t m = group.size, u = m - group.relevant, t = k - before;
      expected_gain += group.gain * double(t) / double(m);
      if (u > 0) {
        const double mu = (double(u) - mistake_gain[g]) / double(u);  // mean D^T of its mistakes
        if (mistakes == 0) {
          // Severity is mu whenever a mistake makes the cut; none does with probability C(m-u, t) / C(m, t).
          const double none =
              t <= m - u ? std::exp(tables.log_choose(m - u, t) - tables.log_choose(m, t)) : 0.0;
          with_mistake = 1.0 - none;
          severity = mu * with_mistake;
        } else {
          severity = expected_severity(m, u, t, mistakes, mistake_distance, mu, tables);
        }
      }
    }
    out.distance[i] = (double(k) - expected_gain) / double(k);
    out.severity[i] = severity;
    out.with_mistake[i] = with_mistake;
  }
}

MistakeCollector::MistakeCollector(std::size_t queries, std::vector<std::size_t> depths, std::size_t chunk)
    : depths_(std::move(depths)), queries_(queries), chunk_(chunk), chunks_((queries + chunk - 1) / chunk) {
  for (Sums& c : chunks_) {
    c.distance.assign(depths_.size(), 0.0);
    c.severity.assign(depths_.size(), 0.0);
    c.with_mistake.assign(depths_.size(), 0.0);
  }
}

void MistakeCollector::add(std::size_t query, const MistakeScores& scores) {
  Sums& c = chunks_[query / chunk_];
  for (std::size_t i = 0; i < depths_.size(); ++i) {
    c.distance[i] += scores.distance[i];
    c.severity[i] += scores.severity[i];
    c.with_mistake[i] += scores.with_mistake[i];
  }
}

MistakeSummary MistakeCollector::finish() const {
  MistakeSummary s;
  s.at = depths_;
  const std::size_t n = depths_.size();
  std::vector<double> distance(n, 0.0), severity(n, 0.0), with_mistake(n, 0.0);
  for (const Sums& c : chunks_)
    for (std::size_t i = 0; i < n; ++i) {
      distance[i] += c.distance[i];
      severity[i] += c.severity[i];
      with_mistake[i] += c.with_mistake[i];
    }
  const double queries = queries_ ? double(queries_) : 1.0;
  for (std::size_t i = 0; i < n; ++i) {
    s.mean_distance.push_back(distance[i] / queries);
    s.severity.push_back(with_mistake[i] > 0 ? severity[i] / with_mistake[i]
                                             : std::numeric_limits<double>::quiet_NaN());
    s.no_mistake_share.push_back(1.0 - with_mistake[i] / queries);
  }
  return s;
}

}  // namespace shrewd::eval
