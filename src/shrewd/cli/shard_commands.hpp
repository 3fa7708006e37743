#pragma once

#include <CLI/CLI.hpp>
#include <cstddef>
#include <ostream>
#include <string>

#include "shrewd/codes/code_npy.hpp"
#include "shrewd/index/binary_index.hpp"

namespace shrewd::cli {

// `shrewd index shard` and `shrewd shard-serve`; call after add_index_commands.
void add_shard_commands(CLI::App& app);

// Where `shrewd search` finds a sharded index: shard servers (--shards), a manifest (--manifest;
// alone: the shard files beside it, searched in this process; with --shards: checks that server i
// serves shard i of the manifest).
struct ShardedSource {
  std::string shards, manifest;
  int timeout_s = 60;
  std::string token_file;  // bearer token sent to every shard server
  bool given() const { return !shards.empty() || !manifest.empty(); }
};
// Adds --shards, --manifest and --timeout to the search command (and makes its --index optional).
void add_sharded_search_options(CLI::App& search, ShardedSource& source);

// What `shrewd search` is asked, whatever holds the index.
struct SearchRequest {
  std::string queries, out;
  std::size_t k = 10;
  int radius = -1;  // >= 0: radius search
  int threads = 1;
  CodeLayout layout = CodeLayout::Detect;  // of a uint8 queries file (--unpacked / --packed)
};

// Reads the queries, searches `index` (k-NN, or radius when request.radius >= 0), writes the
// result files (index/search_result_npy.hpp) and logs what it did. `holder` names the index in
// messages, with its verb ("the index db.shx holds", "the shards hold"); `detail` follows the code count in the log.
// Returns seconds spent searching.
double search_to_files(const BinaryIndex& index, const SearchRequest& request, const std::string& holder,
                       const std::string& detail, std::ostream& log);

// Searches every shard, merges the exact answer and writes the same files as `shrewd search
// --index`; nothing is written when a shard fails. Returns seconds spent searching.
double run_sharded_search(const ShardedSource& source, const SearchRequest& request, std::ostream& log);

}  // namespace shrewd::cli
