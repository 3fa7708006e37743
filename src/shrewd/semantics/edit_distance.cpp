#include "shrewd/semantics/edit_distance.hpp"

#include <algorithm>
#include <utility>

namespace shrewd::semantics {

namespace {

// Edit distance, or a value > limit as soon as it is certain to exceed limit.
std::size_t bounded_edit_distance(std::string_view a, std::string_view b, std::size_t limit) {
  const std::size_t length_gap = a.size() > b.size() ? a.size() - b.size() : b.size() - a.size();
  if (length_gap > limit) return limit + 1;
  std::vector<std::size_t> before(b.size() + 1), previous(b.size() + 1), current(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) previous[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    current[0] = i;
    std::size_t row_minimum = current[0];
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
      current[j] = std::min({previous[j] + 1, current[j - 1] + 1, substitution});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        current[j] = std::min(current[j], before[j - 2] + 1);
      row_minimum = std::min(row_minimum, current[j]);
    }
    if (row_minimum > limit) return limit + 1;
    std::swap(before, previous);
    std::swap(previous, current);
  }
  return previous[b.size()];
}

}  // namespace

std::size_t edit_distance(std::string_view a, std::string_view b) {
  return bounded_edit_distance(a, b, std::max(a.size(), b.size()));
}

std::vector<std::string> closest_names(std::string_view query, const std::vector<std::string_view>& candidates,
                                       std::size_t count) {
  const std::size_t limit = std::max<std::size_t>(3, query.size() / 2);
  std::vector<std::pair<std::size_t, std::size_t>> scored;  // (distance, candidate position)
  for (std::size_t i = 0; i < candidates.size(); ++i) {
    const std::size_t distance = bounded_edit_distance(query, candidates[i], limit);
    if (distance <= limit) scored.emplace_back(distance, i);
  }
  const std::size_t kept = std::min(count, scored.size());
  std::partial_sort(scored.begin(), scored.begin() + static_cast<std::ptrdiff_t>(kept), scored.end());
  std::vector<std::string> names;
  for (std::size_t i = 0; i < kept; ++i) names.emplace_back(candidates[scored[i].second]);
  return names;
}

}  // namespace shrewd::semantics
