#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "shrewd/serve/index_holder.hpp"
#include "shrewd/serve/item_catalog.hpp"

namespace shrewd::serve {

// How many items of one class (nullopt: items without a label).
struct ClassCount {
  std::optional<std::int64_t> label;
  std::size_t count = 0;
};

// Every item at one Hamming distance from the query: how many, and of which classes (most first).
struct DistanceShell {
  int distance = 0;
  std::size_t count = 0;
  std::vector<ClassCount> classes;
};

// One stored code and the items that share it: the item with the smallest id stands for them.
struct DistinctCode {
  std::int64_t id = 0;
  int distance = 0;
  std::size_t count = 0;
  std::vector<ClassCount> classes;
};

struct NeighbourGroups {
  std::vector<DistinctCode> codes;     // nearest first; within a distance, most shared first, then by id
  std::vector<DistanceShell> shells;   // distances 0 .. `last_distance`, each with all of its items
  int last_distance = -1;              // the farthest distance looked at (-1: none)
  bool codes_cut = false;              // distinct codes within `max_distance` were left out
};

// The explorer's grouped views (docs/serve.md): the Hamming distance of the query to every live
// stored code (one scan, the cost of a flat search), then the items by distance and by distinct
// code. Shells are added from distance 0 until `max_codes` distinct codes have been met or
// `max_distance` is passed; the shell that reaches `max_codes` is completed, so every count is
// whole. `excluded` (an item id) is left out of every count.
NeighbourGroups group_neighbours(const IndexSnapshot& snapshot, const ItemCatalog& catalog,
                                 const std::uint64_t* query, std::size_t max_codes, int max_distance,
                                 std::optional<std::int64_t> excluded);

}  // namespace shrewd::serve
