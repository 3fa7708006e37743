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
  RunningServer(std::shared_ptr<SearchService> service, HttpOptions options = {}) {
    options.host = "127.0.0.1";
    options.port = 0;
    server_ = std::make_unique<HttpServer>(std::move(service), options);
    port_ = server_->bind();
    thread_ = std::thread([this] { server_->serve(); });
  }
  ~RunningServer() {
    server_->stop();
    thread_.join();
  }
  int port() const { return port_; }
  httplib::Client client() const {
    httplib::Client client("127.0.0.1", port_);
    client.set_connection_timeout(5);
    client.set_read_timeout(10);
    return client;
  }

 private:
  std::unique_ptr<HttpServer> server_;
  int port_ = 0;
  std::thread thread_;
};

}  // namespace shrewd::serve::testing
