// Multi-index hashing against the flat scan: exact 10-NN, one thread, seconds per query.
//
//   build-bench/bench/mih_bench --benchmark_counters_tabular=true
//
// Two data sets of 64-bit codes, 10,000,000 each by default (SHREWD_BENCH_CODES and
// SHREWD_BENCH_QUERIES change the sizes, SHREWD_BENCH_SUBSTRINGS the substrings):
//   clustered: noisy copies of 10,000 random centres, each bit flipped with probability 0.1
//              (queries drawn the same way), as learned codes cluster;
//   uniform:   uniformly random codes and queries.
// For each: FlatIndex, MultiIndexHashing forced (mih) and MultiIndexHashing choosing by itself
// (automatic) answer the same 1,000 queries; every result is checked against the flat scan's inside
// the benchmark (an error if any id or distance differs). A summary at the end gives the ratios of
// the same run, the build time, the table memory and what the fallback rule chose.
#include <benchmark/benchmark.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>
#include <random>
#include <string>

#include <time.h>

#include "shrewd/codes/synthetic_codes.hpp"
#include "shrewd/common/seconds_since.hpp"
#include "shrewd/index/flat_index.hpp"
#include "shrewd/index/multi_index.hpp"

namespace {

using namespace shrewd;

constexpr std::size_t kK = 10;
constexpr std::size_t kBits = 64;
constexpr std::size_t kCentres = 10000;
constexpr double kFlip = 0.1;

std::size_t env_size(const char* name, std::size_t fallback) {
  const char* value = std::getenv(name);
  return value && *value ? std::size_t(std::stoull(value)) : fallback;
}

const std::size_t kCodes = env_size("SHREWD_BENCH_CODES", 10000000);
const std::size_t kQueries = env_size("SHREWD_BENCH_QUERIES", 1000);
const std::size_t kSubstrings = env_size("SHREWD_BENCH_SUBSTRINGS", 0);  // 0: automatic

CodeMatrix clustered_codes(const CodeMatrix& centres, std::size_t n, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  return shrewd::clustered_codes(centres, n, kFlip, rng);
}

CodeMatrix uniform_codes(std::size_t n, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  return random_codes(kBits, n, rng);
}

// CPU time of the calling thread (searches with one thread run on it): unlike wall time, it does
// not count the time other processes on a busy machine hold the core.
double thread_cpu_seconds() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return double(t.tv_sec) + 1e-9 * double(t.tv_nsec);
}

struct DataSet {
  std::string name;
  CodeMatrix codes{kBits};
  CodeMatrix queries{kBits};
  std::unique_ptr<FlatIndex> flat;
  std::unique_ptr<MultiIndexHashing> mih;
  double build_seconds = 0;
  MihPlan plan;
  KnnResult reference;  // the flat scan's answers
  std::map<std::string, double> seconds_per_query;
  std::map<std::string, double> cpu_seconds_per_query;
  std::map<std::string, MihSearchStats> stats;
  std::map<std::string, bool> identical;
};

std::unique_ptr<DataSet> make_data(const std::string& name) {
  auto data = std::make_unique<DataSet>();
  data->name = name;
  if (name == "clustered") {
    const CodeMatrix centres = uniform_codes(kCentres, 1);
    data->codes = clustered_codes(centres, kCodes, 2);
    data->queries = clustered_codes(centres, kQueries, 3);
  } else {
    data->codes = uniform_codes(kCodes, 4);
    data->queries = uniform_codes(kQueries, 5);
  }
  data->flat = std::make_unique<FlatIndex>(data->codes.span());
  const auto start = std::chrono::steady_clock::now();
  data->mih = std::make_unique<MultiIndexHashing>(data->codes.span(), std::span<const std::uint64_t>{}, kSubstrings);
  data->build_seconds = seconds_since(start);
  data->plan = data->mih->plan_search(data->queries, kK);
  return data;
}

DataSet& data_set(const std::string& name) {
  static std::map<std::string, std::unique_ptr<DataSet>> sets;
  auto& set = sets[name];
  if (!set) set = make_data(name);
  return *set;
}

std::vector<DataSet*> touched_sets;

