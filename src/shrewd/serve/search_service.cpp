#include "shrewd/serve/search_service.hpp"

#include <charconv>
#include <fmt/format.h>
#include <limits>
#include <random>

#include "shrewd/common/error.hpp"
#include "shrewd/serve/code_text.hpp"
#include "shrewd/serve/neighbour_groups.hpp"

namespace shrewd::serve {

using nlohmann::json;

namespace {

// Integers may come as JSON numbers or, from query strings and form fields, as decimal text.
std::optional<std::int64_t> integer_field(const json& request, const char* key, std::int64_t min, std::int64_t max) {
  const auto found = request.find(key);
  if (found == request.end() || found->is_null()) return std::nullopt;
  std::int64_t value = 0;
  bool parsed = false;
  if (found->is_number_unsigned()) {
    const auto unsigned_value = found->get<std::uint64_t>();
    parsed = unsigned_value <= std::uint64_t(std::numeric_limits<std::int64_t>::max());
    value = parsed ? std::int64_t(unsigned_value) : 0;
  } else if (found->is_number_integer()) {
    value = found->get<std::int64_t>();
    parsed = true;
  } else if (found->is_string()) {
    const auto& text = found->get_ref<const std::string&>();
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    parsed = error == std::errc{} && end == text.data() + text.size() && !text.empty();
  }
  if (!parsed)
    throw RequestError(400, fmt::format("\"{}\" must be an integer from {} to {}", key, min, max));
  if (value < min || value > max)
    throw RequestError(400, fmt::format("\"{}\" = {} is outside {}..{}", key, value, min, max));
  return value;
}

bool boolean_field(const json& request, const char* key) {
  const auto found = request.find(key);
  if (found == request.end() || found->is_null()) return false;
  if (found->is_boolean()) return found->get<bool>();
  if (found->is_string()) {
    const auto& text = found->get_ref<const std::string&>();
    if (text == "true" || text == "1") return true;
    if (text == "false" || text == "0") return false;
  }
  throw RequestError(400, fmt::format("\"{}\" must be true or false", key));
}

const std::string& string_field(const json& request, const char* key) {
  const auto& value = request.at(key);
  if (!value.is_string()) throw RequestError(400, fmt::format("\"{}\" must be a string", key));
  return value.get_ref<const std::string&>();
}

void reject_unknown_fields(const json& request, std::initializer_list<std::string_view> known) {
  for (const auto& [key, value] : request.items()) {
    bool is_known = false;
    for (const auto name : known) is_known = is_known || key == name;
    if (!is_known) {
      std::string list;
      for (const auto name : known) list += (list.empty() ? "" : ", ") + std::string(name);
      throw RequestError(400, fmt::format("unknown field \"{}\" (known: {})", key.substr(0, 64), list));
    }
  }
}

std::int64_t parse_non_negative(std::string_view text, const char* what) {
  std::int64_t value = -1;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || error != std::errc{} || end != text.data() + text.size() || value < 0)
    throw RequestError(400, fmt::format("{} must be a non-negative integer, got \"{}\"", what, text.substr(0, 32)));
  return value;
}

}  // namespace

struct SearchService::Query {
  CodeMatrix code{8};
  std::optional<std::int64_t> id;
};

json parse_json_object(std::string_view body) {
  json parsed = json::parse(body.begin(), body.end(), nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded()) throw RequestError(400, "the request body is not valid JSON");
  if (!parsed.is_object()) throw RequestError(400, "the request body must be a JSON object");
  return parsed;
}

SearchService::SearchService(std::shared_ptr<IndexHolder> index, std::shared_ptr<const ItemCatalog> catalog,
                             std::shared_ptr<const QueryEncoder> encoder, ServeLimits limits)
    : index_(std::move(index)), catalog_(std::move(catalog)), encoder_(std::move(encoder)), limits_(limits) {
  if (!index_) fail("serve", "no index");
  if (!catalog_) catalog_ = std::make_shared<ItemCatalog>();
  if (limits_.max_k == 0) fail("--max-k", "must be at least 1");
  // every answer lists max_k results as JSON: bounded, so no k (or k + 1) wraps and no request
  // makes the server build an answer of unbounded size
  if (limits_.max_k > kMaxKLimit)
    fail("--max-k", fmt::format("{} is above the most one answer may list, {}", limits_.max_k, kMaxKLimit));
}

