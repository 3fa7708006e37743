#include "shrewd/distributed/shard_client.hpp"

#include <fmt/format.h>
#include <httplib.h>

#include <charconv>
#include <chrono>
#include <future>
#include <nlohmann/json.hpp>

#include "shrewd/common/error.hpp"
#include "shrewd/distributed/shard_protocol.hpp"

namespace shrewd::distributed {
namespace {

std::unique_ptr<httplib::Client> connect(const ShardAddress& address, const RemoteShardOptions& options) {
  auto client = std::make_unique<httplib::Client>(address.host, address.port);
  client->set_connection_timeout(options.connect_timeout_s, 0);
  client->set_read_timeout(options.timeout_s, 0);
  client->set_write_timeout(options.timeout_s, 0);
  client->set_keep_alive(false);
  if (!options.token.empty()) client->set_bearer_token_auth(options.token.c_str());
  return client;
}

// Runs one call of `client` (ask) under a deadline of options.timeout_s for the whole call:
// cpp-httplib's timeouts bound each read, so a server trickling a byte at a time would hold it
// for ever. At the deadline the client's socket is shut down (httplib's stop(), repeated in case
// the call had not opened it yet), which ends the call.
template <class Ask>
httplib::Result within_timeout(const ShardAddress& address, const RemoteShardOptions& options, const std::string& where,
                               const std::string& what, Ask&& ask) {
  const auto client = connect(address, options);
  auto call = std::async(std::launch::async, [&] { return ask(*client); });
  if (call.wait_for(std::chrono::seconds(options.timeout_s)) == std::future_status::ready) return call.get();
  do client->stop();
  while (call.wait_for(std::chrono::milliseconds(50)) != std::future_status::ready);
  call.get();
  fail(where, fmt::format("no complete answer to {} within the timeout of {} s: the shard server is too slow or not a "
                          "shard server", what, options.timeout_s));
}

std::string check_answer(const httplib::Result& result, const std::string& where, const std::string& what) {
  if (!result)
    fail(where, fmt::format("no answer to {} ({}): the shard server is down, unreachable or too slow",
                            what, httplib::to_string(result.error())));
  if (result->status != 200)
    fail(where, fmt::format("answered {} with status {}: {}", what, result->status, result->body));
  return result->body;
}

}  // namespace

std::vector<ShardAddress> parse_shard_addresses(const std::string& list, const std::string& where) {
  std::vector<ShardAddress> addresses;
  std::size_t start = 0;
  while (start <= list.size()) {
    const std::size_t end = std::min(list.find(',', start), list.size());
    const std::string entry = list.substr(start, end - start);
    const std::size_t colon = entry.rfind(':');
    int port = 0;
    const char* digits = entry.data() + colon + 1;
    const auto [stop, error] =
        colon == std::string::npos ? std::from_chars_result{digits, std::errc::invalid_argument}
                                   : std::from_chars(digits, entry.data() + entry.size(), port);
    if (colon == std::string::npos || colon == 0 || error != std::errc() || stop != entry.data() + entry.size() ||
        port <= 0 || port > 65535)
      fail(where, fmt::format("\"{}\" is not host:port (port 1..65535)", entry));
    addresses.push_back({entry.substr(0, colon), port});
    start = end + 1;
  }
  return addresses;
}

RemoteShard::RemoteShard(ShardAddress address, RemoteShardOptions options)
    : address_(std::move(address)), options_(options) {
  const std::string where = "shard server " + address_.text();
  const std::string body = check_answer(
      within_timeout(address_, options_, where, "GET /info", [](httplib::Client& client) { return client.Get("/info"); }),
      where, "GET /info");
  try {
    const auto info = nlohmann::json::parse(body);
    if (info.at("format").get<std::string>() != "shrewd-shard" || info.at("version").get<int>() != kProtocolVersion)
      fail(where, fmt::format("is not a shrewd shard server of protocol version {}", kProtocolVersion));
    identity_.name = info.at("name").get<std::string>();
    identity_.bits = info.at("bits").get<std::size_t>();
    identity_.codes = info.at("codes").get<std::size_t>();
    identity_.checksum = std::uint32_t(std::stoul(info.at("checksum").get<std::string>(), nullptr, 16));
  } catch (const Error&) {
    throw;
  } catch (const std::exception& e) {
    fail(where, fmt::format("answered GET /info with something that is not a shard description ({})", e.what()));
  }
}

std::string RemoteShard::post(const std::string& path, CodeSpan queries) const {
  const std::string body = encode_codes(queries), where = "shard server " + address_.text(),
                    what = "POST " + path.substr(0, path.find('?'));
  return check_answer(within_timeout(address_, options_, where, what,
                                     [&](httplib::Client& client) {
                                       return client.Post(path.c_str(), body, "application/octet-stream");
                                     }),
                      where, what);
}

// Every id the shard answers lies in its range, with a distance in [0, largest_distance]; with
// `padded` (k-NN rows) -1 (both) is padding after the last hit. Anything else is an Error naming
// the shard: a negative id in the middle of a row would silently drop the hits after it.
void RemoteShard::check_ids(const std::int64_t* ids, const std::int32_t* distances, std::size_t n,
                            int largest_distance, bool padded) const {
  bool padding = false;
  for (std::size_t i = 0; i < n; ++i) {
    if (padded && ids[i] == -1 && distances[i] == -1) {
      padding = true;
      continue;
    }
    const bool bad_id = ids[i] < options_.min_id || ids[i] > options_.max_id;
    if (padding || bad_id || distances[i] < 0 || distances[i] > largest_distance)
      fail("shard server " + address_.text(),
           fmt::format("answered id {} at distance {}{}: this shard holds ids {}..{} at distances 0..{}", ids[i],
                       distances[i], padding ? " after its padding" : "", options_.min_id, options_.max_id,
                       largest_distance));
  }
}

KnnResult RemoteShard::search(CodeSpan queries, std::size_t k, const SearchOptions&) const {
  k = std::min(k, identity_.codes);  // the shard answers at most its live codes per query
  const std::string answer =
      post(fmt::format("/knn?bits={}&k={}", queries.bits, k), queries);
  KnnResult result = decode_knn(answer, queries.count, k, "shard server " + address_.text());
  for (std::size_t q = 0; q < result.queries; ++q)
    check_ids(result.ids.data() + q * k, result.distances.data() + q * k, k, int(identity_.bits), true);
  return result;
}

RadiusResult RemoteShard::range_search(CodeSpan queries, int radius, const SearchOptions&) const {
  const std::string answer =
      post(fmt::format("/radius?bits={}&radius={}", queries.bits, radius), queries);
  RadiusResult result = decode_radius(answer, queries.count, "shard server " + address_.text());
  check_ids(result.ids.data(), result.distances.data(), result.ids.size(), std::min(radius, int(identity_.bits)), false);
  return result;
}

}  // namespace shrewd::distributed
