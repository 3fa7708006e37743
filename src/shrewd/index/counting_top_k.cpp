#include "shrewd/index/counting_top_k.hpp"

#include <algorithm>

namespace shrewd {

void order_by_distance_then_id(const Hits& hits, std::size_t bits, const IdMap& ids, std::int64_t* ids_out,
                               std::int32_t* distances_out) {
  std::vector<std::size_t> start(bits + 2, 0);
  for (std::uint16_t d : hits.distances) ++start[d + 1];
  for (std::size_t d = 1; d < start.size(); ++d) start[d] += start[d - 1];
  std::vector<std::size_t> next(start.begin(), start.end() - 1);
  for (std::size_t h = 0; h < hits.size(); ++h) {
    const std::size_t slot = next[hits.distances[h]]++;
    ids_out[slot] = std::int64_t(ids[hits.positions[h]]);
    distances_out[slot] = hits.distances[h];
  }
  if (!ids.ascending)
    for (std::size_t d = 0; d <= bits; ++d) std::sort(ids_out + start[d], ids_out + start[d + 1]);
}

CountingTopK::CountingTopK(std::size_t k, std::size_t bits, IdMap ids)
    : k_(k),
      bits_(bits),
      ids_(ids),
      capacity_(k + std::max<std::size_t>(k, 1024)),
      limit_(int(bits)),
      histogram_(bits + 1) {}

void CountingTopK::reset() {
  hits_.clear();
  limit_ = int(bits_);
}

void CountingTopK::compact() {
  const std::size_t n = hits_.size();
  if (n <= k_) return;
  std::fill(histogram_.begin(), histogram_.end(), 0);
  for (std::uint16_t d : hits_.distances) ++histogram_[d];
  // t: distance of the k-th nearest; `below` candidates are nearer, `wanted` are taken at t.
  std::size_t t = 0, below = 0;
  while (below + histogram_[t] < k_) below += histogram_[t++];
  const std::size_t wanted = k_ - below;

  // Which of the candidates at distance t to keep: the first ones when position order is id order,
  // otherwise the `wanted` smallest ids (cut = the wanted-th smallest id at t).
  std::uint64_t cut = 0;
  std::size_t below_cut_left = 0;
  if (!ids_.ascending) {
    tie_ids_.clear();
    for (std::size_t h = 0; h < n; ++h)
      if (hits_.distances[h] == t) tie_ids_.push_back(ids_[hits_.positions[h]]);
    std::nth_element(tie_ids_.begin(), tie_ids_.begin() + std::ptrdiff_t(wanted - 1), tie_ids_.end());
    cut = tie_ids_[wanted - 1];
    below_cut_left = wanted - std::size_t(std::count_if(tie_ids_.begin(), tie_ids_.end(),
                                                        [&](std::uint64_t id) { return id < cut; }));
  }
  std::size_t kept = 0, taken_at_t = 0;
  for (std::size_t h = 0; h < n; ++h) {
    const std::uint16_t d = hits_.distances[h];
    bool keep = d < t;
    if (d == t) {
      if (ids_.ascending) {
        keep = taken_at_t < wanted;
      } else {
        const std::uint64_t id = ids_[hits_.positions[h]];
        keep = id < cut || (id == cut && below_cut_left > 0);
        if (keep && id == cut) --below_cut_left;
      }
      taken_at_t += keep;
    }
    if (keep) {
      hits_.positions[kept] = hits_.positions[h];
      hits_.distances[kept] = d;
      ++kept;
    }
  }
  hits_.positions.resize(kept);
  hits_.distances.resize(kept);
  // A later candidate at distance t has a larger position, so with ascending ids it loses the tie.
  limit_ = ids_.ascending ? int(t) - 1 : int(t);
}

void CountingTopK::absorb(const CountingTopK& later) {
  for (std::size_t h = 0; h < later.hits_.size(); ++h) {
    if (free_slots() == 0) compact();
    if (later.hits_.distances[h] <= limit_) push(later.hits_.positions[h], later.hits_.distances[h]);
  }
}

void CountingTopK::write(std::int64_t* ids_out, std::int32_t* distances_out) {
  compact();
  const std::size_t n = hits_.size();
  order_by_distance_then_id(hits_, bits_, ids_, ids_out, distances_out);
  std::fill(ids_out + n, ids_out + k_, -1);
  std::fill(distances_out + n, distances_out + k_, -1);
}

}  // namespace shrewd
