#include "shrewd/serve/search_service.hpp"

#include <gtest/gtest.h>

#include "serve/serve_fixture.hpp"
#include "shrewd/common/error.hpp"
#include "shrewd/serve/code_text.hpp"

namespace shrewd::serve {
namespace {

using nlohmann::json;
using testing::brute_force;
using testing::flat_loader;
using testing::random_codes;

class SearchServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    codes = random_codes(300, 64, 7);
    auto catalog = std::make_shared<ItemCatalog>();
    for (std::size_t i = 0; i < codes->size(); ++i) catalog->labels.push_back(std::int64_t(i % 3));
    catalog->class_names = {"cat", "dog", "car"};
    catalog->class_similarity = {{1.0, 0.5, 0.0}, {0.5, 1.0, 0.0}, {0.0, 0.0, 1.0}};
    service = std::make_shared<SearchService>(std::make_shared<IndexHolder>(flat_loader(codes)), catalog, nullptr,
                                              ServeLimits{});
  }

  CodeMatrix row(std::size_t i) const {
    CodeMatrix one(codes->bits());
    one.append(codes->span().rows(i, 1));
    return one;
  }

  int status_of(const json& request) const {
    try {
      service->search(request);
      return 200;
    } catch (const RequestError& error) {
      return error.status();
    }
  }

  std::shared_ptr<CodeMatrix> codes;
  std::shared_ptr<SearchService> service;
};

TEST_F(SearchServiceTest, KnnByHexCodeMatchesBruteForceOrder) {
  const CodeMatrix query = row(42);
  const json answer = service->search({{"code", hex_of_code(query.span(), 0)}, {"k", 15}});
  const auto expected = brute_force(*codes, query);
  ASSERT_EQ(answer["results"].size(), 15u);
  for (std::size_t i = 0; i < 15; ++i) {
    EXPECT_EQ(answer["results"][i]["id"], expected[i].second);
    EXPECT_EQ(answer["results"][i]["distance"], expected[i].first);
  }
  EXPECT_EQ(answer["mode"], "knn");
  EXPECT_EQ(answer["bits"], 64);
}

TEST_F(SearchServiceTest, Base64AndIdQueriesFindTheSameNeighboursAsHex) {
  const CodeMatrix query = row(5);
  const json by_hex = service->search({{"code", hex_of_code(query.span(), 0)}, {"k", 8}});
  const json by_base64 = service->search({{"code_base64", base64_of_bytes(query.code_bytes(0), 8)}, {"k", 8}});
  const json by_id = service->search({{"id", 5}, {"k", 8}});
  EXPECT_EQ(by_hex["results"], by_base64["results"]);
  auto neighbours = [](const json& answer) {
    std::vector<std::pair<std::int64_t, int>> found;
    for (const auto& result : answer["results"]) found.emplace_back(result["id"], result["distance"]);
    return found;
  };
  EXPECT_EQ(neighbours(by_hex), neighbours(by_id));
  EXPECT_FALSE(by_hex["results"][0].contains("similarity"));  // a bare code has no label to compare
  EXPECT_TRUE(by_id["results"][0].contains("similarity"));
  EXPECT_EQ(by_id["query"]["id"], 5);
  EXPECT_EQ(by_id["query"]["class"], "car");
}

TEST_F(SearchServiceTest, ExcludeQueryDropsTheItemItselfAndStillReturnsK) {
  const json answer = service->search({{"id", 5}, {"k", 4}, {"exclude_query", true}});
  ASSERT_EQ(answer["results"].size(), 4u);
  for (const auto& result : answer["results"]) EXPECT_NE(result["id"], 5);
  const json with_self = service->search({{"id", 5}, {"k", 1}});
  EXPECT_EQ(with_self["results"][0]["id"], 5);
  EXPECT_EQ(with_self["results"][0]["distance"], 0);
}

TEST_F(SearchServiceTest, ResultsCarryLabelClassAndHierarchySimilarityToTheQuery) {
  const json answer = service->search({{"id", 0}, {"k", 300}});  // query label 0 = cat
  for (const auto& result : answer["results"]) {
    const std::int64_t label = result["id"].get<std::int64_t>() % 3;
    EXPECT_EQ(result["label"], label);
    EXPECT_EQ(result["similarity"], (std::vector<double>{1.0, 0.5, 0.0})[std::size_t(label)]);
  }
}

