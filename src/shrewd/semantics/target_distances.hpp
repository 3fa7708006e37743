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

// Flat labels: 0 for the same label, 1 otherwise.
std::vector<float> flat_label_distances(std::span<const std::int64_t> labels);

// Multi-labels as a multi-hot matrix [items, classes] (non-zero = label present):
// D = 1 - |Li ∩ Lj| / |Li ∪ Lj|; two items without any label have distance 0.
std::vector<float> jaccard_distances(std::span<const std::uint8_t> multi_hot, std::size_t items,
                                     std::size_t classes);

enum class EmbeddingMeasure {
  Cosine,   // D = (1 - cos) / 2
  Angular,  // D = arccos(cos) / pi
};
EmbeddingMeasure parse_embedding_measure(std::string_view name);  // "cosine" | "angular"

// Distances between the rows of an [items, dims] float matrix. Rows must be finite and non-zero;
// `source` names the data in the Error otherwise.
std::vector<float> embedding_distances(std::span<const float> embeddings, std::size_t items, std::size_t dims,
                                       EmbeddingMeasure measure = EmbeddingMeasure::Cosine,
                                       const std::string& source = "embeddings");

// The batch's item-level distances from a class-level C x C matrix: out[i, j] = D[c_i, c_j].
// Class ids outside [0, C) are an Error.
std::vector<float> gather_class_distances(std::span<const float> class_distances, std::size_t classes,
                                          std::span<const std::int64_t> item_classes);
// The same into a caller-owned buffer of items x items floats (no allocation in a training step).
void gather_class_distances(std::span<const float> class_distances, std::size_t classes,
                            std::span<const std::int64_t> item_classes, std::span<float> out);

// s = 1 - D, element-wise.
std::vector<float> similarities_from_distances(std::span<const float> distances);

// Class or item embeddings from a .npy float32 [N, D] file: finite, no zero rows, and N equal to
// expected_rows unless that is 0. Errors name the file.
struct EmbeddingTable {
  std::size_t rows = 0;
  std::size_t dims = 0;
  std::vector<float> values;  // row-major
};
EmbeddingTable read_embeddings(const std::filesystem::path& path, std::size_t expected_rows = 0);

}  // namespace shrewd::semantics
