#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "shrewd/codes/code_matrix.hpp"
#include "shrewd/common/bitmap.hpp"
#include "shrewd/index/binary_index.hpp"

namespace shrewd::serve {

// An index as the service uses it: the searchable index plus its stored codes and their item ids
// (to search by id and show an item's code). `owner` keeps the memory behind the spans alive (an
// owned matrix or a memory-mapped file), so a snapshot stays valid while someone holds it.
struct LoadedIndex {
  std::shared_ptr<const BinaryIndex> index;
  CodeSpan codes;                          // every stored code, by position
  std::span<const std::uint64_t> ids;      // item id at each position; empty: id = position
  std::span<const std::uint64_t> deleted;  // bitmap (common/bitmap.hpp): flag p set = position p is
                                           // deleted; empty: none is
  std::shared_ptr<const void> owner;
  std::string source;  // the file, for stats and messages
  std::string kind;    // "flat", "multi-index", ...
};

struct IndexSnapshot : LoadedIndex {
  std::uint64_t generation = 0;  // 1 for the first load, +1 per reload
  std::string loaded_at;         // UTC, ISO 8601

  // The position of a live (not deleted) item, nullopt when the index has no such item.
  std::optional<std::size_t> position_of(std::int64_t id) const;
  std::int64_t id_at(std::size_t position) const { return std::int64_t(ids.empty() ? position : ids[position]); }
  bool is_live(std::size_t position) const { return !bitmap_test(deleted, position); }

  std::vector<std::pair<std::uint64_t, std::size_t>> id_order;  // (id, position) sorted by id
};

using IndexLoader = std::function<LoadedIndex()>;

// Holds the current index and swaps in a new one on reload. Readers take a shared_ptr copy and
// search on it without a lock: a reload never waits for them and they never see a half-loaded
// index; the old index is freed when its last in-flight request ends.
class IndexHolder {
 public:
  explicit IndexHolder(IndexLoader loader);  // loads at once; a failed load throws

  std::shared_ptr<const IndexSnapshot> current() const;

  // Loads afresh with the loader and swaps the result in. On failure the current index stays and
  // the Error propagates. Concurrent reloads run one after the other.
  std::shared_ptr<const IndexSnapshot> reload();

 private:
  std::shared_ptr<const IndexSnapshot> load(std::uint64_t generation) const;

  IndexLoader loader_;
  mutable std::mutex current_mutex_;
  std::mutex reload_mutex_;
  std::shared_ptr<const IndexSnapshot> current_;
};

}  // namespace shrewd::serve