json SearchService::health() const {
  return {{"status", "ok"}, {"generation", index_->current()->generation}};
}

json SearchService::stats() const {
  const auto snapshot = index_->current();
  const ItemCatalog& catalog = *catalog_;
  json images = nullptr;
  if (catalog.images)
    images = {{"count", catalog.images->size()},
              {"width", catalog.images->width()},
              {"height", catalog.images->height()},
              {"channels", catalog.images->channels()}};
  return {{"items", snapshot->index->size()},
          {"bits", snapshot->index->bits()},
          {"index", {{"kind", snapshot->kind}, {"source", snapshot->source}}},
          {"generation", snapshot->generation},
          {"loaded_at", snapshot->loaded_at},
          {"labels", catalog.labels.size()},
          {"classes", catalog.class_count()},
          {"class_names", catalog.class_names},
          {"images", images},
          {"model", encoder_ ? json(encoder_->description()) : json(nullptr)},
          {"hierarchy", !catalog.hierarchy.is_null() || !catalog.class_similarity.empty()},
          {"evaluation", !catalog.evaluation.is_null()},
          {"limits",
           {{"max_k", limits_.max_k},
            {"max_json_bytes", limits_.max_json_bytes},
            {"max_upload_bytes", limits_.max_upload_bytes},
            {"max_image_side", limits_.max_image_side}}}};
}

json SearchService::search(const json& request) const {
  if (!request.is_object()) throw RequestError(400, "the search request must be a JSON object");
  reject_unknown_fields(request, {"code", "code_base64", "id", "k", "radius", "exclude_query", "distinct", "shells"});
  const auto snapshot = index_->current();
  const int given = int(request.contains("code")) + int(request.contains("code_base64")) + int(request.contains("id"));
  if (given != 1) throw RequestError(400, "give exactly one query: \"code\" (hex), \"code_base64\" or \"id\"");

  Query query;
  try {
    if (request.contains("code")) {
      query.code = code_from_bytes(parse_hex_bytes(string_field(request, "code")), snapshot->index->bits());
    } else if (request.contains("code_base64")) {
      query.code = code_from_bytes(parse_base64_bytes(string_field(request, "code_base64")), snapshot->index->bits());
    }
  } catch (const Error& error) {
    throw RequestError(400, error.what());
  }
  if (request.contains("id")) {
    const auto id = integer_field(request, "id", 0, std::numeric_limits<std::int64_t>::max());
    if (!id) throw RequestError(400, "\"id\" must be an item id");
    const auto position = snapshot->position_of(*id);
    if (!position) throw RequestError(404, fmt::format("the index has no item {}", *id));
    query.id = *id;
    query.code = CodeMatrix(snapshot->index->bits());
    query.code.append(snapshot->codes.rows(*position, 1));
  }
  return run_search(*snapshot, query, request);
}

json SearchService::search_image(std::string_view image_file, const json& request) const {
  if (!encoder_)
    throw RequestError(400, "this server has no model to encode images: start `shrewd serve` with --model");
  if (image_file.size() > limits_.max_upload_bytes)
    throw RequestError(413, fmt::format("the image has {} bytes; the limit is {}",
                                        image_file.size(), limits_.max_upload_bytes));
  reject_unknown_fields(request, {"k", "radius", "distinct", "shells"});
  const auto snapshot = index_->current();
  Query query;
  try {
    query.code = encoder_->encode(decode_image(image_file, ImageLimits{limits_.max_image_side}));
  } catch (const Error& error) {
    throw RequestError(400, error.what());
  }
  if (query.code.bits() != snapshot->index->bits())
    throw RequestError(409, fmt::format("the model makes {}-bit codes but the index holds {}-bit codes",
                                        query.code.bits(), snapshot->index->bits()));
  return run_search(*snapshot, query, request);
}

