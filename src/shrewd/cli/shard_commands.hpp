#pragma once

#include <CLI/CLI.hpp>
#include <cstddef>
#include <ostream>
#include <string>

namespace shrewd::cli {

// `shrewd index shard` and `shrewd shard-serve`; call after add_index_commands.
void add_shard_commands(CLI::App& app);

// Where `shrewd search` finds a sharded index: shard servers (--shards), a manifest (--manifest;
// alone: the shard files beside it, searched in this process; with --shards: checks that server i
// serves shard i of the manifest).
struct ShardedSource {
  std::string shards, manifest;
  int timeout_s = 60;
  bool given() const { return !shards.empty() || !manifest.empty(); }
};
// Adds --shards, --manifest and --timeout to the search command (and makes its --index optional).
void add_sharded_search_options(CLI::App& search, ShardedSource& source);

struct ShardedSearchRequest {
  std::string queries, out;
  std::size_t k = 10;
  int radius = -1;  // >= 0: radius search
  int threads = 1;
  bool unpacked = false;
};
// Searches every shard, merges the exact answer and writes the same files as `shrewd search
// --index`; nothing is written when a shard fails. Returns seconds spent searching.
double run_sharded_search(const ShardedSource& source, const ShardedSearchRequest& request, std::ostream& log);

}  // namespace shrewd::cli
