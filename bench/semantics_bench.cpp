// Semantic targets: WordNet load time and class-level matrices (a training step's per-batch item
// distances are LibTorch's: train/target_distances.hpp). Run: build/bench/semantics_bench (from the
// repository root).
#include <benchmark/benchmark.h>

#include <filesystem>

#include "shrewd/semantics/class_list.hpp"
#include "shrewd/semantics/hierarchy.hpp"
#include "shrewd/semantics/target_distances.hpp"
#include "shrewd/semantics/wordnet.hpp"

namespace {

using namespace shrewd::semantics;

const std::filesystem::path wordnet_dir = "/usr/share/wordnet";
const std::filesystem::path imagenet = std::filesystem::path(SHREWD_SOURCE_DIR) / "data/hierarchies/imagenet1k";

void BM_WordNetLoad(benchmark::State& state) {
  if (!std::filesystem::exists(wordnet_dir / "data.noun")) {
    state.SkipWithError("no WordNet in /usr/share/wordnet");
    return;
  }
  for (auto _ : state) {
    WordNet wordnet = WordNet::load(wordnet_dir);
    benchmark::DoNotOptimize(wordnet.synset_count());
  }
}
BENCHMARK(BM_WordNetLoad)->Unit(benchmark::kMillisecond);

void BM_ImageNetClassMatrix(benchmark::State& state) {
  const Hierarchy hierarchy = Hierarchy::load(imagenet / "hierarchy.txt");
  const auto nodes = class_nodes(hierarchy, ClassList::load(imagenet / "classes.txt"));
  const auto measure = state.range(0) == 0 ? HierarchyMeasure::LcsHeight : HierarchyMeasure::WuPalmer;
  for (auto _ : state) benchmark::DoNotOptimize(hierarchy_distances(hierarchy, nodes, measure).data());
  state.SetLabel(hierarchy_measure_name(measure) + ", 1000 x 1000");
}
BENCHMARK(BM_ImageNetClassMatrix)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