void run_search(benchmark::State& state, const std::string& set_name, const std::string& method) {
  DataSet& data = data_set(set_name);
  if (std::find(touched_sets.begin(), touched_sets.end(), &data) == touched_sets.end()) touched_sets.push_back(&data);
  const SearchOptions one_thread{1};
  KnnResult result;
  MihSearchStats stats;
  double seconds = 0, cpu_seconds = 0;
  std::size_t batches = 0;
  for (auto _ : state) {
    const auto start = std::chrono::steady_clock::now();
    const double cpu_start = thread_cpu_seconds();
    if (method == "flat")
      result = data.flat->search(data.queries, kK, one_thread);
    else
      result = data.mih->search(data.queries, kK, one_thread,
                                method == "mih" ? MihStrategy::MultiIndex : MihStrategy::Automatic, &stats);
    seconds += seconds_since(start);
    cpu_seconds += thread_cpu_seconds() - cpu_start;
    ++batches;
    benchmark::DoNotOptimize(result.ids.data());
  }
  if (data.reference.ids.empty()) data.reference = method == "flat" ? result : data.flat->search(data.queries, kK, one_thread);
  const bool same = result.ids == data.reference.ids && result.distances == data.reference.distances;
  data.identical[method] = same;
  if (!same) state.SkipWithError("results differ from the flat scan");
  const double per_query = seconds / double(batches * data.queries.size());
  data.seconds_per_query[method] = per_query;
  data.cpu_seconds_per_query[method] = cpu_seconds / double(batches * data.queries.size());
  data.stats[method] = stats;
  state.counters["s_per_query"] = per_query;
  state.counters["probes_per_query"] = double(stats.probes) / double(data.queries.size());
  state.counters["candidates_per_query"] = double(stats.candidates) / double(data.queries.size());
  state.counters["queries_flat"] = double(stats.queries_flat);
}

void print_summary() {
  std::printf("\nSummary: exact %zu-NN, %zu codes of %zu bits, %zu queries, 1 thread\n", kK, kCodes, kBits, kQueries);
  for (DataSet* data : touched_sets) {
    std::printf("%s: substrings %zu, build %.2f s, tables %.1f MB (codes %.1f MB)\n", data->name.c_str(),
                data->mih->substrings(), data->build_seconds, double(data->mih->table_bytes()) / 1e6,
                double(data->codes.size() * 8) / 1e6);
    std::printf("  fallback rule: estimated MIH %.0f ns/query vs flat %.0f ns/query over %zu sampled queries -> %s\n",
                data->plan.mih_ns, data->plan.flat_ns, data->plan.sampled, data->plan.use_flat ? "flat" : "mih");
    const auto& t = data->seconds_per_query;
    const auto& c = data->cpu_seconds_per_query;
    for (const auto& [method, seconds] : t)
      std::printf("  %-9s %.3e s/query wall, %.3e s/query CPU%s\n", method.c_str(), seconds, c.at(method),
                  data->identical[method] ? "  (identical to flat)" : "  (DIFFERENT from flat)");
    for (const char* method : {"mih", "automatic"})
      if (t.contains("flat") && t.contains(method))
        std::printf("  flat / %-9s = %.1fx wall, %.1fx CPU\n", method, t.at("flat") / t.at(method),
                    c.at("flat") / c.at(method));
    if (t.contains("automatic"))
      std::printf("  automatic chose: %s (%zu of %zu queries by flat scan)\n",
                  data->stats["automatic"].batch_flat ? "flat scan for the whole batch" : "multi-index hashing",
                  data->stats["automatic"].queries_flat, data->queries.size());
  }
}

}  // namespace

int main(int argc, char** argv) {
  for (const char* set : {"clustered", "uniform"})
    for (const char* method : {"flat", "mih", "automatic"})
      benchmark::RegisterBenchmark((std::string("knn10/") + set + "/" + method).c_str(),
                                   [set = std::string(set), method = std::string(method)](benchmark::State& state) {
                                     run_search(state, set, method);
                                   })
          ->Unit(benchmark::kMillisecond)
          ->UseRealTime();
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  print_summary();
  return 0;
}