TEST_F(SearchServiceTest, RadiusSearchReturnsEveryCodeWithinTheRadiusInOrder) {
  const CodeMatrix query = row(9);
  const auto expected = brute_force(*codes, query);
  const int radius = expected[20].first;
  std::size_t within = 0;
  while (within < expected.size() && expected[within].first <= radius) ++within;
  const json answer = service->search({{"id", 9}, {"radius", radius}});
  EXPECT_EQ(answer["mode"], "radius");
  EXPECT_EQ(answer["total"], within);
  EXPECT_FALSE(answer["truncated"]);
  ASSERT_EQ(answer["results"].size(), within);
  for (std::size_t i = 0; i < within; ++i) EXPECT_EQ(answer["results"][i]["id"], expected[i].second);
}

TEST_F(SearchServiceTest, RadiusResultsAreCappedAtMaxKAndMarkedTruncated) {
  auto limited = std::make_shared<SearchService>(std::make_shared<IndexHolder>(flat_loader(codes)), nullptr, nullptr,
                                                 ServeLimits{.max_k = 10});
  const json answer = limited->search({{"id", 1}, {"radius", 64}});
  EXPECT_EQ(answer["results"].size(), 10u);
  EXPECT_EQ(answer["total"], 300);
  EXPECT_TRUE(answer["truncated"]);
}

TEST_F(SearchServiceTest, MaxKIsBounded) {
  // --max-k -1 read as 2^64 - 1 made every k (and k + 1 with exclude_query) unbounded
  auto make = [&](std::size_t max_k) {
    return SearchService(std::make_shared<IndexHolder>(flat_loader(codes)), nullptr, nullptr, ServeLimits{.max_k = max_k});
  };
  EXPECT_THROW(make(std::size_t(-1)), Error);
  EXPECT_THROW(make(std::size_t(1) << 21), Error);
  EXPECT_NO_THROW(make(std::size_t(1) << 20));
}

TEST_F(SearchServiceTest, BadRequestsAreRefusedWithFourHundredsAndClearMessages) {
  EXPECT_EQ(status_of({{"k", 5}}), 400);                                    // no query
  EXPECT_EQ(status_of({{"id", 1}, {"code", "00"}}), 400);                   // two queries
  EXPECT_EQ(status_of({{"code", "0011"}}), 400);                            // 16 bits for a 64-bit index
  EXPECT_EQ(status_of({{"code", 12345}}), 400);                             // wrong type
  EXPECT_EQ(status_of({{"id", 1}, {"k", 0}}), 400);
  EXPECT_EQ(status_of({{"id", 1}, {"k", 1001}}), 400);                      // above max_k
  EXPECT_EQ(status_of({{"id", 1}, {"k", 1e30}}), 400);                      // float
  EXPECT_EQ(status_of({{"id", 1}, {"k", "ten"}}), 400);
  EXPECT_EQ(status_of({{"id", 1}, {"k", 18446744073709551615ull}}), 400);
  EXPECT_EQ(status_of({{"id", 1}, {"radius", 65}}), 400);                   // above K
  EXPECT_EQ(status_of({{"id", 1}, {"radius", -1}}), 400);
  EXPECT_EQ(status_of({{"id", 1}, {"k", 3}, {"radius", 3}}), 400);
  EXPECT_EQ(status_of({{"id", 1}, {"radius", nullptr}}), 200);  // null means "not given": k = 10
  EXPECT_EQ(status_of({{"id", -1}}), 400);
  EXPECT_EQ(status_of({{"id", 300}}), 404);                                 // no such item
  EXPECT_EQ(status_of({{"id", 1}, {"kk", 3}}), 400);                        // unknown field
  EXPECT_EQ(status_of({{"id", 1}, {"exclude_query", "maybe"}}), 400);
  try {
    service->search({{"id", 1}, {"k", 5000}});
  } catch (const RequestError& error) {
    EXPECT_NE(std::string(error.what()).find("\"k\""), std::string::npos) << error.what();
  }
}

TEST_F(SearchServiceTest, ParseJsonObjectRejectsMalformedAndNonObjectBodies) {
  EXPECT_THROW(parse_json_object("{\"id\": "), RequestError);
  EXPECT_THROW(parse_json_object("[1, 2]"), RequestError);
  EXPECT_THROW(parse_json_object(""), RequestError);
  EXPECT_EQ(parse_json_object("{\"id\": 3}")["id"], 3);
}

