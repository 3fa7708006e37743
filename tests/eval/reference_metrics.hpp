#pragma once

// A plain, slow reference for the ranking metrics of docs/method.md §8: full sorts and the
// definitions written out directly, sharing no code with the library.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <numeric>
#include <vector>

namespace shrewd::eval::testing {

struct ReferenceScores {
  double ap = 0, ahp = 0;
  std::vector<double> precision, recall, hp;
};

// `order`: every candidate, best first. rel(j) and gain(j) judge database item j.
inline ReferenceScores reference_scores(const std::vector<std::size_t>& order, const std::vector<int>& rel,
                                        const std::vector<double>& gain, std::size_t map_at, std::size_t ahp_at,
                                        const std::vector<std::size_t>& precision_at) {
  ReferenceScores s;
  const std::size_t n = order.size();
  std::size_t total = 0;
  for (std::size_t j : order) total += std::size_t(rel[j]);
  auto hits_in = [&](std::size_t k) {
    std::size_t h = 0;
    for (std::size_t r = 0; r < std::min(k, n); ++r) h += std::size_t(rel[order[r]]);
    return h;
  };
  for (std::size_t k : precision_at) {
    const std::size_t kk = std::min(k, n);
    s.precision.push_back(kk ? double(hits_in(kk)) / double(kk) : 0.0);
    s.recall.push_back(total ? double(hits_in(kk)) / double(total) : 0.0);
  }
  const std::size_t kk = std::min(map_at, n);
  double sum = 0;
  for (std::size_t r = 1; r <= kk; ++r)
    if (rel[order[r - 1]]) sum += double(hits_in(r)) / double(r);
  s.ap = hits_in(kk) ? sum / double(hits_in(kk)) : 0.0;

  std::vector<double> sorted;
  for (std::size_t j : order) sorted.push_back(gain[j]);
  std::sort(sorted.begin(), sorted.end(), std::greater<>());
  for (std::size_t k = 1; k <= ahp_at; ++k) {
    const std::size_t m = std::min(k, n);
    double got = 0, best = 0;
    for (std::size_t r = 0; r < m; ++r) {
      got += gain[order[r]];
      best += sorted[r];
    }
    s.hp.push_back(best > 0 ? got / best : 0.0);
  }
  double area = 0;
  for (double v : s.hp) area += v;
  s.ahp = (area - (s.hp.front() + s.hp.back()) / 2) / double(ahp_at);
  return s;
}

// Candidates sorted by (distance, index), leaving out `excluded` (-1: none).
inline std::vector<std::size_t> reference_order(const std::vector<int>& distance, long excluded = -1) {
  std::vector<std::size_t> order;
  for (std::size_t j = 0; j < distance.size(); ++j)
    if (long(j) != excluded) order.push_back(j);
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return distance[a] != distance[b] ? distance[a] < distance[b] : a < b;
  });
  return order;
}

// Calls visit(order) for every order of the candidates that keeps distances ascending: all
// permutations inside each group of equal distance.
inline void for_each_tie_order(const std::vector<std::size_t>& sorted, const std::vector<int>& distance,
                               const std::function<void(const std::vector<std::size_t>&)>& visit) {
  std::vector<std::pair<std::size_t, std::size_t>> groups;  // [begin, end)
  for (std::size_t i = 0; i < sorted.size();) {
    std::size_t e = i;
    while (e < sorted.size() && distance[sorted[e]] == distance[sorted[i]]) ++e;
    groups.push_back({i, e});
    i = e;
  }
  std::vector<std::size_t> order = sorted;
  std::function<void(std::size_t)> recurse = [&](std::size_t g) {
    if (g == groups.size()) {
      visit(order);
      return;
    }
    auto begin = order.begin() + std::ptrdiff_t(groups[g].first), end = order.begin() + std::ptrdiff_t(groups[g].second);
    std::sort(begin, end);
    do recurse(g + 1);
    while (std::next_permutation(begin, end));
  };
  recurse(0);
}

}  // namespace shrewd::eval::testing
