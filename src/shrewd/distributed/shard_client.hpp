#pragma once

#include <cstddef>
#include <cstdint>
#include <fmt/format.h>
#include <string>
#include <vector>

#include "shrewd/distributed/shard_server.hpp"
#include "shrewd/index/binary_index.hpp"

namespace shrewd::distributed {

struct ShardAddress {
  std::string host;
  int port = 0;
  std::string text() const { return fmt::format("{}:{}", host, port); }
};

// "host:port,host:port,..." -> addresses; an Error naming `where` for a malformed entry.
std::vector<ShardAddress> parse_shard_addresses(const std::string& list, const std::string& where);

struct RemoteShardOptions {
  int connect_timeout_s = 5;
  int timeout_s = 60;  // for one whole call (connect, send, answer), however slowly the bytes come
  // The ids the shard may answer (the manifest's min_id / max_id when one is given): an answer
  // with any other id is an Error naming the shard.
  std::int64_t min_id = 0;
  std::int64_t max_id = INT64_MAX;
  std::string token;  // sent as "Authorization: Bearer <token>" when not empty
};

// A shard served by `shrewd shard-serve`, searched over the shard protocol. The constructor asks
// the server who it is (GET /info); every failure (no server, a timeout, an error status, a
// malformed answer) is an Error naming the address.
class RemoteShard : public BinaryIndex {
 public:
  RemoteShard(ShardAddress address, RemoteShardOptions options = {});

  const ShardAddress& address() const { return address_; }
  const ShardIdentity& identity() const { return identity_; }

  std::size_t size() const override { return identity_.codes; }
  std::size_t bits() const override { return identity_.bits; }
  // options.threads is ignored: the server searches with its own --threads.
  KnnResult search(CodeSpan queries, std::size_t k, const SearchOptions& options = {}) const override;
  RadiusResult range_search(CodeSpan queries, int radius, const SearchOptions& options = {}) const override;

 private:
  std::string post(const std::string& path, CodeSpan queries) const;
  void check_ids(const std::int64_t* ids, const std::int32_t* distances, std::size_t n, int largest_distance,
                 bool padded) const;

  ShardAddress address_;
  RemoteShardOptions options_;
  ShardIdentity identity_;
};

}  // namespace shrewd::distributed
