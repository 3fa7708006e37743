// Flat k-NN speed: shrewd's FlatIndex (over a memory-mapped index file) against a plain loop
// compiled into this same program (XOR + __builtin_popcountll per word, std::priority_queue for the
// top k). This file alone is compiled with -O3 -march=native so the plain loop gets every
// instruction the CPU has; the library is built for any x86-64 and dispatches at run time.
//
//   build-bench/bench/flat_bench --benchmark_counters_tabular=true
//
// Defaults follow the issue: 1,000,000 random codes, 1,000 queries, k = 100. SHREWD_BENCH_CODES and
// SHREWD_BENCH_QUERIES change the sizes.
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <map>
#include <memory>
#include <queue>
#include <random>
#include <unistd.h>

#include "shrewd/codes/hamming.hpp"
#include "shrewd/codes/synthetic_codes.hpp"
#include "shrewd/index/flat_index.hpp"
#include "shrewd/index/index_file.hpp"
#include "shrewd/index/open_index.hpp"

namespace {

using namespace shrewd;

constexpr std::size_t kK = 100;

std::size_t env_size(const char* name, std::size_t fallback) {
  const char* value = std::getenv(name);
  return value && *value ? std::size_t(std::stoull(value)) : fallback;
}

const std::size_t kCodes = env_size("SHREWD_BENCH_CODES", 1000000);
const std::size_t kQueries = env_size("SHREWD_BENCH_QUERIES", 1000);

CodeMatrix random_codes(std::size_t bits, std::size_t n, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  return shrewd::random_codes(bits, n, rng);
}

// One data set per code length: codes in memory for the plain loop, the same codes in an index file
// (written once to the temp directory, memory-mapped) for shrewd.
struct DataSet {
  CodeMatrix codes{8};
  CodeMatrix queries{8};
  std::filesystem::path file;
  std::unique_ptr<OpenedIndex> index;

