#include "shrewd/distributed/shard_client.hpp"

#include <httplib.h>

#include <charconv>
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
  return client;
}

std::string check_answer(const httplib::Result& result, const std::string& where, const std::string& what) {
  if (!result)
    fail(where, "no answer to " + what + " (" + httplib::to_string(result.error()) +
                    "): the shard server is down, unreachable or too slow");
  if (result->status != 200)
    fail(where, "answered " + what + " with status " + std::to_string(result->status) + ": " + result->body);
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
      fail(where, "\"" + entry + "\" is not host:port (port 1..65535)");
    addresses.push_back({entry.substr(0, colon), port});
    start = end + 1;
  }
  return addresses;
}

RemoteShard::RemoteShard(ShardAddress address, RemoteShardOptions options)
    : address_(std::move(address)), options_(options) {
  const std::string where = "shard server " + address_.text();
  const std::string body = check_answer(connect(address_, options_)->Get("/info"), where, "GET /info");
  try {
    const auto info = nlohmann::json::parse(body);
    if (info.at("format").get<std::string>() != "shrewd-shard" || info.at("version").get<int>() != kProtocolVersion)
      fail(where, "is not a shrewd shard server of protocol version " + std::to_string(kProtocolVersion));
    identity_.name = info.at("name").get<std::string>();
    identity_.bits = info.at("bits").get<std::size_t>();
    identity_.codes = info.at("codes").get<std::size_t>();
    identity_.checksum = std::uint32_t(std::stoul(info.at("checksum").get<std::string>(), nullptr, 16));
  } catch (const Error&) {
    throw;
  } catch (const std::exception& e) {
    fail(where, std::string("answered GET /info with something that is not a shard description (") + e.what() + ")");
  }
}

std::string RemoteShard::post(const std::string& path, CodeSpan queries) const {
  const std::string body = encode_codes(queries);
  return check_answer(connect(address_, options_)->Post(path.c_str(), body, "application/octet-stream"),
                      "shard server " + address_.text(), "POST " + path.substr(0, path.find('?')));
}

KnnResult RemoteShard::search(CodeSpan queries, std::size_t k, const SearchOptions&) const {
  const std::string answer =
      post("/knn?bits=" + std::to_string(queries.bits) + "&k=" + std::to_string(k), queries);
  return decode_knn(answer, queries.count, k, "shard server " + address_.text());
}

RadiusResult RemoteShard::range_search(CodeSpan queries, int radius, const SearchOptions&) const {
  const std::string answer =
      post("/radius?bits=" + std::to_string(queries.bits) + "&radius=" + std::to_string(radius), queries);
  return decode_radius(answer, queries.count, "shard server " + address_.text());
}

}  // namespace shrewd::distributed
