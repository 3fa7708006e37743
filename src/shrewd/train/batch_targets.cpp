#include "shrewd/train/batch_targets.hpp"

#include <fmt/format.h>

#include "shrewd/common/error.hpp"
#include "shrewd/semantics/class_list.hpp"
#include "shrewd/semantics/hierarchy.hpp"
#include "shrewd/semantics/target_distances.hpp"
#include "shrewd/train/target_distances.hpp"

namespace shrewd::train {

BatchTargets::BatchTargets(const RunConfig& config, const data::Dataset& dataset, torch::Device device)
    : kind_(config.loss.targets),
      angular_(config.loss.embedding_measure == semantics::EmbeddingMeasure::Angular),
      device_(device) {
  if (kind_ == TargetKind::Embeddings) {
    if (!dataset.embeddings.defined())
      fail("config loss.targets", "'embeddings' needs a dataset with target embeddings (" + dataset.source + " has none)");
    return;
  }
  if (!dataset.labels.defined())
    fail("config loss.targets", "'" + std::string(kind_ == TargetKind::Labels ? "labels" : "hierarchy") +
                                    "' needs labels, and " + dataset.source + " has none");
  if (kind_ == TargetKind::Labels) return;

  auto hierarchy = semantics::Hierarchy::load(config.loss.hierarchy);
  auto classes = semantics::ClassList::load(config.loss.classes);
  const auto count = static_cast<std::size_t>(dataset.num_classes());
  if (classes.size() != count)
    fail(config.loss.classes, fmt::format("lists {} classes but {} has {}", classes.size(), dataset.source, count));
  auto nodes = semantics::class_nodes(hierarchy, classes);
  auto distances = semantics::hierarchy_distances(hierarchy, nodes,
                                                  config.loss.hierarchy_measure);
  class_similarity_ = semantics::similarities_from_distances(distances);
  class_distances_ = torch::from_blob(distances.data(), {static_cast<std::int64_t>(count), static_cast<std::int64_t>(count)},
                                      torch::kFloat)
                         .clone()
                         .to(device_);
}

torch::Tensor BatchTargets::operator()(const torch::Tensor& labels, const torch::Tensor& embeddings) const {
  switch (kind_) {
    case TargetKind::Labels: return label_distances(labels.to(device_));
    case TargetKind::Hierarchy: return class_matrix_distances(labels.to(device_), class_distances_);
    case TargetKind::Embeddings: return embedding_distances(embeddings.to(device_), angular_);
  }
  return {};
}

}  // namespace shrewd::train
