#include "shrewd/distributed/shard_server.hpp"

#include <httplib.h>

#include <charconv>
#include <nlohmann/json.hpp>

#include "shrewd/common/error.hpp"
#include "shrewd/distributed/shard_protocol.hpp"
#include "shrewd/index/shard_manifest.hpp"
#include "shrewd/net/http_error.hpp"

namespace shrewd::distributed {
namespace {

std::int64_t parameter(const httplib::Request& request, const char* name, std::int64_t lowest) {
  if (!request.has_param(name)) throw net::HttpError(400, std::string("missing parameter ") + name);
  const std::string text = request.get_param_value(name);
  std::int64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || value < lowest)
    throw net::HttpError(400, std::string("parameter ") + name + " = \"" + text + "\" is not an integer >= " +
                                  std::to_string(lowest));
  return value;
}

// Runs a search handler; a failure is answered with its status (net::answer) and the reason as text.
template <class Handler>
void answer(httplib::Response& response, Handler&& handler) {
  net::answer([&] { response.set_content(handler(), "application/octet-stream"); },
              [&](int status, const std::string& message) {
                response.status = status;
                response.set_content(message, "text/plain");
              });
}

}  // namespace

ShardServer::ShardServer(std::shared_ptr<const BinaryIndex> index, ShardIdentity identity, ShardServerOptions options)
    : net::HttpListener({options.host, options.port, std::max(1, options.connections)}),
      index_(std::move(index)),
      identity_(std::move(identity)),
      options_(std::move(options)) {
  httplib::Server& server = http();
  server.Get("/info", [this](const httplib::Request&, httplib::Response& response) {
    const nlohmann::json info = {{"format", "shrewd-shard"},     {"version", kProtocolVersion},
                                 {"name", identity_.name},       {"bits", identity_.bits},
                                 {"codes", identity_.codes},     {"checksum", checksum_text(identity_.checksum)}};
    response.set_content(info.dump(), "application/json");
  });
  auto queries_of = [this](const httplib::Request& request) {
    const auto bits = std::size_t(parameter(request, "bits", 1));
    if (bits != index_->bits())
      throw net::HttpError(400, "queries have " + std::to_string(bits) + " bits but this shard holds " +
                       std::to_string(index_->bits()) + "-bit codes");
    return decode_codes(request.body, bits, "request body");
  };
  server.Post("/knn", [this, queries_of](const httplib::Request& request, httplib::Response& response) {
    answer(response, [&] {
      const auto k = std::size_t(parameter(request, "k", 0));
      const CodeMatrix queries = queries_of(request);
      return encode_knn(index_->search(queries, k, SearchOptions{options_.search_threads}));
    });
  });
  server.Post("/radius", [this, queries_of](const httplib::Request& request, httplib::Response& response) {
    answer(response, [&] {
      const int radius = int(std::min<std::int64_t>(parameter(request, "radius", 0), 1 << 20));
      const CodeMatrix queries = queries_of(request);
      return encode_radius(index_->range_search(queries, radius, SearchOptions{options_.search_threads}));
    });
  });
}

ShardServer::~ShardServer() { stop(); }

}  // namespace shrewd::distributed
