#include "shrewd/distributed/shard_server.hpp"

#include <fmt/format.h>
#include <httplib.h>

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <nlohmann/json.hpp>

#include "shrewd/common/error.hpp"
#include "shrewd/distributed/shard_protocol.hpp"
#include "shrewd/index/shard_manifest.hpp"
#include "shrewd/net/bearer_token.hpp"
#include "shrewd/net/http_error.hpp"

namespace shrewd::distributed {
namespace {

std::int64_t parameter(const httplib::Request& request, const char* name, std::int64_t lowest) {
  if (!request.has_param(name)) throw net::HttpError(400, std::string("missing parameter ") + name);
  const std::string text = request.get_param_value(name);
  std::int64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || value < lowest)
    throw net::HttpError(400, fmt::format("parameter {} = \"{}\" is not an integer >= {}", name, text, lowest));
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
    : net::HttpListener({options.host, options.port, std::max(1, options.connections),
                         std::chrono::seconds(options.request_timeout_s)}),
      index_(std::move(index)),
      identity_(std::move(identity)),
      options_(std::move(options)) {
  httplib::Server& server = http();
  // A body holds the queries, and more than max_results queries cannot be answered: a longer
  // body is refused (413) from its Content-Length, before any of it is read.
  const std::size_t code_bytes = words_for_bits(index_->bits()) * 8;
  server.set_payload_max_length(std::min(options_.max_results, SIZE_MAX / code_bytes) * code_bytes);
  // the body's framing and the token are checked before any body is read
  server.set_pre_routing_handler([token = options_.token](const httplib::Request& request,
                                                          httplib::Response& response) {
    if (const net::BodyCheck body = net::check_request_body(request); body.status != 0) {
      response.status = body.status;
      response.set_content(body.message, "text/plain");
      return httplib::Server::HandlerResponse::Handled;
    }
    if (token.empty() || net::bearer_token_matches(request.get_header_value("Authorization"), token))
      return httplib::Server::HandlerResponse::Unhandled;
    response.status = 401;
    response.set_header("WWW-Authenticate", "Bearer realm=\"shrewd-shard\"");
    response.set_content("missing or wrong bearer token (give the client --token-file)", "text/plain");
    return httplib::Server::HandlerResponse::Handled;
  });
  server.Get("/info", [this](const httplib::Request&, httplib::Response& response) {
    const nlohmann::json info = {{"format", "shrewd-shard"},     {"version", kProtocolVersion},
                                 {"name", identity_.name},       {"bits", identity_.bits},
                                 {"codes", identity_.codes},     {"checksum", checksum_text(identity_.checksum)}};
    response.set_content(info.dump(), "application/json");
  });
  auto queries_of = [this](const httplib::Request& request) {
    const auto bits = std::size_t(parameter(request, "bits", 1));
    if (bits != index_->bits())
      throw net::HttpError(400, fmt::format("queries have {} bits but this shard holds {}-bit codes",
                                            bits, index_->bits()));
    return decode_codes(request.body, bits, "request body");
  };
  server.Post("/knn", [this, queries_of](const httplib::Request& request, httplib::Response& response) {
    answer(response, [&] {
      // k above the live codes is clamped to them: the answer says which k it holds
      const auto k = std::min(std::size_t(parameter(request, "k", 0)), index_->size());
      const CodeMatrix queries = queries_of(request);
      if (k != 0 && queries.size() > options_.max_results / k)
        throw net::HttpError(413, fmt::format("{} queries x k = {} results exceed this shard server's limit of {} per "
                                              "request (--max-results)", queries.size(), k, options_.max_results));
      return encode_knn(index_->search(queries, k, SearchOptions{options_.search_threads}));
    });
  });
  server.Post("/radius", [this, queries_of](const httplib::Request& request, httplib::Response& response) {
    answer(response, [&] {
      const int radius = int(std::min<std::int64_t>(parameter(request, "radius", 0), 1 << 20));
      const CodeMatrix queries = queries_of(request);
      // searched in slices of queries that can hold at most max_results hits between them, so
      // neither what the server holds nor what it sends grows past the limit (plus one slice)
      const std::size_t slice = std::max<std::size_t>(1, options_.max_results / std::max<std::size_t>(1, index_->size()));
      RadiusResult all;
      all.offsets.push_back(0);
      for (std::size_t first = 0; first < queries.size(); first += slice) {
        const CodeSpan part = queries.span().rows(first, std::min(slice, queries.size() - first));
        const RadiusResult found = index_->range_search(part, radius, SearchOptions{options_.search_threads});
        if (found.ids.size() > options_.max_results - all.ids.size())
          throw net::HttpError(413, fmt::format("radius {} finds more than {} hits, this shard server's limit per "
                                                "request (--max-results)", radius, options_.max_results));
        const auto base = std::int64_t(all.ids.size());
        for (std::size_t q = 1; q < found.offsets.size(); ++q) all.offsets.push_back(base + found.offsets[q]);
        all.ids.insert(all.ids.end(), found.ids.begin(), found.ids.end());
        all.distances.insert(all.distances.end(), found.distances.begin(), found.distances.end());
      }
      return encode_radius(all);
    });
  });
}

ShardServer::~ShardServer() { stop(); }

}  // namespace shrewd::distributed
