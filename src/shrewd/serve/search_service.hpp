#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <utility>
#include <stdexcept>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "shrewd/net/http_error.hpp"
#include "shrewd/serve/index_holder.hpp"
#include "shrewd/serve/item_catalog.hpp"
#include "shrewd/serve/neighbour_groups.hpp"
#include "shrewd/serve/query_encoder.hpp"

namespace shrewd::serve {

// A request the service refuses, with the HTTP status to answer (4xx) and a message for the user.
using RequestError = net::HttpError;

// The largest --max-k: results one answer may list (a k-NN answer, or radius hits).
inline constexpr std::size_t kMaxKLimit = std::size_t(1) << 20;
// Classes listed per distance shell or distinct code in a grouped answer.
inline constexpr std::size_t kMaxClassesListed = 20;

struct ServeLimits {
  std::size_t max_k = 1000;                     // largest k, and most hits a radius search returns
  std::size_t max_json_bytes = 64 * 1024;       // body of a JSON request
  std::size_t max_upload_bytes = 8 * 1024 * 1024;  // body of an image upload
  int max_image_side = 4096;                    // pixels, per side of an uploaded image
  int search_threads = 1;                       // threads one search may use
};

// The service without HTTP: requests and answers as JSON, every refusal a RequestError. The HTTP
// layer (http_server.hpp) only routes, authenticates and maps errors to statuses.
//
// Search request (JSON object): exactly one query, "code" (hex of the K/8 packbits bytes),
// "code_base64" or "id" (an item of the index); then "k" (default 10) or "radius"; for id
// queries "exclude_query" (default false) drops the item itself from its neighbours. "distinct"
// (default false) answers the nearest distinct codes instead of items (one per code: the smallest
// id, with "count" and "classes" of the items sharing it); "distinct" or "shells" add "shells",
// every item by Hamming distance (count and class mix) up to the farthest result. Both scan every
// stored code once, as a flat search does.
class SearchService {
 public:
  SearchService(std::shared_ptr<IndexHolder> index, std::shared_ptr<const ItemCatalog> catalog,
                std::shared_ptr<const QueryEncoder> encoder, ServeLimits limits);

  const ServeLimits& limits() const { return limits_; }

  nlohmann::json health() const;
  nlohmann::json stats() const;
  nlohmann::json search(const nlohmann::json& request) const;
  // An uploaded image file, encoded by the model; `request` holds k / radius as in search().
  nlohmann::json search_image(std::string_view image_file, const nlohmann::json& request) const;
  nlohmann::json item(std::string_view id_text) const;
  std::string thumbnail_png(std::string_view id_text) const;
  nlohmann::json random_item() const;
  nlohmann::json evaluation() const;
  nlohmann::json hierarchy() const;
  nlohmann::json reload();

 private:
  struct Query;
  nlohmann::json run_search(const IndexSnapshot& snapshot, const Query& query, const nlohmann::json& request) const;
  // "distinct": the nearest distinct codes, each with how many items share it and their classes.
  void add_distinct_codes(nlohmann::json& answer, const IndexSnapshot& snapshot, const Query& query,
                          std::optional<std::int64_t> query_label, std::optional<std::int64_t> radius,
                          std::optional<std::int64_t> k, std::optional<std::int64_t> excluded) const;
  nlohmann::json shells_json(const NeighbourGroups& groups, std::optional<std::int64_t> query_label) const;
  // At most kMaxClassesListed classes (most items first); the rest summed in one "other_classes" entry.
  nlohmann::json class_counts_json(const std::vector<ClassCount>& classes, std::optional<std::int64_t> query_label) const;
  // With a position, the item's code and whether it has an image too.
  nlohmann::json describe_item(const IndexSnapshot& snapshot, std::int64_t id, std::optional<std::size_t> position) const;
  // (id, position) of the item named in a URL; 400 for bad text, 404 for no such item.
  std::pair<std::int64_t, std::size_t> parse_item_id(const IndexSnapshot& snapshot, std::string_view text) const;

  std::shared_ptr<IndexHolder> index_;
  std::shared_ptr<const ItemCatalog> catalog_;
  std::shared_ptr<const QueryEncoder> encoder_;
  ServeLimits limits_;
};

// Parses a JSON request body; malformed JSON or anything but an object is a 400 RequestError.
nlohmann::json parse_json_object(std::string_view body);

}  // namespace shrewd::serve
