#include "shrewd/index/mih_searcher.hpp"

#include <algorithm>
#include <bit>
#include <limits>
#include <span>

#include "shrewd/index/hamming_ball.hpp"

namespace shrewd {
namespace {

constexpr std::size_t kLookupLag = 12;  // values enumerated ahead of the lookup
constexpr std::size_t kVerifyLag = 6;   // non-empty buckets looked up ahead of their verification
constexpr std::size_t kRing = 16;       // > both lags
constexpr std::size_t kUnlimited = std::numeric_limits<std::size_t>::max();

}  // namespace

MihSearcher::MihSearcher(const MultiIndexHashing& index)
    : index_(index),
      words_(words_for_bits(index.bits())),
      query_substrings_(index.substrings()),
      rounds_(index.substrings(), kUnlimited),
      by_distance_(index.bits() + 1) {
  const auto& cost = index.cost_model();
  candidate_ns_ = words_ == 1 ? cost.candidate_ns
                              : cost.candidate_fetch_ns + cost.candidate_ns_per_word * double(words_);
}

void MihSearcher::start(const std::uint64_t* query) {
  query_ = query;
  for (std::size_t j = 0; j < query_substrings_.size(); ++j) query_substrings_[j] = index_.layout_.extract(query, j);
  cost_ns_ = 0;
}

void MihSearcher::clear() {
  for (auto& rows : by_distance_) rows.clear();
  found_ = 0;
  kept_within_bound_ = 0;
}

bool MihSearcher::first_met_here(const std::uint64_t* x, std::size_t substring, std::size_t weight) const {
  const SubstringLayout& layout = index_.layout_;
  for (std::size_t j = 0; j < layout.count(); ++j) {
    if (j == substring) continue;
    const auto d = std::size_t(std::popcount(layout.extract(x, j)));
    if (d < rounds_[j] && (d < weight || (d == weight && j < substring))) return false;
  }
  return true;
}

// The k-NN answer lies within bound_, the distance of the k-th nearest kept so far, so farther
// candidates are dropped before their row is read.
void MihSearcher::keep(std::uint32_t row, std::size_t distance) {
  by_distance_[distance].push_back(row);
  ++found_;
  ++kept_within_bound_;
  while (bound_ > 0 && kept_within_bound_ - by_distance_[bound_].size() >= wanted_) {
    kept_within_bound_ -= by_distance_[bound_].size();
    --bound_;
  }
}

void MihSearcher::verify(const std::uint32_t* row, const std::uint64_t* code, std::size_t substring,
                         std::size_t weight) {
  std::uint64_t x[kMaxBits / 64];
  std::size_t distance = 0;
  for (std::size_t w = 0; w < words_; ++w) {
    x[w] = query_[w] ^ code[w];
    distance += std::size_t(std::popcount(x[w]));
  }
  if (distance <= bound_ && first_met_here(x, substring, weight)) keep(*row, distance);
}

void MihSearcher::verify_bucket(const SubstringBucket& bucket, std::size_t substring, std::size_t weight) {
  if (bucket.codes) {  // codes stored in the table (K <= 64): the row is read only for a kept candidate
    for (std::size_t r = 0; r < bucket.rows.size(); ++r) verify(&bucket.rows[r], bucket.codes + r, substring, weight);
    return;
  }
  const CodeSpan codes = index_.codes_;
  for (std::uint32_t row : bucket.rows) __builtin_prefetch(codes.code(row));
  for (const std::uint32_t& row : bucket.rows) verify(&row, codes.code(row), substring, weight);
}

// A software pipeline hides the cache misses: a value's table offsets are prefetched when it is
// enumerated and read kLookupLag values later; its bucket's codes are prefetched then and verified
// kVerifyLag non-empty buckets later.
bool MihSearcher::probe_round(std::size_t substring, std::size_t weight, double budget_ns) {
  const SubstringTable& table = index_.tables_[substring];
  std::uint64_t values[kRing];
  SubstringBucket buckets[kRing];
  std::size_t values_in = 0, values_out = 0, buckets_in = 0, buckets_out = 0;
  const auto look_up_next = [&]() {
    const SubstringBucket bucket = table.lookup(values[values_out++ % kRing]);
    ++probes_;
    candidates_ += bucket.rows.size();
    cost_ns_ += index_.cost_.probe_ns + candidate_ns_ * double(bucket.rows.size());
    if (budget_ns >= 0 && cost_ns_ > budget_ns) return false;
    if (bucket.rows.empty()) return true;
    __builtin_prefetch(bucket.codes ? static_cast<const void*>(bucket.codes) : bucket.rows.data());
    buckets[buckets_in++ % kRing] = bucket;
    if (buckets_in - buckets_out > kVerifyLag) verify_bucket(buckets[buckets_out++ % kRing], substring, weight);
    return true;
  };
  const bool finished = for_each_at_distance(query_substrings_[substring], index_.layout_.length(substring), weight,
                                             [&](std::uint64_t value) {
                                               table.prefetch(value);
                                               values[values_in++ % kRing] = value;
                                               return values_in - values_out <= kLookupLag || look_up_next();
                                             });
  if (!finished) return false;
  while (values_out < values_in)
    if (!look_up_next()) return false;
  while (buckets_out < buckets_in) verify_bucket(buckets[buckets_out++ % kRing], substring, weight);
  return true;
}

std::size_t MihSearcher::emit_by_id(std::vector<std::uint32_t>& rows, std::size_t limit, std::int32_t distance,
                                    std::int64_t* ids, std::int32_t* distances) const {
  const auto& id_of = index_.ids_;
  const auto less = [&](std::uint32_t a, std::uint32_t b) { return id_of[a] != id_of[b] ? id_of[a] < id_of[b] : a < b; };
  const std::size_t take = std::min(limit, rows.size());
  if (take < rows.size())
    std::partial_sort(rows.begin(), rows.begin() + std::ptrdiff_t(take), rows.end(), less);
  else
    std::sort(rows.begin(), rows.end(), less);
  for (std::size_t i = 0; i < take; ++i) {
    ids[i] = std::int64_t(id_of[rows[i]]);
    distances[i] = distance;
  }
  return take;
}

bool MihSearcher::knn(const std::uint64_t* query, std::size_t k, double budget_ns, std::int64_t* ids,
                      std::int32_t* distances) {
  const std::size_t n = index_.size(), bits = index_.bits(), m = index_.substrings();
  const std::size_t wanted = std::min(k, n);
  start(query);
  std::fill(rounds_.begin(), rounds_.end(), kUnlimited);
  wanted_ = wanted;
  bound_ = bits;
  // After round (s, j) every code within m*s + j of the query has been met: one not yet met differs
  // in >= s + 1 bits in substrings 0..j and >= s bits in the others. `within` counts the verified
  // codes within that radius; once it reaches k, the k nearest are known (ties included).
  std::size_t within = 0;
  bool complete = wanted == 0;
  for (std::size_t s = 0; !complete && s <= index_.layout_.max_length(); ++s)
    for (std::size_t j = 0; j < m && !complete; ++j) {
      if (!probe_round(j, s, budget_ns)) {
        clear();
        return false;
      }
      const std::size_t radius = m * s + j;
      if (radius <= bits) within += by_distance_[radius].size();
      complete = within >= wanted || found_ == n;
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
  const std::size_t m = index_.substrings(), r = std::size_t(radius);
  start(query);
  // radius = m*s + a: substrings 0..a searched to s and the others to s - 1 meet every code within
  // radius (a code met by none differs in >= (a+1)(s+1) + (m-a-1)s = radius + 1 bits).
  const std::size_t s = r / m, a = r % m;
  wanted_ = kUnlimited;
  bound_ = r;
  for (std::size_t j = 0; j < m; ++j) rounds_[j] = std::min(index_.layout_.length(j) + 1, j <= a ? s + 1 : s);
  for (std::size_t weight = 0; weight <= s; ++weight)
    for (std::size_t j = 0; j < m; ++j)
      if (weight < rounds_[j] && !probe_round(j, weight, budget_ns)) {
        clear();
        return false;
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
