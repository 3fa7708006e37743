// Serve requests (src/shrewd/serve/search_service.*), without sockets: the service the HTTP routes
// call, over a fixed index of 64 random 64-bit codes, run inside net::answer exactly as the routes
// do. The first byte picks the route:
//   0  POST /api/search          the rest is the JSON body (parse_json_object, then search)
//   1  GET  /api/search?...      the rest is the query string "key=value&..." (no %-decoding)
//   2  GET  /api/items/<rest>    item
//   3  GET  /api/items/<rest>/thumbnail.png
// A refusal must be a 4xx: an answer of 500 or more ("internal error", out of memory) aborts.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <random>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "shrewd/codes/code_matrix.hpp"
#include "shrewd/index/flat_index.hpp"
#include "shrewd/net/http_error.hpp"
#include "shrewd/serve/search_service.hpp"

namespace {

using nlohmann::json;
using namespace shrewd;
using namespace shrewd::serve;

std::shared_ptr<SearchService> make_service() {
  auto codes = std::make_shared<CodeMatrix>(64);
  std::mt19937_64 random(7);
  std::uint8_t bytes[8];
  for (int i = 0; i < 64; ++i) {
    for (auto& byte : bytes) byte = std::uint8_t(random());
    codes->append_bytes(bytes);
  }
  auto catalog = std::make_shared<ItemCatalog>();
  for (std::size_t i = 0; i < codes->size(); ++i) catalog->labels.push_back(std::int64_t(i % 3));
  catalog->class_names = {"cat", "dog", "car"};
  catalog->class_similarity = {{1.0, 0.5, 0.0}, {0.5, 1.0, 0.0}, {0.0, 0.0, 1.0}};
  auto loader = [codes] {
    LoadedIndex loaded;
    loaded.index = std::make_shared<FlatIndex>(codes->span());
    loaded.codes = codes->span();
    loaded.owner = codes;
    loaded.source = "fuzz";
    loaded.kind = "flat";
    return loaded;
  };
  return std::make_shared<SearchService>(std::make_shared<IndexHolder>(loader), catalog, nullptr, ServeLimits{});
}

json query_to_json(std::string_view query) {
  json request = json::object();
  while (!query.empty()) {
    const std::size_t amp = query.find('&');
    const std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    if (pair.empty()) continue;
    const std::size_t eq = pair.find('=');
    const std::string key(pair.substr(0, eq));
    const std::string value(eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1));
    if (request.contains(key)) throw RequestError(400, "parameter given twice");
    request[key] = value;
  }
  return request;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const std::shared_ptr<SearchService> service = make_service();
  if (size < 1) return 0;
  const unsigned route = data[0] % 4;
  const std::string_view rest(reinterpret_cast<const char*>(data + 1), size - 1);
  net::answer(
      [&] {
        switch (route) {
          case 0:
            if (rest.size() > service->limits().max_json_bytes) throw RequestError(413, "too large");
            (void)service->search(parse_json_object(rest)).dump();
            break;
          case 1:
            (void)service->search(query_to_json(rest)).dump();
            break;
          case 2:
            (void)service->item(rest).dump();
            break;
          default:
            (void)service->thumbnail_png(rest);
            break;
        }
      },
      [&](int status, const std::string& message) {
        if (status >= 500) {
          std::fprintf(stderr, "serve_request_fuzz: route %u answered %d: %s\n", route, status, message.c_str());
          std::abort();
        }
      });
  return 0;
}
