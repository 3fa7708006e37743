#pragma once

#include <httplib.h>

#include <cstdint>
#include <memory>
#include <random>
#include <thread>

#include "shrewd/codes/code_matrix.hpp"
#include "shrewd/codes/hamming.hpp"
#include "shrewd/index/flat_index.hpp"
#include "shrewd/serve/http_server.hpp"
#include "shrewd/serve/search_service.hpp"
#include "support/serving_thread.hpp"

namespace shrewd::serve::testing {

inline std::shared_ptr<CodeMatrix> random_codes(std::size_t count, std::size_t bits, std::uint64_t seed) {
  auto codes = std::make_shared<CodeMatrix>(bits);
  std::mt19937_64 random(seed);
  std::vector<std::uint8_t> bytes(bits / 8);
  for (std::size_t i = 0; i < count; ++i) {
    for (auto& byte : bytes) byte = std::uint8_t(random());
    codes->append_bytes(bytes.data());
  }
  return codes;
}

// A loader over codes held in memory: item id = row, searched by the flat scan.
inline IndexLoader flat_loader(std::shared_ptr<const CodeMatrix> codes, std::string source = "memory") {
  return [codes, source] {
    LoadedIndex loaded;
    loaded.index = std::make_shared<FlatIndex>(codes->span());
    loaded.codes = codes->span();
    loaded.owner = codes;
    loaded.source = source;
    loaded.kind = "flat";
    return loaded;
  };
}

// Distances from one code to all, sorted by (distance, id): the expected k-NN order.
inline std::vector<std::pair<int, std::int64_t>> brute_force(const CodeMatrix& codes, const CodeMatrix& query) {
  std::vector<std::pair<int, std::int64_t>> order;
  for (std::size_t i = 0; i < codes.size(); ++i)
    order.emplace_back(hamming_distance(query.code(0), codes.code(i), codes.words_per_code()), std::int64_t(i));
  std::sort(order.begin(), order.end());
  return order;
}

// An HttpServer on a free loopback port, serving on its own thread until destroyed.
class RunningServer {
 public:
  RunningServer(std::shared_ptr<SearchService> service, HttpOptions options = {})
      : server_(std::move(service), loopback(std::move(options))), serving_(server_) {}
  int port() const { return serving_.port(); }
  httplib::Client client() const {
    httplib::Client client("127.0.0.1", port());
    client.set_connection_timeout(5);
    client.set_read_timeout(10);
    return client;
  }

 private:
  static HttpOptions loopback(HttpOptions options) {
    options.host = "127.0.0.1";
    options.port = 0;
    return options;
  }

  HttpServer server_;
  shrewd::testing::ServingThread serving_;
};

}  // namespace shrewd::serve::testing
