#include "shrewd/index/shard_merge.hpp"

#include <fmt/format.h>
#include <string>
#include <vector>

#include "shrewd/common/error.hpp"

namespace shrewd {
namespace {

const char* kWhere = "shard merge";

struct Entry {
  std::int32_t distance;
  std::int64_t id;
  bool operator<(const Entry& other) const {
    return distance != other.distance ? distance < other.distance : id < other.id;
  }
};

// A cursor over one part's sorted run of (distance, id) entries for one query.
struct Run {
  const std::int64_t* ids;
  const std::int32_t* distances;
  std::size_t size;
  std::size_t next = 0;
  bool done() const { return next == size || ids[next] < 0; }
  Entry head() const { return {distances[next], ids[next]}; }
};

// Appends up to `limit` entries of the runs' union in (distance, id) order. The runs are few
// (one per shard), so a linear pick of the smallest head beats a heap.
void merge_runs(std::vector<Run>& runs, std::size_t limit, std::vector<Entry>& out) {
  Entry previous{-1, -1};
  for (std::size_t taken = 0; taken < limit; ++taken) {
    Run* best = nullptr;
    for (Run& run : runs) {
      if (run.done()) continue;
      if (!best || run.head() < best->head()) best = &run;
    }
    if (!best) return;
    const Entry entry = best->head();
    if (!(previous < entry))
      fail(kWhere, fmt::format("id {} is returned by two shards: shards must hold disjoint ids", entry.id));
    out.push_back(entry);
    previous = entry;
    ++best->next;
  }
}

void check_sorted(const std::int64_t* ids, const std::int32_t* distances, std::size_t n, std::size_t part) {
  for (std::size_t i = 1; i < n && ids[i] >= 0; ++i)
    if (!(Entry{distances[i - 1], ids[i - 1]} < Entry{distances[i], ids[i]}))
      fail(kWhere, fmt::format("the answer of part {} is not ordered by distance, then id", part));
}

}  // namespace

KnnResult merge_knn(std::span<const KnnResult> parts, std::size_t k) {
  KnnResult merged;
  merged.k = k;
  if (parts.empty()) return merged;
  merged.queries = parts[0].queries;
  for (std::size_t p = 0; p < parts.size(); ++p) {
    const KnnResult& part = parts[p];
    if (part.queries != merged.queries)
      fail(kWhere, fmt::format("part {} answers {} queries, part 0 {}", p, part.queries, merged.queries));
    if (part.ids.size() != part.queries * part.k || part.distances.size() != part.ids.size())
      fail(kWhere, fmt::format("part {} holds {} ids for {} queries of k = {}",
                               p, part.ids.size(), part.queries, part.k));
  }
  merged = KnnResult::unfilled(merged.queries, k);
  std::vector<Run> runs(parts.size(), Run{nullptr, nullptr, 0});
  std::vector<Entry> entries;
  for (std::size_t q = 0; q < merged.queries; ++q) {
    for (std::size_t p = 0; p < parts.size(); ++p) {
      const KnnResult& part = parts[p];
      runs[p] = Run{part.ids.data() + q * part.k, part.distances.data() + q * part.k, part.k};
      check_sorted(runs[p].ids, runs[p].distances, part.k, p);
    }
    entries.clear();
    merge_runs(runs, k, entries);
    for (std::size_t j = 0; j < entries.size(); ++j) {
      merged.ids[q * k + j] = entries[j].id;
      merged.distances[q * k + j] = entries[j].distance;
    }
  }
  return merged;
}

RadiusResult merge_radius(std::span<const RadiusResult> parts) {
  RadiusResult merged;
  merged.offsets.push_back(0);
  if (parts.empty()) return merged;
  const std::size_t queries = parts[0].offsets.empty() ? 0 : parts[0].offsets.size() - 1;
  std::size_t total = 0;
  for (std::size_t p = 0; p < parts.size(); ++p) {
    const RadiusResult& part = parts[p];
    if (part.offsets.size() != queries + 1)
      fail(kWhere, fmt::format("part {} answers {} - 1 queries, part 0 {}", p, part.offsets.size(), queries));
    if (part.offsets.front() != 0 || std::size_t(part.offsets.back()) != part.ids.size() ||
        part.distances.size() != part.ids.size())
      fail(kWhere, fmt::format("part {} has offsets that do not match its {} hits", p, part.ids.size()));
    for (std::size_t q = 0; q < queries; ++q)
      if (part.offsets[q] > part.offsets[q + 1])
        fail(kWhere, fmt::format("part {} has decreasing offsets at query {}", p, q));
    total += part.ids.size();
  }
  merged.offsets.reserve(queries + 1);
  merged.ids.reserve(total);
  merged.distances.reserve(total);
  std::vector<Run> runs(parts.size(), Run{nullptr, nullptr, 0});
  std::vector<Entry> entries;
  for (std::size_t q = 0; q < queries; ++q) {
    std::size_t hits = 0;
    for (std::size_t p = 0; p < parts.size(); ++p) {
      const RadiusResult& part = parts[p];
      const auto first = std::size_t(part.offsets[q]), size = std::size_t(part.offsets[q + 1]) - first;
      runs[p] = Run{part.ids.data() + first, part.distances.data() + first, size};
      check_sorted(runs[p].ids, runs[p].distances, size, p);
      hits += size;
    }
    entries.clear();
    merge_runs(runs, hits, entries);
    for (const Entry& e : entries) {
      merged.ids.push_back(e.id);
      merged.distances.push_back(e.distance);
    }
    merged.offsets.push_back(std::int64_t(merged.ids.size()));
  }
  return merged;
}

}  // namespace shrewd
