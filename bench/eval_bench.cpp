// Retrieval evaluation speed: 10,000 queries against 60,000 database codes of 64 bits, mAP@1000 +
// mAHP@250 + P@k/R@k + radius-2 precision + PR curve together, both tie conventions (target: at
// most 3 s with 2 threads). Codes are noisy copies of 10 class centres (each bit flipped with
// probability 0.1), as learned codes cluster by class; relevance from a 10 x 10 class similarity.
// The *WithMistakes cases add the mistake metrics (mean D^T@k, severity@k at k = 10, 100, 250,
// 1000, both tie conventions), which `shrewd eval` computes when it has class distances.
//
//   build/bench/eval_bench --benchmark_filter=Hamming
#include <benchmark/benchmark.h>

#include <random>

#include "shrewd/eval/code_statistics.hpp"
#include "shrewd/eval/retrieval.hpp"

namespace {

using namespace shrewd;
using namespace shrewd::eval;

constexpr std::size_t kQueries = 10000, kDatabase = 60000, kBits = 64, kClasses = 10;

struct Data {
  CodeMatrix queries{kBits}, database{kBits};
  Labels query_labels, database_labels;
  std::unique_ptr<ClassRelevance> relevance;
  Features query_features, database_features;

  explicit Data(double flip) {
    std::mt19937_64 rng(2024);
    std::vector<std::uint64_t> centres(kClasses);
    for (auto& c : centres) c = rng();
    std::bernoulli_distribution flipped(flip);
    auto make = [&](std::size_t n, CodeMatrix& codes, Labels& labels, Features& features, const char* name) {
      std::vector<std::int64_t> classes(n);
      codes = CodeMatrix(kBits, n);
      features = Features{name, n, kBits, std::vector<float>(n * kBits)};
      std::uniform_real_distribution<float> magnitude(0.05f, 1.0f);
      for (std::size_t i = 0; i < n; ++i) {
        classes[i] = std::int64_t(rng() % kClasses);
        std::uint64_t code = flip < 0 ? rng() : centres[std::size_t(classes[i])];
        for (std::size_t j = 0; flip >= 0 && j < kBits; ++j)
          if (flipped(rng)) code ^= std::uint64_t{1} << j;
        *codes.code(i) = code;
        for (std::size_t j = 0; j < kBits; ++j)
          features.values[i * kBits + j] = (code >> j & 1 ? 1.0f : -1.0f) * magnitude(rng);
      }
      labels = Labels::single(classes, name);
    };
    make(kQueries, queries, query_labels, query_features, "queries");
    make(kDatabase, database, database_labels, database_features, "database");
    // Two super-classes (0-4, 5-9): similarity 1 within a class, 0.5 within a super-class, else 0.
    std::vector<float> similarity(kClasses * kClasses);
    for (std::size_t a = 0; a < kClasses; ++a)
      for (std::size_t b = 0; b < kClasses; ++b) similarity[a * kClasses + b] = a == b ? 1.0f : (a / 5 == b / 5 ? 0.5f : 0.0f);
    relevance = std::make_unique<ClassRelevance>(query_labels, database_labels, similarity, kClasses, "similarity");
  }
};

const Data& clustered() {
  static const Data data(0.1);
  return data;
}
const Data& uniform() {
  static const Data data(-1);
  return data;
}

EvalOptions options(int threads, bool mistakes = false) {
  EvalOptions o;
  o.mistakes = mistakes;
  o.cutoffs = {1000, 250, {10, 100, 1000}};
  o.radius = 2;
  o.threads = threads;
  return o;
}

void report(benchmark::State& state, const HammingResults& r) {
  state.counters["mAP@1000"] = r.tie_aware.map;
  state.counters["mAHP@250"] = r.tie_aware.mahp;
  state.counters["P(r<=2)"] = r.at_radius.precision;
  state.counters["queries/s"] = benchmark::Counter(double(kQueries), benchmark::Counter::kIsIterationInvariantRate);
}

void BM_HammingClustered(benchmark::State& state) {
  const Data& d = clustered();
  HammingResults r;
  for (auto _ : state) r = evaluate_hamming(d.queries, d.database, *d.relevance, options(int(state.range(0))));
  report(state, r);
}
BENCHMARK(BM_HammingClustered)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(3);

void BM_HammingUniformCodes(benchmark::State& state) {
  const Data& d = uniform();
  HammingResults r;
  for (auto _ : state) r = evaluate_hamming(d.queries, d.database, *d.relevance, options(int(state.range(0))));
  report(state, r);
}
BENCHMARK(BM_HammingUniformCodes)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(3);

void report_mistakes(benchmark::State& state, const HammingResults& r) {
  report(state, r);
  state.counters["severity@1000"] = r.tie_aware.mistakes->severity.back();
  state.counters["D^T@1000"] = r.tie_aware.mistakes->mean_distance.back();
}

void BM_HammingClusteredWithMistakes(benchmark::State& state) {
  const Data& d = clustered();
  HammingResults r;
  for (auto _ : state) r = evaluate_hamming(d.queries, d.database, *d.relevance, options(int(state.range(0)), true));
  report_mistakes(state, r);
}
BENCHMARK(BM_HammingClusteredWithMistakes)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(3);

void BM_HammingUniformCodesWithMistakes(benchmark::State& state) {
  const Data& d = uniform();
  HammingResults r;
  for (auto _ : state) r = evaluate_hamming(d.queries, d.database, *d.relevance, options(int(state.range(0)), true));
  report_mistakes(state, r);
}
BENCHMARK(BM_HammingUniformCodesWithMistakes)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(3);

void BM_CosineBinarisationGap(benchmark::State& state) {
  const Data& d = clustered();
  RankingSummary r;
  for (auto _ : state)
    r = evaluate_cosine(d.query_features, d.database_features, *d.relevance, options(int(state.range(0))));
  state.counters["mAP@1000"] = r.map;
}
BENCHMARK(BM_CosineBinarisationGap)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(1);

void BM_CodeStatistics(benchmark::State& state) {
  const Data& d = clustered();
  for (auto _ : state) benchmark::DoNotOptimize(code_statistics(d.database, d.database_labels, 2));
}
BENCHMARK(BM_CodeStatistics)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(3);

}  // namespace

BENCHMARK_MAIN();
