// Semantic targets: WordNet load time, class-level matrices, and the per-batch item distances a
// training step asks for. Run: build/bench/semantics_bench (from the repository root).
#include <benchmark/benchmark.h>

#include <filesystem>
#include <random>

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

void BM_GatherBatch(benchmark::State& state) {
  const std::size_t classes = 1000, batch = static_cast<std::size_t>(state.range(0));
  std::vector<float> class_distances(classes * classes);
  std::mt19937 random(7);
  std::uniform_real_distribution<float> uniform;
  for (float& d : class_distances) d = uniform(random);
  std::vector<std::int64_t> items(batch);
  std::uniform_int_distribution<std::int64_t> label(0, classes - 1);
  for (auto& item : items) item = label(random);
  std::vector<float> out(batch * batch);
  for (auto _ : state) {
    gather_class_distances(class_distances, classes, items, out);
    benchmark::DoNotOptimize(out.data());
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * batch * batch));
}
BENCHMARK(BM_GatherBatch)->Arg(128)->Arg(256)->Arg(1024);

void BM_EmbeddingBatch(benchmark::State& state) {
  const std::size_t batch = static_cast<std::size_t>(state.range(0)), dims = static_cast<std::size_t>(state.range(1));
  std::vector<float> embeddings(batch * dims);
  std::mt19937 random(7);
  std::normal_distribution<float> normal;
  for (float& e : embeddings) e = normal(random);
  for (auto _ : state) benchmark::DoNotOptimize(embedding_distances(embeddings, batch, dims).data());
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * batch * batch));
}
BENCHMARK(BM_EmbeddingBatch)->Args({256, 384})->Args({256, 768});

}  // namespace

BENCHMARK_MAIN();
