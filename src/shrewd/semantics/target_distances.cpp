#include "shrewd/semantics/target_distances.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <fmt/format.h>

#include "shrewd/common/error.hpp"
#include "shrewd/semantics/hierarchy.hpp"

namespace shrewd::semantics {

HierarchyMeasure parse_hierarchy_measure(std::string_view name) {
  if (name == "lcs-height") return HierarchyMeasure::LcsHeight;
  if (name == "wu-palmer") return HierarchyMeasure::WuPalmer;
  fail("--measure", fmt::format("unknown hierarchy measure '{}' (use lcs-height or wu-palmer)", name));
}

std::string hierarchy_measure_name(HierarchyMeasure measure) {
  return measure == HierarchyMeasure::LcsHeight ? "lcs-height" : "wu-palmer";
}

std::vector<float> hierarchy_distances(const Hierarchy& hierarchy, std::span<const std::size_t> class_nodes,
                                       HierarchyMeasure measure) {
  const std::size_t classes = class_nodes.size();
  const std::size_t nodes = hierarchy.size();
  // Ancestor sets as bitsets indexed by rank in subsumer order: the lowest set bit of the
  // intersection of two classes' sets is their lowest common subsumer.
  const auto& order = hierarchy.subsumer_order();
  std::vector<std::size_t> rank(nodes);
  for (std::size_t r = 0; r < nodes; ++r) rank[order[r]] = r;
  const std::size_t words = (nodes + 63) / 64;
  std::vector<std::uint64_t> ancestors(classes * words, 0);
  for (std::size_t c = 0; c < classes; ++c) {
    if (class_nodes[c] >= nodes) fail(hierarchy.source(), "class node index out of range");
    for (const std::size_t n : hierarchy.ancestors_and_self(class_nodes[c]))
      ancestors[c * words + rank[n] / 64] |= std::uint64_t{1} << (rank[n] % 64);
  }
  const double root_height = hierarchy.height(hierarchy.root());
  std::vector<float> distances(classes * classes, 0.0f);
  for (std::size_t a = 0; a < classes; ++a) {
    for (std::size_t b = a + 1; b < classes; ++b) {
      std::size_t lcs_rank = nodes;
      for (std::size_t w = 0; w < words; ++w)
        if (const std::uint64_t shared = ancestors[a * words + w] & ancestors[b * words + w]) {
          lcs_rank = w * 64 + static_cast<std::size_t>(std::countr_zero(shared));
          break;
        }
      const std::size_t lcs = lcs_rank < nodes ? order[lcs_rank] : hierarchy.root();
      double distance = 0.0;
      if (measure == HierarchyMeasure::LcsHeight) {
        distance = root_height > 0 ? hierarchy.height(lcs) / root_height : 0.0;
      } else {
        const double lcs_depth = hierarchy.depth(lcs) + 1.0;
        const double depth_a = hierarchy.depth(class_nodes[a]) + 1.0;
        const double depth_b = hierarchy.depth(class_nodes[b]) + 1.0;
        distance = 1.0 - 2.0 * lcs_depth / (depth_a + depth_b);
      }
      const float value = static_cast<float>(std::clamp(distance, 0.0, 1.0));
      distances[a * classes + b] = value;
      distances[b * classes + a] = value;
    }
  }
  return distances;
}

std::vector<float> similarities_from_distances(std::span<const float> distances) {
  std::vector<float> similarities(distances.size());
  for (std::size_t i = 0; i < distances.size(); ++i) similarities[i] = 1.0f - distances[i];
  return similarities;
}

}  // namespace shrewd::semantics
