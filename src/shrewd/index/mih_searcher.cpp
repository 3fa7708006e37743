#include "shrewd/index/mih_searcher.hpp"

#include <algorithm>

#include "shrewd/codes/hamming.hpp"
#include "shrewd/index/hamming_ball.hpp"

namespace shrewd {

MihSearcher::MihSearcher(const MultiIndexHashing& index)
    : index_(index),
      query_substrings_(index.substrings()),
      visited_((index.size() + 63) / 64, 0),
      by_distance_(index.bits() + 1) {
  const auto& cost = index.cost_model();
  candidate_ns_ = cost.candidate_ns + cost.candidate_ns_per_word * double(words_for_bits(index.bits()));
}

void MihSearcher::start(const std::uint64_t* query) {
  query_ = query;
  for (std::size_t j = 0; j < query_substrings_.size(); ++j) query_substrings_[j] = index_.layout_.extract(query, j);
  cost_ns_ = 0;
}

void MihSearcher::clear() {
  for (auto& rows : by_distance_) {
    for (std::uint32_t row : rows) visited_[row / 64] &= ~(std::uint64_t{1} << (row % 64));
    rows.clear();
  }
  visited_count_ = 0;
}

bool MihSearcher::visit_bucket(std::size_t substring, std::uint64_t value, double budget_ns) {
  const auto rows = index_.tables_[substring].lookup(value);
  ++probes_;
  candidates_ += rows.size();
  cost_ns_ += index_.cost_.probe_ns + candidate_ns_ * double(rows.size());
  if (budget_ns >= 0 && cost_ns_ > budget_ns) return false;
  const CodeSpan codes = index_.codes_.span();
  const std::size_t words = codes.words_per_code();
  for (std::uint32_t row : rows) __builtin_prefetch(codes.code(row));
  for (std::uint32_t row : rows) {
    std::uint64_t& bits = visited_[row / 64];
    const std::uint64_t bit = std::uint64_t{1} << (row % 64);
    if (bits & bit) continue;
    bits |= bit;
    ++visited_count_;
    by_distance_[hamming_distance(query_, codes.code(row), words)].push_back(row);
  }
  return true;
}

bool MihSearcher::probe_at_distance(std::size_t substring, std::size_t weight, double budget_ns) {
  return for_each_at_distance(query_substrings_[substring], index_.layout_.length(substring), weight,
                              [&](std::uint64_t value) { return visit_bucket(substring, value, budget_ns); });
}

bool MihSearcher::id_less(std::uint32_t a, std::uint32_t b) const {
  const auto& ids = index_.ids_;
  return ids[a] != ids[b] ? ids[a] < ids[b] : a < b;
}

std::size_t MihSearcher::emit_by_id(std::vector<std::uint32_t>& rows, std::size_t limit, std::int32_t distance,
                                    std::int64_t* ids, std::int32_t* distances) const {
  const std::size_t take = std::min(limit, rows.size());
  auto less = [&](std::uint32_t a, std::uint32_t b) { return id_less(a, b); };
  if (take < rows.size())
    std::partial_sort(rows.begin(), rows.begin() + std::ptrdiff_t(take), rows.end(), less);
  else
    std::sort(rows.begin(), rows.end(), less);
  for (std::size_t i = 0; i < take; ++i) {
    ids[i] = std::int64_t(index_.ids_[rows[i]]);
    distances[i] = distance;
  }
  return take;
}

bool MihSearcher::knn(const std::uint64_t* query, std::size_t k, double budget_ns, std::int64_t* ids,
                      std::int32_t* distances) {
  const std::size_t n = index_.size(), bits = index_.bits(), m = index_.substrings();
  const std::size_t wanted = std::min(k, n);
  start(query);
  // After substring j is searched to radius s (earlier ones to s, later ones to s - 1), a code not
  // yet seen differs in >= s + 1 bits in substrings 0..j and >= s bits in the others, so every code
  // within m*s + j has been seen: `found` counts the verified codes within that radius.
  std::size_t found = 0;
  bool complete = wanted == 0;
  for (std::size_t s = 0; !complete && s <= index_.layout_.max_length(); ++s) {
    for (std::size_t j = 0; j < m && !complete; ++j) {
      if (!probe_at_distance(j, s, budget_ns)) {
        clear();
        return false;
      }
      const std::size_t radius = m * s + j;
      if (radius <= bits) found += by_distance_[radius].size();
      complete = found >= wanted || visited_count_ == n;
    }
  }
  std::size_t written = 0;
  for (std::size_t d = 0; d <= bits && written < k; ++d)
    written += emit_by_id(by_distance_[d], k - written, std::int32_t(d), ids + written, distances + written);
  std::fill(ids + written, ids + k, -1);
  std::fill(distances + written, distances + k, -1);
  clear();
  return true;
}

bool MihSearcher::range(const std::uint64_t* query, int radius, double budget_ns, std::vector<std::int64_t>& ids,
                        std::vector<std::int32_t>& distances) {
  const std::size_t m = index_.substrings();
  const std::size_t r = std::size_t(radius);
  start(query);
  // radius = m*s + a: substrings 0..a to radius s and the others to s - 1 cover every code within
  // radius (a code missed by all differs in >= (a+1)(s+1) + (m-a-1)s = radius + 1 bits).
  const std::size_t s = r / m, a = r % m;
  for (std::size_t j = 0; j < m; ++j) {
    const std::size_t weights = j <= a ? s + 1 : s;  // probe weights 0..weights-1
    for (std::size_t weight = 0; weight < weights && weight <= index_.layout_.length(j); ++weight)
      if (!probe_at_distance(j, weight, budget_ns)) {
        clear();
        return false;
      }
  }
  for (std::size_t d = 0; d <= r && d <= index_.bits(); ++d) {
    const std::size_t before = ids.size();
    ids.resize(before + by_distance_[d].size());
    distances.resize(ids.size());
    emit_by_id(by_distance_[d], by_distance_[d].size(), std::int32_t(d), ids.data() + before,
               distances.data() + before);
  }
  clear();
  return true;
}

}  // namespace shrewd
