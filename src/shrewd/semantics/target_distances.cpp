#include "shrewd/semantics/target_distances.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <numbers>

#include "shrewd/common/error.hpp"
#include "shrewd/common/npy.hpp"
#include "shrewd/semantics/hierarchy.hpp"

namespace shrewd::semantics {

namespace {

// Eight independent partial sums, so that the compiler can keep them in vector registers.
float dot_product(const float* a, const float* b, std::size_t size) {
  float partial[8] = {};
  std::size_t d = 0;
  for (; d + 8 <= size; d += 8)
    for (std::size_t k = 0; k < 8; ++k) partial[k] += a[d + k] * b[d + k];
  float sum = 0.0f;
  for (; d < size; ++d) sum += a[d] * b[d];
  for (const float p : partial) sum += p;
  return sum;
}

}  // namespace

HierarchyMeasure parse_hierarchy_measure(std::string_view name) {
  if (name == "lcs-height") return HierarchyMeasure::LcsHeight;
  if (name == "wu-palmer") return HierarchyMeasure::WuPalmer;
  fail("--measure", "unknown hierarchy measure '" + std::string(name) + "' (use lcs-height or wu-palmer)");
}

std::string hierarchy_measure_name(HierarchyMeasure measure) {
  return measure == HierarchyMeasure::LcsHeight ? "lcs-height" : "wu-palmer";
}

EmbeddingMeasure parse_embedding_measure(std::string_view name) {
  if (name == "cosine") return EmbeddingMeasure::Cosine;
  if (name == "angular") return EmbeddingMeasure::Angular;
  fail("--measure", "unknown embedding measure '" + std::string(name) + "' (use cosine or angular)");
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

std::vector<float> flat_label_distances(std::span<const std::int64_t> labels) {
  const std::size_t n = labels.size();
  std::vector<float> distances(n * n);
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = 0; j < n; ++j) distances[i * n + j] = labels[i] == labels[j] ? 0.0f : 1.0f;
  return distances;
}

std::vector<float> jaccard_distances(std::span<const std::uint8_t> multi_hot, std::size_t items,
                                     std::size_t classes) {
  if (multi_hot.size() != items * classes)
    fail("multi-label targets", "expected " + std::to_string(items) + " x " + std::to_string(classes) +
                                    " values, found " + std::to_string(multi_hot.size()));
  std::vector<float> distances(items * items, 0.0f);
  for (std::size_t i = 0; i < items; ++i) {
    const std::uint8_t* row_i = multi_hot.data() + i * classes;
    for (std::size_t j = i + 1; j < items; ++j) {
      const std::uint8_t* row_j = multi_hot.data() + j * classes;
      std::size_t shared = 0, either = 0;
      for (std::size_t c = 0; c < classes; ++c) {
        const bool in_i = row_i[c] != 0, in_j = row_j[c] != 0;
        shared += in_i && in_j;
        either += in_i || in_j;
      }
      const float value = either == 0 ? 0.0f : 1.0f - static_cast<float>(shared) / static_cast<float>(either);
      distances[i * items + j] = value;
      distances[j * items + i] = value;
    }
  }
  return distances;
}

std::vector<float> embedding_distances(std::span<const float> embeddings, std::size_t items, std::size_t dims,
                                       EmbeddingMeasure measure, const std::string& source) {
  if (dims == 0) fail(source, "embeddings have no dimensions");
  if (embeddings.size() != items * dims)
    fail(source, "shape mismatch: expected " + std::to_string(items) + " x " + std::to_string(dims) +
                     " values, found " + std::to_string(embeddings.size()));
  std::vector<float> unit(embeddings.begin(), embeddings.end());
  for (std::size_t i = 0; i < items; ++i) {
    float* row = unit.data() + i * dims;
    double norm = 0.0;
    for (std::size_t d = 0; d < dims; ++d) {
      if (!std::isfinite(row[d]))
        fail(source, "non-finite value (NaN or inf) in row " + std::to_string(i) + ", column " + std::to_string(d));
      norm += static_cast<double>(row[d]) * row[d];
    }
    if (norm == 0.0) fail(source, "row " + std::to_string(i) + " is a zero vector: its direction is undefined");
    const float scale = static_cast<float>(1.0 / std::sqrt(norm));
    for (std::size_t d = 0; d < dims; ++d) row[d] *= scale;
  }
  std::vector<float> distances(items * items, 0.0f);
  for (std::size_t i = 0; i < items; ++i) {
    const float* row_i = unit.data() + i * dims;
    for (std::size_t j = i + 1; j < items; ++j) {
      const float* row_j = unit.data() + j * dims;
      const float dot = dot_product(row_i, row_j, dims);
      const double cosine = std::clamp(static_cast<double>(dot), -1.0, 1.0);
      const double distance =
          measure == EmbeddingMeasure::Cosine ? (1.0 - cosine) / 2.0 : std::acos(cosine) / std::numbers::pi;
      distances[i * items + j] = static_cast<float>(distance);
      distances[j * items + i] = static_cast<float>(distance);
    }
  }
  return distances;
}

void gather_class_distances(std::span<const float> class_distances, std::size_t classes,
                            std::span<const std::int64_t> item_classes, std::span<float> out) {
  const std::size_t items = item_classes.size();
  if (class_distances.size() != classes * classes)
    fail("class distances", "expected a " + std::to_string(classes) + " x " + std::to_string(classes) +
                                " matrix, found " + std::to_string(class_distances.size()) + " values");
  if (out.size() != items * items)
    fail("item distances", "output buffer holds " + std::to_string(out.size()) + " values, needs " +
                               std::to_string(items * items));
  for (std::size_t i = 0; i < items; ++i)
    if (item_classes[i] < 0 || static_cast<std::size_t>(item_classes[i]) >= classes)
      fail("item classes", "item " + std::to_string(i) + " has class " + std::to_string(item_classes[i]) +
                               ", outside [0, " + std::to_string(classes) + ")");
  for (std::size_t i = 0; i < items; ++i) {
    const float* row = class_distances.data() + static_cast<std::size_t>(item_classes[i]) * classes;
    float* target = out.data() + i * items;
    for (std::size_t j = 0; j < items; ++j) target[j] = row[item_classes[j]];
  }
}

std::vector<float> gather_class_distances(std::span<const float> class_distances, std::size_t classes,
                                          std::span<const std::int64_t> item_classes) {
  std::vector<float> out(item_classes.size() * item_classes.size());
  gather_class_distances(class_distances, classes, item_classes, out);
  return out;
}

std::vector<float> similarities_from_distances(std::span<const float> distances) {
  std::vector<float> similarities(distances.size());
  for (std::size_t i = 0; i < distances.size(); ++i) similarities[i] = 1.0f - distances[i];
  return similarities;
}

EmbeddingTable read_embeddings(const std::filesystem::path& path, std::size_t expected_rows) {
  EmbeddingTable table;
  const NpyArray array = read_npy(path);
  array.require_rank(2);
  array.require_dtype(DType::Float32);
  table.rows = array.rows();
  table.dims = array.columns();
  const auto values = array.values<float>();
  for (std::size_t i = 0; i < values.size(); ++i)
    if (!std::isfinite(values[i]))
      fail(path.string(), "non-finite value (NaN or inf) at row " + std::to_string(i / table.dims) + ", column " +
                              std::to_string(i % table.dims));
  table.values.assign(values.begin(), values.end());
  if (table.dims == 0) fail(path.string(), "embeddings have no dimensions (shape " + array.shape_text() + ")");
  if (expected_rows != 0 && table.rows != expected_rows)
    fail(path.string(), "shape mismatch: " + std::to_string(table.rows) + " embedding rows " + array.shape_text() +
                            ", expected " + std::to_string(expected_rows));
  for (std::size_t r = 0; r < table.rows; ++r) {
    const float* row = table.values.data() + r * table.dims;
    if (std::all_of(row, row + table.dims, [](float v) { return v == 0.0f; }))
      fail(path.string(), "row " + std::to_string(r) + " is a zero vector: its direction is undefined");
  }
  return table;
}

}  // namespace shrewd::semantics
