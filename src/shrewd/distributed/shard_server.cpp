#include "shrewd/distributed/shard_server.hpp"

#include <httplib.h>

#include <charconv>
#include <nlohmann/json.hpp>

#include "shrewd/common/error.hpp"
#include "shrewd/distributed/shard_protocol.hpp"
#include "shrewd/index/shard_manifest.hpp"

namespace shrewd::distributed {
namespace {

class BadRequest : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

std::int64_t parameter(const httplib::Request& request, const char* name, std::int64_t lowest) {
  if (!request.has_param(name)) throw BadRequest(std::string("missing parameter ") + name);
  const std::string text = request.get_param_value(name);
  std::int64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || value < lowest)
    throw BadRequest(std::string("parameter ") + name + " = \"" + text + "\" is not an integer >= " +
                     std::to_string(lowest));
  return value;
}

// Runs a search handler, turning a bad request into 400 and any other failure into 500, each
// with the reason as text.
template <class Handler>
void answer(httplib::Response& response, Handler&& handler) {
  try {
    response.set_content(handler(), "application/octet-stream");
  } catch (const BadRequest& e) {
    response.status = 400;
    response.set_content(e.what(), "text/plain");
  } catch (const Error& e) {
    response.status = 400;
    response.set_content(e.what(), "text/plain");
  } catch (const std::exception& e) {
    response.status = 500;
    response.set_content(e.what(), "text/plain");
  }
}

}  // namespace

ShardServer::ShardServer(std::shared_ptr<const BinaryIndex> index, ShardIdentity identity, ShardServerOptions options)
    : index_(std::move(index)),
      identity_(std::move(identity)),
      options_(std::move(options)),
      server_(std::make_unique<httplib::Server>()) {
  const int connections = std::max(1, options_.connections);
  server_->new_task_queue = [connections] { return new httplib::ThreadPool(std::size_t(connections)); };

  server_->Get("/info", [this](const httplib::Request&, httplib::Response& response) {
    const nlohmann::json info = {{"format", "shrewd-shard"},     {"version", kProtocolVersion},
                                 {"name", identity_.name},       {"bits", identity_.bits},
                                 {"codes", identity_.codes},     {"checksum", checksum_text(identity_.checksum)}};
    response.set_content(info.dump(), "application/json");
  });
  auto queries_of = [this](const httplib::Request& request) {
    const auto bits = std::size_t(parameter(request, "bits", 1));
    if (bits != index_->bits())
      throw BadRequest("queries have " + std::to_string(bits) + " bits but this shard holds " +
                       std::to_string(index_->bits()) + "-bit codes");
    return decode_codes(request.body, bits, "request body");
  };
  server_->Post("/knn", [this, queries_of](const httplib::Request& request, httplib::Response& response) {
    answer(response, [&] {
      const auto k = std::size_t(parameter(request, "k", 0));
      const CodeMatrix queries = queries_of(request);
      return encode_knn(index_->search(queries, k, SearchOptions{options_.search_threads}));
    });
  });
  server_->Post("/radius", [this, queries_of](const httplib::Request& request, httplib::Response& response) {
    answer(response, [&] {
      const int radius = int(std::min<std::int64_t>(parameter(request, "radius", 0), 1 << 20));
      const CodeMatrix queries = queries_of(request);
      return encode_radius(index_->range_search(queries, radius, SearchOptions{options_.search_threads}));
    });
  });
}

ShardServer::~ShardServer() { stop(); }

int ShardServer::bind() {
  const std::string address = options_.host + ":" + std::to_string(options_.port);
  int port = options_.port == 0 ? server_->bind_to_any_port(options_.host)
                                : (server_->bind_to_port(options_.host, options_.port) ? options_.port : -1);
  if (port <= 0) fail(address, "cannot listen there (address in use, or not an address of this machine?)");
  return port;
}

void ShardServer::serve() { server_->listen_after_bind(); }

void ShardServer::stop() {
  if (server_) server_->stop();
}

}  // namespace shrewd::distributed