json SearchService::run_search(const IndexSnapshot& snapshot, const Query& query, const json& request) const {
  const auto radius = integer_field(request, "radius", 0, std::int64_t(snapshot.index->bits()));
  const auto k = integer_field(request, "k", 1, std::int64_t(limits_.max_k));
  if (radius && k) throw RequestError(400, "give \"k\" or \"radius\", not both");
  const bool exclude_query = boolean_field(request, "exclude_query") && query.id.has_value();
  const SearchOptions options{limits_.search_threads};

  json answer = {{"bits", snapshot.index->bits()}, {"generation", snapshot.generation}};
  json query_json = {{"code", hex_of_code(query.code.span(), 0)}};
  std::optional<std::int64_t> query_label;
  if (query.id) {
    query_json["id"] = *query.id;
    query_label = catalog_->label_of(*query.id);
    if (query_label) query_json["label"] = *query_label;
    if (const auto name = query_label ? catalog_->class_name_of(*query_label) : std::nullopt) query_json["class"] = *name;
  }
  answer["query"] = query_json;

  json results = json::array();
  auto add_result = [&](std::int64_t id, std::int32_t distance) {
    json entry = describe_item(snapshot, id, std::nullopt);
    entry["distance"] = distance;
    const auto label = catalog_->label_of(id);
    if (query_label && label)
      if (const auto s = catalog_->similarity(*query_label, *label)) entry["similarity"] = *s;
    results.push_back(std::move(entry));
  };

  const bool distinct = boolean_field(request, "distinct");
  const auto excluded = exclude_query ? query.id : std::nullopt;
  if (distinct) {
    add_distinct_codes(answer, snapshot, query, query_label, radius, k, excluded);
    return answer;
  }
  if (radius) {
    const RadiusResult found = snapshot.index->range_search(query.code.span(), int(*radius), options);
    std::size_t total = 0;
    for (std::int64_t i = found.offsets[0]; i < found.offsets[1]; ++i) {
      if (exclude_query && found.ids[std::size_t(i)] == *query.id) continue;
      if (total++ < limits_.max_k) add_result(found.ids[std::size_t(i)], found.distances[std::size_t(i)]);
    }
    answer["mode"] = "radius";
    answer["radius"] = *radius;
    answer["total"] = total;
    answer["truncated"] = total > limits_.max_k;
  } else {
    const std::int64_t count = k.value_or(std::min<std::int64_t>(10, std::int64_t(limits_.max_k)));
    const std::size_t wanted = std::size_t(count) + (exclude_query ? 1 : 0);
    const KnnResult found = snapshot.index->search(query.code.span(), wanted, options);
    for (std::size_t i = 0; i < found.k && results.size() < std::size_t(count); ++i) {
      const std::int64_t id = found.ids[i];
      if (id < 0 || (exclude_query && id == *query.id)) continue;
      add_result(id, found.distances[i]);
    }
    answer["mode"] = "knn";
    answer["k"] = count;
  }
  if (boolean_field(request, "shells")) {
    int farthest = -1;
    for (const auto& result : results) farthest = std::max(farthest, result["distance"].get<int>());
    const auto groups = group_neighbours(snapshot, *catalog_, query.code.code(0),
                                         std::numeric_limits<std::size_t>::max(), farthest, excluded);
    answer["shells"] = shells_json(groups, query_label);
  }
  answer["results"] = std::move(results);
  return answer;
}

json SearchService::class_counts_json(const std::vector<ClassCount>& classes,
                                      std::optional<std::int64_t> query_label) const {
  json out = json::array();
  std::size_t others = 0;
  for (const ClassCount& entry : classes) {
    if (out.size() == kMaxClassesListed) {
      others += entry.count;
      continue;
    }
    json item = {{"count", entry.count}};
    if (entry.label) {
      item["label"] = *entry.label;
      if (const auto name = catalog_->class_name_of(*entry.label)) item["class"] = *name;
      if (query_label)
        if (const auto s = catalog_->similarity(*query_label, *entry.label)) item["similarity"] = *s;
    }
    out.push_back(std::move(item));
  }
  if (others > 0) out.push_back({{"count", others}, {"other_classes", true}});
  return out;
}

json SearchService::shells_json(const NeighbourGroups& groups, std::optional<std::int64_t> query_label) const {
  json shells = json::array();
  for (const DistanceShell& shell : groups.shells)
    shells.push_back({{"distance", shell.distance}, {"count", shell.count},
                      {"classes", class_counts_json(shell.classes, query_label)}});
  return shells;
}

