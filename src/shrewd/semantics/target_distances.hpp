#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace shrewd::semantics {

class Hierarchy;

// Target distances D^T in [0, 1] (docs/method.md §2). Every matrix is a plain row-major
// std::vector<float> of n x n values, symmetric, with zeros on the diagonal.

enum class HierarchyMeasure {
  LcsHeight,  // D = height(lcs(a, b)) / height(root)               (Barz & Denzler)
  WuPalmer,   // D = 1 - 2 d(lcs) / (d(a) + d(b)), d(n) = depth(n) + 1 (the root has d = 1)
};
HierarchyMeasure parse_hierarchy_measure(std::string_view name);  // "lcs-height" | "wu-palmer"
std::string hierarchy_measure_name(HierarchyMeasure measure);

// C x C distances between the classes on these hierarchy nodes (see class_nodes()). The same
// class has distance 0 even when its node is an inner node.
std::vector<float> hierarchy_distances(const Hierarchy& hierarchy, std::span<const std::size_t> class_nodes,
                                       HierarchyMeasure measure = HierarchyMeasure::LcsHeight);

// The measure of target embedding distances (docs/method.md §2.4); the trainer computes them per
// batch (train/target_distances.hpp).
enum class EmbeddingMeasure {
  Cosine,   // D = (1 - cos) / 2
  Angular,  // D = arccos(cos) / pi
};

// s = 1 - D, element-wise.
std::vector<float> similarities_from_distances(std::span<const float> distances);

}  // namespace shrewd::semantics