  ~DataSet() {
    index.reset();
    std::filesystem::remove(file);
  }
};

DataSet& data(std::size_t bits) {
  static std::map<std::size_t, std::unique_ptr<DataSet>> sets;
  auto& set = sets[bits];
  if (!set) {
    set = std::make_unique<DataSet>();
    set->codes = random_codes(bits, kCodes, bits);
    set->queries = random_codes(bits, kQueries, bits + 1);
    set->file = std::filesystem::temp_directory_path() /
                ("shrewd-flat-bench-" + std::to_string(::getpid()) + "-" + std::to_string(bits) + ".shx");
    write_index_file(set->file, set->codes, {});
    set->index = open_index(set->file);
  }
  return *set;
}

// The plain loop the issue compares against. The word count is a template argument so the compiler
// unrolls the popcount loop completely: the strongest form of the plain loop, not a strawman.
template <std::size_t Words>
void plain_knn_words(const CodeMatrix& codes, const std::uint64_t* query, std::size_t k, std::int64_t* ids,
                     std::int32_t* dists) {
  std::priority_queue<std::pair<int, std::int64_t>> top;  // max-heap of (distance, id)
  for (std::size_t i = 0; i < codes.size(); ++i) {
    const std::uint64_t* c = codes.code(i);
    int d = 0;
    for (std::size_t w = 0; w < Words; ++w) d += __builtin_popcountll(query[w] ^ c[w]);
    const std::pair<int, std::int64_t> entry{d, std::int64_t(i)};
    if (top.size() < k) {
      top.push(entry);
    } else if (entry < top.top()) {
      top.pop();
      top.push(entry);
    }
  }
  for (std::size_t j = top.size(); j-- > 0;) {
    ids[j] = top.top().second;
    dists[j] = top.top().first;
    top.pop();
  }
}

void plain_knn(const CodeMatrix& codes, const std::uint64_t* query, std::size_t k, std::int64_t* ids,
               std::int32_t* dists) {
  switch (codes.words_per_code()) {
    case 1: return plain_knn_words<1>(codes, query, k, ids, dists);
    case 2: return plain_knn_words<2>(codes, query, k, ids, dists);
    case 4: return plain_knn_words<4>(codes, query, k, ids, dists);
    default: std::abort();  // the benchmark uses 64, 128 and 256 bits only
  }
}

void set_counters(benchmark::State& state, const DataSet& set) {
  state.counters["codes/s"] =
      benchmark::Counter(double(set.codes.size()) * double(set.queries.size()), benchmark::Counter::kIsIterationInvariantRate);
  state.counters["s/query"] = benchmark::Counter(double(set.queries.size()),
                                                 benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
}

void BM_PlainLoop(benchmark::State& state) {
  const DataSet& set = data(std::size_t(state.range(0)));
  std::vector<std::int64_t> ids(set.queries.size() * kK);
  std::vector<std::int32_t> dists(ids.size());
  for (auto _ : state) {
    for (std::size_t q = 0; q < set.queries.size(); ++q)
      plain_knn(set.codes, set.queries.code(q), kK, &ids[q * kK], &dists[q * kK]);
    benchmark::DoNotOptimize(ids.data());
  }
  set_counters(state, set);
}

void BM_FlatIndex(benchmark::State& state) {
  const DataSet& set = data(std::size_t(state.range(0)));
  const SearchOptions options{int(state.range(1))};
  {  // the benchmark is only worth something if the answers are the plain loop's
    const std::size_t check = std::min<std::size_t>(5, set.queries.size());
    const KnnResult r = set.index->search(set.queries.span().rows(0, check), kK, options);
    std::vector<std::int64_t> ids(kK);
    std::vector<std::int32_t> dists(kK);
    for (std::size_t q = 0; q < check; ++q) {
      plain_knn(set.codes, set.queries.code(q), kK, ids.data(), dists.data());
      if (!std::equal(ids.begin(), ids.end(), r.ids.begin() + std::ptrdiff_t(q * kK))) {
        state.SkipWithError("flat index and plain loop disagree");
        return;
      }
    }
  }
  for (auto _ : state) {
    const KnnResult r = set.index->search(set.queries, kK, options);
    benchmark::DoNotOptimize(r.ids.data());
  }
  set_counters(state, set);
  const double n = double(set.codes.size()), bits = double(state.range(0));
  state.counters["index_bytes"] = double(set.index->file().file_bytes());
  state.counters["bytes_limit"] = n * bits / 8 * 1.05 + 8 * n;  // the memory target
  state.SetLabel(kernel_name(active_kernel()));
}

// The Hamming kernels alone: one query against 32,768 codes that stay in cache, k-NN-like filter
// (limit = K / 4, so almost nothing passes), per kernel path.
void BM_ScanInCache(benchmark::State& state) {
  const auto kernel = HammingKernel(state.range(1));
  if (!kernel_available(kernel)) {
    state.SkipWithError("kernel not available on this CPU");
    return;
  }
  const HammingKernel saved = active_kernel();
  force_kernel(kernel);
  const std::size_t bits = std::size_t(state.range(0));
  const CodeMatrix codes = random_codes(bits, 32768, 7);
  const CodeMatrix query = random_codes(bits, 1, 8);
  std::vector<std::uint32_t> positions(codes.size());
  std::vector<std::uint16_t> dists(codes.size());
  for (auto _ : state) {
    const HammingScan s = hamming_within(query.code(0), codes, int(bits / 4), positions.data(), dists.data(), positions.size());
    benchmark::DoNotOptimize(s);
  }
  state.counters["codes/s"] = benchmark::Counter(double(codes.size()), benchmark::Counter::kIsIterationInvariantRate);
  state.SetLabel(kernel_name(kernel));
  force_kernel(saved);
}

// Real (wall) time is the figure; the CPU column is the whole process's CPU time (all threads), which
// on a busy shared machine still shows how much work each variant does.
BENCHMARK(BM_PlainLoop)
    ->ArgNames({"bits"})
    ->Arg(64)->Arg(128)->Arg(256)
    ->Unit(benchmark::kMillisecond)
    ->MeasureProcessCPUTime()
    ->UseRealTime();
BENCHMARK(BM_FlatIndex)
    ->ArgNames({"bits", "threads"})
    ->Args({64, 1})->Args({64, 2})->Args({128, 1})->Args({128, 2})->Args({256, 1})->Args({256, 2})
    ->Unit(benchmark::kMillisecond)
    ->MeasureProcessCPUTime()
    ->UseRealTime();
BENCHMARK(BM_ScanInCache)
    ->ArgNames({"bits", "kernel"})
    ->ArgsProduct({{64, 128, 256}, {int(HammingKernel::Scalar), int(HammingKernel::Avx2), int(HammingKernel::Avx512)}})
    ->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