void SearchService::add_distinct_codes(json& answer, const IndexSnapshot& snapshot, const Query& query,
                                       std::optional<std::int64_t> query_label, std::optional<std::int64_t> radius,
                                       std::optional<std::int64_t> k, std::optional<std::int64_t> excluded) const {
  const std::size_t max_codes =
      radius ? limits_.max_k : std::size_t(k.value_or(std::min<std::int64_t>(10, std::int64_t(limits_.max_k))));
  const int max_distance = radius ? int(*radius) : int(snapshot.index->bits());
  const auto groups = group_neighbours(snapshot, *catalog_, query.code.code(0), max_codes, max_distance, excluded);

  json results = json::array();
  for (const DistinctCode& code : groups.codes) {
    json entry = describe_item(snapshot, code.id, std::nullopt);
    entry["distance"] = code.distance;
    entry["count"] = code.count;
    entry["classes"] = class_counts_json(code.classes, query_label);
    const auto label = catalog_->label_of(code.id);
    if (query_label && label)
      if (const auto s = catalog_->similarity(*query_label, *label)) entry["similarity"] = *s;
    results.push_back(std::move(entry));
  }
  if (radius) {
    answer["mode"] = "radius";
    answer["radius"] = *radius;
  } else {
    answer["mode"] = "knn";
    answer["k"] = max_codes;
  }
  answer["distinct"] = true;
  answer["truncated"] = groups.codes_cut;
  answer["shells"] = shells_json(groups, query_label);
  answer["results"] = std::move(results);
}

json SearchService::describe_item(const IndexSnapshot& snapshot, std::int64_t id,
                                  std::optional<std::size_t> position) const {
  json item = {{"id", id}};
  const auto label = catalog_->label_of(id);
  if (label) item["label"] = *label;
  if (const auto name = label ? catalog_->class_name_of(*label) : std::nullopt) item["class"] = *name;
  if (position) {
    item["code"] = hex_of_code(snapshot.codes, *position);
    item["has_image"] = catalog_->images && std::size_t(id) < catalog_->images->size();
  }
  return item;
}

std::pair<std::int64_t, std::size_t> SearchService::parse_item_id(const IndexSnapshot& snapshot,
                                                                  std::string_view text) const {
  const std::int64_t id = parse_non_negative(text, "the item id");
  const auto position = snapshot.position_of(id);
  if (!position) throw RequestError(404, fmt::format("the index has no item {}", id));
  return {id, *position};
}

json SearchService::item(std::string_view id_text) const {
  const auto snapshot = index_->current();
  const auto [id, position] = parse_item_id(*snapshot, id_text);
  return describe_item(*snapshot, id, position);
}

std::string SearchService::thumbnail_png(std::string_view id_text) const {
  const auto snapshot = index_->current();
  const std::int64_t id = parse_item_id(*snapshot, id_text).first;
  if (!catalog_->images) throw RequestError(404, "this server has no images: start `shrewd serve` with --dataset or --images");
  if (std::size_t(id) >= catalog_->images->size()) throw RequestError(404, fmt::format("item {} has no image", id));
  return encode_png(catalog_->images->image(std::size_t(id)));
}

json SearchService::random_item() const {
  const auto snapshot = index_->current();
  if (snapshot->index->size() == 0) throw RequestError(404, "the index is empty");
  thread_local std::mt19937_64 generator{std::random_device{}()};
  const std::size_t stored = snapshot->codes.count;
  std::size_t position = std::uniform_int_distribution<std::size_t>(0, stored - 1)(generator);
  // Deleted items are skipped by walking on to the next live one.
  for (std::size_t step = 0; step < stored && !snapshot->is_live(position); ++step) position = (position + 1) % stored;
  return describe_item(*snapshot, snapshot->id_at(position), position);
}

json SearchService::evaluation() const {
  if (catalog_->evaluation.is_null())
    throw RequestError(404, "this server has no evaluation report: start `shrewd serve` with --eval");
  return {{"source", catalog_->evaluation_source}, {"report", catalog_->evaluation}};
}

json SearchService::hierarchy() const {
  json similarity = nullptr;
  if (!catalog_->class_similarity.empty()) similarity = catalog_->class_similarity;
  return {{"classes", catalog_->class_names},
          {"source", catalog_->hierarchy_source},
          {"tree", catalog_->hierarchy},
          {"similarity", similarity}};
}

json SearchService::reload() {
  const auto before = index_->current();
  try {
    const auto after = index_->reload();
    return {{"status", "reloaded"},
            {"generation", after->generation},
            {"items", after->index->size()},
            {"bits", after->index->bits()},
            {"loaded_at", after->loaded_at}};
  } catch (const std::exception& error) {
    throw RequestError(500, fmt::format("reload failed, still serving generation {}: {}",
                                        before->generation, error.what()));
  }
}

}  // namespace shrewd::serve
