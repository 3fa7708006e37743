#include "shrewd/index/flat_index.hpp"

#include <algorithm>
#include <fmt/format.h>
#include <limits>
#include <thread>

#include "shrewd/codes/hamming.hpp"
#include "shrewd/common/error.hpp"
#include "shrewd/common/parallel.hpp"

namespace shrewd {
namespace {

// Database block: about 256 KiB of codes, which stays in a core's L2 cache while a group of
// queries scans it. Query group: enough queries to reuse the block, few enough to keep their
// candidate buffers small.
constexpr std::size_t kBlockBytes = 256 * 1024;
constexpr std::size_t kQueryGroup = 64;
constexpr std::size_t kScratch = 4096;

std::size_t block_codes(std::size_t words_per_code) {
  return std::max<std::size_t>(kHammingBatch, kBlockBytes / (8 * words_per_code)) / kHammingBatch * kHammingBatch;
}

std::size_t resolve_threads(int threads) {
  if (threads > 0) return std::size_t(threads);
  return std::max(1u, std::thread::hardware_concurrency());
}

// Sink for range search: keeps every hit within a fixed radius.
struct RadiusSink {
  int radius;
  Hits hits;
  int admit_limit() const { return radius; }
  std::size_t free_slots() const { return kScratch; }
  void make_room() {}
  void push(std::uint64_t position, std::uint16_t distance) { hits.push(position, distance); }
};

}  // namespace

FlatIndex::FlatIndex(CodeSpan codes, std::span<const std::uint64_t> ids, std::span<const std::uint64_t> deleted)
    : codes_(codes) {
  ids_.ids = ids;
  init(deleted);
}

FlatIndex::FlatIndex(CodeMatrix codes, std::vector<std::uint64_t> ids)
    : owned_codes_(std::move(codes)), owned_ids_(std::move(ids)), codes_(owned_codes_.span()) {
  ids_.ids = owned_ids_;
  init({});
}

void FlatIndex::init(std::span<const std::uint64_t> deleted) {
  const std::size_t n = codes_.count;
  check_code_bits(codes_.bits, "flat index");
  if (!ids_.ids.empty() && ids_.ids.size() != n)
    fail("flat index", fmt::format("{} ids for {} codes", ids_.ids.size(), n));
  if (!deleted.empty() && deleted.size() != bitmap_words(n))
    fail("flat index", fmt::format("deleted bitmap has {} words, expected {}", deleted.size(), bitmap_words(n)));
  deleted_ = deleted;
  ids_.ascending = true;
  for (std::size_t i = 0; i < ids_.ids.size(); ++i) {
    if (ids_.ids[i] > std::uint64_t(std::numeric_limits<std::int64_t>::max()))
      fail("flat index", fmt::format("id {} of code {} does not fit in int64 (ids must be below 2^63)",
                                     ids_.ids[i], i));
    if (i > 0 && ids_.ids[i] <= ids_.ids[i - 1]) ids_.ascending = false;
  }
  live_ = n - bitmap_count(deleted_);
}

void FlatIndex::check_queries(CodeSpan queries) const {
  if (queries.bits != codes_.bits)
    fail("search", fmt::format("queries have {} bits but the index holds {}-bit codes", queries.bits, codes_.bits));
}

// Feeds sink every non-deleted code of [first, end) within its admit limit, block by block.
template <class Sink>
void FlatIndex::scan(const std::uint64_t* query, std::size_t first, std::size_t end, Sink& sink) const {
  std::uint32_t positions[kScratch];
  std::uint16_t distances[kScratch];
  const std::size_t block = block_codes(codes_.words_per_code());
  for (std::size_t block_first = first; block_first < end; block_first += block) {
    const CodeSpan codes = codes_.rows(block_first, std::min(block, end - block_first));
    std::size_t start = 0;
    while (start < codes.count) {
      if (sink.free_slots() < kHammingBatch) sink.make_room();
      const std::size_t room = std::min(kScratch, sink.free_slots());
      const HammingScan found = hamming_within(query, codes.rows(start, codes.count - start), sink.admit_limit(),
                                               positions, distances, room);
      const std::uint64_t base = block_first + start;
      for (std::size_t h = 0; h < found.found; ++h)
        if (!is_deleted(base + positions[h])) sink.push(base + positions[h], distances[h]);
      start += found.scanned;
    }
  }
}

KnnResult FlatIndex::search(CodeSpan queries, std::size_t k, const SearchOptions& options) const {
  check_queries(queries);
  KnnResult result = KnnResult::unfilled(queries.count, k);
  if (k == 0 || queries.count == 0 || live_ == 0) return result;

  const std::size_t n = codes_.count;
  const std::size_t threads = std::min(resolve_threads(options.threads), std::max<std::size_t>(1, n / 4096));
  const std::size_t block = block_codes(codes_.words_per_code());

  if (queries.count >= threads) {
    // Threads split the queries; each walks the database block by block for a group of queries.
    parallel_for(queries.count, int(threads), [&](std::size_t q_begin, std::size_t q_end) {
      std::vector<CountingTopK> top(std::min(kQueryGroup, q_end - q_begin), CountingTopK(k, codes_.bits, ids_));
      for (std::size_t g = q_begin; g < q_end; g += kQueryGroup) {
        const std::size_t group = std::min(kQueryGroup, q_end - g);
        for (std::size_t q = 0; q < group; ++q) top[q].reset();
        for (std::size_t b = 0; b < n; b += block)
          for (std::size_t q = 0; q < group; ++q) scan(queries.code(g + q), b, std::min(n, b + block), top[q]);
        for (std::size_t q = 0; q < group; ++q)
          top[q].write(&result.ids[(g + q) * k], &result.distances[(g + q) * k]);
      }
    });
    return result;
  }

  // Fewer queries than threads: threads split the database, then the partial top-k merge in order.
  std::vector<std::vector<CountingTopK>> parts(threads);
  parallel_for(threads, int(threads), [&](std::size_t p_begin, std::size_t p_end) {
    for (std::size_t p = p_begin; p < p_end; ++p) {
      parts[p].assign(queries.count, CountingTopK(k, codes_.bits, ids_));
      const std::size_t first = n * p / threads, end = n * (p + 1) / threads;
      for (std::size_t b = first; b < end; b += block)
        for (std::size_t q = 0; q < queries.count; ++q)
          scan(queries.code(q), b, std::min(end, b + block), parts[p][q]);
    }
  });
  for (std::size_t q = 0; q < queries.count; ++q) {
    for (std::size_t p = 1; p < threads; ++p) parts[0][q].absorb(parts[p][q]);
    parts[0][q].write(&result.ids[q * k], &result.distances[q * k]);
  }
  return result;
}

RadiusResult FlatIndex::range_search(CodeSpan queries, int radius, const SearchOptions& options) const {
  check_queries(queries);
  if (radius < 0) fail("range search", fmt::format("radius {} is negative", radius));
  const std::size_t n = codes_.count;
  const std::size_t q_count = queries.count;
  const std::size_t threads = std::min(resolve_threads(options.threads), std::max<std::size_t>(1, n / 4096));
  const std::size_t parts = q_count >= threads ? 1 : threads;  // database parts per query

  // hits[q * parts + p]: hits of query q in database part p, in position order.
  std::vector<RadiusSink> sinks(q_count * parts, RadiusSink{radius, {}});
  if (parts == 1) {
    parallel_for(q_count, int(threads), [&](std::size_t q_begin, std::size_t q_end) {
      const std::size_t block = block_codes(codes_.words_per_code());
      for (std::size_t g = q_begin; g < q_end; g += kQueryGroup)
        for (std::size_t b = 0; b < n; b += block)
          for (std::size_t q = g; q < std::min(q_end, g + kQueryGroup); ++q)
            scan(queries.code(q), b, std::min(n, b + block), sinks[q]);
    });
  } else {
    parallel_for(parts, int(threads), [&](std::size_t p_begin, std::size_t p_end) {
      for (std::size_t p = p_begin; p < p_end; ++p)
        for (std::size_t q = 0; q < q_count; ++q)
          scan(queries.code(q), n * p / parts, n * (p + 1) / parts, sinks[q * parts + p]);
    });
  }

  RadiusResult result;
  result.offsets.assign(q_count + 1, 0);
  for (std::size_t q = 0; q < q_count; ++q) {
    std::size_t found = 0;
    for (std::size_t p = 0; p < parts; ++p) found += sinks[q * parts + p].hits.size();
    result.offsets[q + 1] = result.offsets[q] + std::int64_t(found);
  }
  result.ids.resize(std::size_t(result.offsets[q_count]));
  result.distances.resize(result.ids.size());
  parallel_for(q_count, int(threads), [&](std::size_t q_begin, std::size_t q_end) {
    Hits merged;
    for (std::size_t q = q_begin; q < q_end; ++q) {
      const Hits* hits = &sinks[q * parts].hits;
      if (parts > 1) {
        merged.clear();
        for (std::size_t p = 0; p < parts; ++p) {
          const Hits& part = sinks[q * parts + p].hits;
          merged.positions.insert(merged.positions.end(), part.positions.begin(), part.positions.end());
          merged.distances.insert(merged.distances.end(), part.distances.begin(), part.distances.end());
        }
        hits = &merged;
      }
      const std::size_t at = std::size_t(result.offsets[q]);
      // data() + at, not &v[at]: with no hits at all the vectors are empty (at is then 0).
      order_by_distance_then_id(*hits, codes_.bits, ids_, result.ids.data() + at, result.distances.data() + at);
    }
  });
  return result;
}

}  // namespace shrewd
