#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "shrewd/index/binary_index.hpp"
#include "shrewd/net/http_listener.hpp"

namespace shrewd::distributed {

// What a shard server says about itself on GET /info; the client checks it against the manifest.
struct ShardIdentity {
  std::string name;  // the shard file's name
  std::size_t bits = 0;
  std::size_t codes = 0;
  std::uint32_t checksum = 0;
};

struct ShardServerOptions {
  std::string host = "127.0.0.1";  // loopback unless the user asks for more
  int port = 0;                    // 0: any free port (bind() returns it)
  int connections = 4;             // requests served at once
  int request_timeout_s = 10;      // a whole request, read and answered, from its first byte
  int search_threads = 1;          // threads per search request
  // Most results one request may make the server hold or send: queries x k (k is clamped to the
  // shard's live codes first) and the hits of a radius search; above it the answer is 413. A
  // request body may hold at most this many queries (413 before it is read).
  std::size_t max_results = std::size_t(1) << 22;
  // When not empty, every request must send "Authorization: Bearer <token>" (else 401).
  std::string token;
};

// Serves one shard (any BinaryIndex) over the shard protocol (shard_protocol.hpp). bind(), serve(),
// stop() and is_running() are the listener's (net/http_listener.hpp).
class ShardServer : public net::HttpListener {
 public:
  ShardServer(std::shared_ptr<const BinaryIndex> index, ShardIdentity identity, ShardServerOptions options);
  ~ShardServer() override;

 private:
  std::shared_ptr<const BinaryIndex> index_;
  ShardIdentity identity_;
  ShardServerOptions options_;
};

}  // namespace shrewd::distributed
