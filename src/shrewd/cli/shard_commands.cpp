// shrewd index shard, shrewd shard-serve, and the sharded side of shrewd search.
#include "shrewd/cli/shard_commands.hpp"

#include <chrono>
#include <filesystem>
#include <fmt/format.h>
#include <iostream>
#include <memory>
#include <optional>

#include "shrewd/common/error.hpp"
#include "shrewd/common/seconds_since.hpp"
#include "shrewd/distributed/shard_client.hpp"
#include "shrewd/distributed/shard_server.hpp"
#include "shrewd/index/open_index.hpp"
#include "shrewd/index/shard_manifest.hpp"
#include "shrewd/index/shard_set.hpp"
#include "shrewd/index/shard_split.hpp"
#include "shrewd/net/bearer_token.hpp"
#include "shrewd/net/stop_signals.hpp"

namespace shrewd::cli {
namespace {

using Clock = std::chrono::steady_clock;

void add_index_shard(CLI::App& index) {
  struct Args {
    std::string index, out;
    std::size_t shards = 2;
  };
  auto args = std::make_shared<Args>();
  auto* cmd = index.add_subcommand("shard", "Split an index file into shard files and a manifest");
  cmd->add_option("--index", args->index, "index file (.shx) to split")->required()->check(CLI::ExistingFile);
  cmd->add_option("--shards", args->shards, "number of shards S (default 2)")->check(CLI::PositiveNumber);
  cmd->add_option("--out", args->out, "prefix: writes PREFIX-i-of-S.shx and PREFIX.manifest.json")->required();
  cmd->callback([args] {
    const auto start = Clock::now();
    const ShardManifest manifest = split_index(args->index, args->shards, args->out);
    for (std::size_t i = 0; i < manifest.shards.size(); ++i) {
      const ShardEntry& s = manifest.shards[i];
      std::cout << "wrote " << manifest.shard_path(i).string() << ": " << s.codes << " codes, ids " << s.min_id
                << " .. " << s.max_id << ", crc32 " << checksum_text(s.checksum) << "\n";
    }
    std::cout << "wrote " << manifest.path.string() << " (" << manifest.codes << " codes of " << manifest.bits
              << " bits in " << manifest.shards.size() << " shards) in "
              << seconds_since(start) << " s\n";
  });
}

void add_shard_serve(CLI::App& app) {
  struct Args {
    std::string index, token_file;
    distributed::ShardServerOptions server;
  };
  auto args = std::make_shared<Args>();
  auto* cmd = app.add_subcommand("shard-serve", "Serve one shard file to `shrewd search --shards`");
  cmd->add_option("--index", args->index, "shard file (.shx), e.g. PREFIX-0-of-4.shx")->required();
  cmd->add_option("--host", args->server.host, "address to listen on (default 127.0.0.1; 0.0.0.0 = all)");
  cmd->add_option("--port", args->server.port, "port (default 0: any free port, printed on start)")
      ->check(CLI::Range(0, 65535));
  cmd->add_option("--threads", args->server.search_threads, "threads per search request (default 1; 0 = all cores)");
  cmd->add_option("--connections", args->server.connections, "requests served at once (default 4)")
      ->check(CLI::PositiveNumber);
  cmd->add_option("--request-timeout", args->server.request_timeout_s,
                  "seconds a request may take, from its first byte to the end of its answer (default 10)")
      ->check(CLI::Range(1, 3600));
  cmd->add_option("--max-results", args->server.max_results,
                  "most results one request may ask for: queries x k, or radius hits (default 4194304; above: 413)")
      ->check(CLI::Range(1.0, 1e15));
  cmd->add_option("--token-file", args->token_file,
                  "file whose first line is the bearer token every request must send (search --token-file)")
      ->check(CLI::ExistingFile);
  cmd->callback([args] {
    if (!args->token_file.empty()) args->server.token = net::read_token_file(args->token_file);
    const std::string& host = args->server.host;
    if (args->server.token.empty() && !(host == "localhost" || host == "::1" || host.rfind("127.", 0) == 0))
      std::cerr << "shrewd shard-serve: warning: listening on " << host
                << " without --token-file: anyone who can reach this address can search this shard\n";
    // SIGINT / SIGTERM stop the server cleanly (net/stop_signals.hpp): blocked in every thread from
    // here on, they are taken by a thread of their own.
    net::block_stop_signals();
    // copied into memory: writing to or truncating the file in place must not change or kill the server
    std::shared_ptr<OpenedIndex> index = open_index(args->index, {.residence = FileResidence::copied});
    const distributed::ShardIdentity identity{std::filesystem::path(args->index).filename().string(), index->bits(),
                                              index->size(), index->file().checksum()};
    distributed::ShardServer server(index, identity, args->server);
    const int port = server.bind();
    std::cout << "serving " << identity.name << " (" << identity.codes << " codes of " << identity.bits
              << " bits, crc32 " << checksum_text(identity.checksum) << ", " << index->method() << ") on "
              << args->server.host << ":" << port << std::endl;
    net::serve_until_signalled(server);
    std::cout << "stopped" << std::endl;
  });
}

std::unique_ptr<ShardedIndex> open_sharded(const ShardedSource& source) {
  std::optional<ShardManifest> manifest;
  if (!source.manifest.empty()) manifest = read_shard_manifest(source.manifest);
  std::vector<NamedShard> shards;
  if (!source.shards.empty()) {
    const auto addresses = distributed::parse_shard_addresses(source.shards, "--shards");
    if (manifest && addresses.size() != manifest->shards.size())
      fail("--shards", fmt::format("{} servers given for the {} shards of {}",
                                   addresses.size(), manifest->shards.size(), source.manifest));
    distributed::RemoteShardOptions options;
    options.timeout_s = source.timeout_s;
    options.connect_timeout_s = std::min(source.timeout_s, 5);
    if (!source.token_file.empty()) options.token = net::read_token_file(source.token_file);
    for (std::size_t i = 0; i < addresses.size(); ++i) {
      const std::string name =
          fmt::format("shard {} of {} ({})", i, addresses.size(), addresses[i].text());
      std::unique_ptr<distributed::RemoteShard> shard;
      if (manifest) {  // the shard must answer ids of its range only
        options.min_id = std::int64_t(manifest->shards[i].min_id);
        options.max_id = std::int64_t(manifest->shards[i].max_id);
      }
      try {
        shard = std::make_unique<distributed::RemoteShard>(addresses[i], options);
      } catch (const Error& e) {
        fail(name, e.what());
      }
      if (manifest)
        check_shard_against_manifest(*manifest, i, "shard server " + addresses[i].text(), shard->bits(),
                                     shard->size(), shard->identity().checksum);
      shards.push_back({fmt::format("{} serving {}", name, shard->identity().name), std::move(shard)});
    }
  } else {
    for (std::size_t i = 0; i < manifest->shards.size(); ++i) {
      const auto path = manifest->shard_path(i);
      if (!std::filesystem::exists(path))
        fail(manifest->shard_name(i), fmt::format("shard file {} is missing", path.string()));
      std::unique_ptr<OpenedIndex> shard = open_index(path);
      check_shard_against_manifest(*manifest, i, path.string(), shard->bits(), shard->size(),
                                   shard->file().checksum());
      shards.push_back({manifest->shard_name(i), std::move(shard)});
    }
  }
  return std::make_unique<ShardedIndex>(std::move(shards));
}

}  // namespace

void add_shard_commands(CLI::App& app) {
  add_index_shard(*app.get_subcommand("index"));
  add_shard_serve(app);
}

void add_sharded_search_options(CLI::App& search, ShardedSource& source) {
  auto* index = search.get_option("--index");
  index->required(false);
  auto* shards = search.add_option("--shards", source.shards,
                                   "search a sharded index served by `shrewd shard-serve`: host:port,host:port,...");
  auto* manifest = search.add_option("--manifest", source.manifest,
                                     "shard manifest (PREFIX.manifest.json): alone, search its shard files here; "
                                     "with --shards, check each server holds the shard the manifest lists")
                       ->check(CLI::ExistingFile);
  search.add_option("--timeout", source.timeout_s,
                    "seconds one call to a shard may take in all, however slowly it answers (default 60)")
      ->check(CLI::PositiveNumber);
  auto* token = search.add_option("--token-file", source.token_file,
                                  "file whose first line is the bearer token of the shard servers (shard-serve "
                                  "--token-file)")
                    ->check(CLI::ExistingFile);
  token->needs(shards);
  index->excludes(shards);
  index->excludes(manifest);
}

double run_sharded_search(const ShardedSource& source, const SearchRequest& request, std::ostream& log) {
  const auto index = open_sharded(source);
  return search_to_files(*index, request, "the shards hold", fmt::format(" in {} shards", index->shards()), log);
}

}  // namespace shrewd::cli
