// shrewd index build|add|delete|compact|info, shrewd search, shrewd search-demo.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fmt/format.h>
#include <iostream>
#include <memory>
#include <random>
#include <sstream>

#include "shrewd/cli/shared_options.hpp"
#include "shrewd/cli/commands.hpp"
#include "shrewd/cli/shard_commands.hpp"
#include "shrewd/codes/code_npy.hpp"
#include "shrewd/codes/hamming.hpp"
#include "shrewd/codes/synthetic_codes.hpp"
#include "shrewd/common/error.hpp"
#include "shrewd/common/npy.hpp"
#include "shrewd/common/seconds_since.hpp"
#include "shrewd/index/ids_npy.hpp"
#include "shrewd/index/index_file.hpp"
#include "shrewd/index/open_index.hpp"
#include "shrewd/index/search_result_npy.hpp"

namespace shrewd::cli {
namespace {

using Clock = std::chrono::steady_clock;

std::string describe_substrings(const IndexFile& file) {
  return file.substrings() == 0 ? "automatic" : std::to_string(file.substrings());
}

void print_info(const IndexFile& file, std::ostream& out) {
  const std::size_t code_bytes = file.count() * file.codes().words_per_code() * 8;
  char checksum[16];
  std::snprintf(checksum, sizeof checksum, "%08x", file.checksum());
  out << "index       " << file.path().string() << "\n"
      << "bits        " << file.bits() << "\n"
      << "codes       " << file.live() << " (" << file.count() << " stored, " << file.deleted() << " deleted)\n"
      << "search      " << (file.multi_index() ? "multi-index hashing, substrings " + describe_substrings(file) : "flat")
      << "\n"
      << "bytes       " << file.file_bytes() << " (header " << IndexFile::kHeaderBytes << ", codes " << code_bytes
      << ", ids " << file.count() * 8 << ", deleted bitmap " << file.deleted_bitmap().size() * 8
      << ", multi-index tables " << file.table_section().size_bytes() << ")\n"
      << "checksum    crc32 " << checksum << " OK\n";
}

void add_build(CLI::App& index) {
  struct Args {
    std::string codes, ids, out;
    CodeLayout layout = CodeLayout::Detect;
    bool mih = false;
    std::size_t substrings = 0;
  };
  auto args = std::make_shared<Args>();
  auto* cmd = index.add_subcommand("build", "Build an index file from codes in .npy");
  cmd->add_option("--codes", args->codes, "codes .npy: uint8 [N, K/8] packbits, bool/int8/float32 [N, K]")
      ->required()->check(CLI::ExistingFile);
  cmd->add_option("--ids", args->ids, "user ids .npy, integer [N], unique, 0 .. 2^63-1 (default 0..N-1)")
      ->check(CLI::ExistingFile);
  add_code_layout_flags(*cmd, args->layout);
  auto* mih = cmd->add_flag("--mih", args->mih, "search this index with multi-index hashing where it is faster");
  cmd->add_option("--substrings", args->substrings, "multi-index hashing substrings (default: about K / log2 N)")
      ->needs(mih);
  cmd->add_option("--out", args->out, "index file to write (.shx)")->required();
  cmd->callback([args] {
    const auto start = Clock::now();
    const CodeMatrix codes = read_codes_npy(args->codes, args->layout);
    const auto ids = args->ids.empty() ? std::vector<std::uint64_t>{} : read_ids_npy(args->ids, codes.size());
    write_index_file(args->out, codes, ids, {args->mih, args->substrings});
    std::cout << "wrote " << args->out << ": " << codes.size() << " codes of " << codes.bits() << " bits in "
              << seconds_since(start) << " s\n";
  });
}

void add_add(CLI::App& index) {
  struct Args {
    std::string index, codes, ids;
    CodeLayout layout = CodeLayout::Detect;
  };
  auto args = std::make_shared<Args>();
  auto* cmd = index.add_subcommand("add", "Append codes (and ids) to an index file");
  cmd->add_option("--index", args->index, "index file (.shx), rewritten atomically")->required();
  cmd->add_option("--codes", args->codes, "codes .npy to append")->required()->check(CLI::ExistingFile);
  cmd->add_option("--ids", args->ids, "their ids .npy (default: after the largest id in the index)")
      ->check(CLI::ExistingFile);
  add_code_layout_flags(*cmd, args->layout);
  cmd->callback([args] {
    const CodeMatrix codes = read_codes_npy(args->codes, args->layout);
    const auto ids = args->ids.empty() ? std::vector<std::uint64_t>{} : read_ids_npy(args->ids, codes.size());
    const auto given = append_to_index(args->index, codes, ids);
    std::cout << "appended " << given.size() << " codes to " << args->index;
    if (!given.empty()) std::cout << " (ids " << given.front() << " .. " << given.back() << ")";
    std::cout << "\n";
  });
}

void add_delete(CLI::App& index) {
  struct Args {
    std::string index, ids;
    std::vector<std::uint64_t> id_list;
  };
  auto args = std::make_shared<Args>();
  auto* cmd = index.add_subcommand("delete", "Mark codes deleted by id (until compaction)");
  cmd->add_option("--index", args->index, "index file (.shx), rewritten atomically")->required();
  auto* file = cmd->add_option("--ids", args->ids, "ids to delete, .npy integer [D]")->check(CLI::ExistingFile);
  auto* list = cmd->add_option("--id", args->id_list, "ids to delete, e.g. --id 3,17,42")->delimiter(',');
  file->excludes(list);
  cmd->callback([args] {
    std::vector<std::uint64_t> ids = args->id_list;
    if (!args->ids.empty()) ids = read_ids_npy(args->ids);
    if (args->ids.empty() && args->id_list.empty()) fail("index delete", "give the ids with --ids FILE or --id LIST");
    const std::size_t deleted = delete_from_index(args->index, ids);
    std::cout << "deleted " << deleted << " codes from " << args->index << "\n";
  });
}

void add_compact(CLI::App& index) {
  auto path = std::make_shared<std::string>();
  auto* cmd = index.add_subcommand("compact", "Rewrite an index file without its deleted codes");
  cmd->add_option("--index", *path, "index file (.shx), rewritten atomically")->required();
  cmd->callback([path] {
    const std::size_t removed = compact_index(*path);
    std::cout << "removed " << removed << " deleted codes from " << *path << "\n";
  });
}

void add_info(CLI::App& index) {
  auto path = std::make_shared<std::string>();
  auto* cmd = index.add_subcommand("info", "Describe an index file and verify its checksum");
  auto* option = cmd->add_option("--index", *path, "index file (.shx)");
  auto* positional = cmd->add_option("file", *path, "the same as --index (older form)");
  option->excludes(positional);
  cmd->callback([path] {
    if (path->empty()) fail("index info", "give the index file with --index FILE");
    print_info(IndexFile(*path), std::cout);
  });
}

struct SearchArgs {
  std::string index;
  SearchRequest request;
  ShardedSource sharded;  // --shards / --manifest (shard_commands.cpp)
};

// Searches the index file; returns seconds spent searching.
double run_search(const std::string& path, const SearchRequest& request, std::ostream& log) {
  const auto index = open_index(path);
  return search_to_files(*index, request, fmt::format("the index {} holds", path),
                         fmt::format(" ({}, {} kernel)", index->method(), kernel_name(active_kernel())), log);
}

void add_search(CLI::App& app) {
  auto args = std::make_shared<SearchArgs>();
  auto* cmd = app.add_subcommand("search", "Exact k-NN or radius search of query codes in an index file");
  cmd->add_option("--index", args->index, "index file (.shx)")->required();
  SearchRequest& request = args->request;
  cmd->add_option("--queries", request.queries, "query codes .npy (same formats as index build)")
      ->required()->check(CLI::ExistingFile);
  auto* k = cmd->add_option("-k,--k", request.k,
                            "neighbours per query (default 10); a k above the live codes is clamped to them")
                ->check(count_of_at_least_one());
  auto* radius = cmd->add_option("--radius", request.radius, "all codes within this Hamming distance instead of k-NN")
                     ->check(CLI::NonNegativeNumber);
  k->excludes(radius);
  cmd->add_option("--threads", request.threads, "threads (default 1; 0 = all cores)");
  add_code_layout_flags(*cmd, request.layout);
  cmd->add_option("--out", request.out,
                  "output prefix: PREFIX.ids.npy int64 [Q, k], PREFIX.dist.npy int32 [Q, k]; with --radius "
                  "PREFIX.offsets.npy int64 [Q + 1] and flat PREFIX.ids.npy / PREFIX.dist.npy")
      ->required();
  add_sharded_search_options(*cmd, args->sharded);
  cmd->callback([args] {
    if (args->sharded.given()) {
      run_sharded_search(args->sharded, args->request, std::cout);
      return;
    }
    if (args->index.empty()) fail("search", "give --index FILE, or a sharded index with --shards / --manifest");
    run_search(args->index, args->request, std::cout);
  });
}

void add_search_demo(CLI::App& app) {
  struct Args {
    std::size_t codes = 1000000, queries = 1000, bits = 64, centres = 1000, k = 5, show = 3;
    double flip = 0.1;
    std::uint64_t seed = 1;
    int threads = 1;
    std::string dir = "out/search-demo";
  };
  auto args = std::make_shared<Args>();
  auto* cmd = app.add_subcommand("search-demo",
                                 "Generate clustered random codes, build an index, search it and show results");
  cmd->add_option("--codes", args->codes, "database codes (default 1000000)");
  cmd->add_option("--queries", args->queries, "queries (default 1000)");
  cmd->add_option("--bits", args->bits, "bits per code (default 64)");
  cmd->add_option("--centres", args->centres, "cluster centres (default 1000)");
  cmd->add_option("--flip", args->flip, "probability of flipping each bit of a centre (default 0.1)")
      ->check(CLI::Range(0.0, 1.0));
  cmd->add_option("-k,--k", args->k, "neighbours per query (default 5)")->check(count_of_at_least_one());
  cmd->add_option("--show", args->show, "queries to print (default 3)");
  cmd->add_option("--threads", args->threads, "threads (default 1; 0 = all cores)");
  cmd->add_option("--seed", args->seed, "random seed (default 1)");
  cmd->add_option("--dir", args->dir, "directory for the files it writes (default out/search-demo)");
  cmd->callback([args] {
    check_code_bits(args->bits, "--bits");
    if (args->centres == 0) fail("--centres", "must be at least 1");
    std::filesystem::create_directories(args->dir);
    const std::filesystem::path dir = args->dir;
    std::mt19937_64 rng(args->seed);
    const CodeMatrix centres = random_codes(args->bits, args->centres, rng);
    std::vector<std::size_t> db_centre, query_centre;
    auto start = Clock::now();
    const CodeMatrix db = clustered_codes(centres, args->codes, args->flip, rng, &db_centre);
    const CodeMatrix queries = clustered_codes(centres, args->queries, args->flip, rng, &query_centre);
    write_codes_npy(dir / "db.npy", db);
    write_codes_npy(dir / "queries.npy", queries);
    std::cout << "generated " << args->codes << " database codes and " << args->queries << " queries of "
              << args->bits << " bits around " << args->centres << " centres (bit flip probability " << args->flip
              << ") in " << seconds_since(start) << " s\n";

    std::cout << "\n$ shrewd index build --codes " << (dir / "db.npy").string() << " --out "
              << (dir / "db.shx").string() << "\n";
    start = Clock::now();
    write_index_file(dir / "db.shx", read_codes_npy(dir / "db.npy", CodeLayout::Packed), {});
    std::cout << "built in " << seconds_since(start) << " s\n\n$ shrewd index info --index " << (dir / "db.shx").string()
              << "\n";
    print_info(IndexFile(dir / "db.shx"), std::cout);

    const std::string index = (dir / "db.shx").string();
    SearchRequest search;
    search.queries = (dir / "queries.npy").string();
    search.out = (dir / "result").string();
    search.k = args->k;
    search.threads = args->threads;
    std::cout << "\n$ shrewd search --index " << index << " --queries " << search.queries << " -k " << search.k
              << " --threads " << search.threads << " --out " << search.out << "\n";
    const double seconds = run_search(index, search, std::cout);
    std::cout << "throughput  " << double(args->codes) * double(args->queries) / std::max(seconds, 1e-9) / 1e9
              << " billion codes compared per second\n";

    const NpyArray ids = read_npy(search.out + ".ids.npy");
    const NpyArray dist = read_npy(search.out + ".dist.npy");
    const auto id_values = ids.values<std::int64_t>();
    const auto dist_values = dist.values<std::int32_t>();
    std::cout << "\nfirst results (id: distance, cluster of the found code):\n";
    for (std::size_t q = 0; q < std::min(args->show, args->queries); ++q) {
      std::cout << "query " << q << " (cluster " << query_centre[q] << "):";
      std::size_t same = 0;
      for (std::size_t j = 0; j < args->k; ++j) {
        const std::int64_t id = id_values[q * args->k + j];
        if (id < 0) break;
        same += db_centre[std::size_t(id)] == query_centre[q];
        std::cout << "  " << id << ": " << dist_values[q * args->k + j] << " (c" << db_centre[std::size_t(id)] << ")";
      }
      std::cout << "   [" << same << "/" << args->k << " same cluster]\n";
    }
  });
}

}  // namespace

double search_to_files(const BinaryIndex& index, const SearchRequest& request, const std::string& holder,
                       const std::string& detail, std::ostream& log) {
  const CodeMatrix queries = read_codes_npy(request.queries, request.layout);
  if (queries.bits() != index.bits())
    fail(request.queries, fmt::format("queries have {} bits but {} {}-bit codes",
                                      queries.bits(), holder, index.bits()));
  const SearchOptions options{request.threads};
  const std::string over = fmt::format("{} queries over {} codes{}", queries.size(), index.size(), detail);
  const auto start = Clock::now();
  double seconds = 0;
  std::vector<std::string> written;
  if (request.radius >= 0) {
    const RadiusResult result = index.range_search(queries, request.radius, options);
    seconds = seconds_since(start);
    written = write_search_result_npy(request.out, result);
    log << "radius " << request.radius << ": " << result.ids.size() << " hits for " << over;
  } else {
    // k above the live codes is clamped to them (docs/search.md): no columns of padding only
    const std::size_t k = std::min(request.k, index.size());
    const KnnResult result = index.search(queries, k, options);
    seconds = seconds_since(start);
    written = write_search_result_npy(request.out, result);
    log << k << "-NN of " << over;
  }
  log << " in " << seconds << " s\nwrote ";
  for (std::size_t i = 0; i < written.size(); ++i) log << (i ? ", " : "") << written[i];
  log << "\n";
  return seconds;
}

void add_index_commands(CLI::App& app) {
  auto* index = app.add_subcommand("index", "Build and maintain index files (.shx)");
  index->require_subcommand(1);
  add_build(*index);
  add_add(*index);
  add_delete(*index);
  add_compact(*index);
  add_info(*index);
  add_search(app);
  add_search_demo(app);
}

}  // namespace shrewd::cli