TEST_F(SearchServiceTest, ItemLookupGivesCodeLabelAndClassAndRefusesUnknownIds) {
  const json item = service->item("7");
  EXPECT_EQ(item["id"], 7);
  EXPECT_EQ(item["label"], 1);
  EXPECT_EQ(item["class"], "dog");
  EXPECT_EQ(item["code"], hex_of_code(codes->span(), 7));
  EXPECT_FALSE(item["has_image"]);
  EXPECT_THROW(service->item("300"), RequestError);
  EXPECT_THROW(service->item("7x"), RequestError);
  EXPECT_THROW(service->item("-1"), RequestError);
  EXPECT_THROW(service->item(""), RequestError);
  EXPECT_THROW(service->thumbnail_png("7"), RequestError);  // no images loaded
}

TEST_F(SearchServiceTest, ImageSearchWithoutAModelIsRefused) {
  try {
    service->search_image("not even an image", json::object());
    FAIL();
  } catch (const RequestError& error) {
    EXPECT_EQ(error.status(), 400);
    EXPECT_NE(std::string(error.what()).find("--model"), std::string::npos);
  }
}

TEST(SearchServiceIds, ExternalIdsAndDeletedItemsAreHonouredByIdQueriesAndLookups) {
  auto codes = random_codes(10, 32, 3);
  static const std::vector<std::uint64_t> ids = {100, 90, 80, 70, 60, 50, 40, 30, 20, 10};
  static const std::vector<std::uint64_t> deleted = {1u << 2};  // position 2 (id 80)
  auto loader = [codes] {
    LoadedIndex loaded;
    loaded.index = std::make_shared<FlatIndex>(codes->span(), ids, deleted);
    loaded.codes = codes->span();
    loaded.ids = ids;
    loaded.deleted = deleted;
    loaded.owner = codes;
    return loaded;
  };
  SearchService service(std::make_shared<IndexHolder>(loader), nullptr, nullptr, ServeLimits{});
  EXPECT_EQ(service.item("30")["code"], hex_of_code(codes->span(), 7));
  EXPECT_THROW(service.item("80"), RequestError);  // deleted
  EXPECT_THROW(service.item("7"), RequestError);   // a position, not an id
  const json answer = service.search({{"id", 30}, {"k", 20}});
  EXPECT_EQ(answer["results"].size(), 9u);
  EXPECT_EQ(answer["results"][0]["id"], 30);
  for (const auto& result : answer["results"]) EXPECT_NE(result["id"], 80);
  for (int i = 0; i < 50; ++i) EXPECT_NE(service.random_item()["id"], 80);
}

TEST(SearchServiceReload, ReloadSwapsInTheNewIndexAndKeepsTheOldOneOnFailure) {
  auto first = random_codes(20, 16, 1);
  auto second = random_codes(30, 16, 2);
  int loads = 0;
  bool broken = false;
  auto loader = [&]() -> LoadedIndex {
    ++loads;
    if (broken) fail("db.shx", "truncated file");
    return flat_loader(loads == 1 ? first : second)();
  };
  SearchService service(std::make_shared<IndexHolder>(loader), nullptr, nullptr, ServeLimits{});
  EXPECT_EQ(service.stats()["items"], 20);
  const json reloaded = service.reload();
  EXPECT_EQ(reloaded["generation"], 2);
  EXPECT_EQ(service.stats()["items"], 30);
  broken = true;
  try {
    service.reload();
    FAIL() << "a failed reload was reported as success";
  } catch (const RequestError& error) {
    EXPECT_NE(std::string(error.what()).find("truncated file"), std::string::npos);
  }
  EXPECT_EQ(service.stats()["items"], 30);
  EXPECT_EQ(service.health()["generation"], 2);
}

TEST(ItemCatalog, ValidateRejectsLabelsOutsideTheClassesAndBadSimilarities) {
  ItemCatalog catalog;
  catalog.labels = {0, 1, 2};
  catalog.class_names = {"a", "b"};
  EXPECT_THROW(catalog.validate(), Error);
  catalog.class_names = {"a", "b", "c"};
  EXPECT_NO_THROW(catalog.validate());
  catalog.class_similarity = {{1, 0.5}, {0.5, 1}};
  EXPECT_THROW(catalog.validate(), Error);
  catalog.class_similarity = {{1, 0, 0}, {0, 1, 2}, {0, 0, 1}};
  EXPECT_THROW(catalog.validate(), Error);
}

}  // namespace
}  // namespace shrewd::serve
