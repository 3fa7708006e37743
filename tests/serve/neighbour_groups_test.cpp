#include "shrewd/serve/neighbour_groups.hpp"

#include <gtest/gtest.h>

#include <map>
#include <random>
#include <string>
#include <tuple>

#include "serve/serve_fixture.hpp"
#include "shrewd/serve/search_service.hpp"

namespace shrewd::serve {
namespace {

using nlohmann::json;
using testing::flat_loader;

// 600 items drawn from 40 distinct 32-bit codes (many items per code), labels 0..4.
struct DuplicatedCodes {
  std::shared_ptr<CodeMatrix> codes = std::make_shared<CodeMatrix>(32);
  std::shared_ptr<ItemCatalog> catalog = std::make_shared<ItemCatalog>();

  DuplicatedCodes() {
    std::mt19937_64 random(11);
    std::vector<std::array<std::uint8_t, 4>> pool(40);
    for (auto& code : pool)
      for (auto& byte : code) byte = std::uint8_t(random());
    for (std::size_t i = 0; i < 600; ++i) {
      const std::size_t which = i < 200 ? 0 : 1 + random() % (pool.size() - 1);  // code 0: items 0..199
      codes->append_bytes(pool[which].data());
      catalog->labels.push_back(std::int64_t(random() % 5));
    }
    catalog->class_names = {"a", "b", "c", "d", "e"};
  }

  std::shared_ptr<IndexSnapshot> snapshot() const {
    auto snapshot = std::make_shared<IndexSnapshot>();
    static_cast<LoadedIndex&>(*snapshot) = flat_loader(codes)();
    return snapshot;
  }

  int distance(std::size_t a, std::size_t b) const {
    return hamming_distance(codes->code(a), codes->code(b), codes->words_per_code());
  }
};

// The groups computed directly: code bytes -> (distance, items), and distance -> label counts.
struct Expected {
  std::map<std::string, std::pair<int, std::vector<std::int64_t>>> by_code;  // key: the code's bytes
  std::map<int, std::map<std::int64_t, std::size_t>> shell_labels;
};

Expected expected_groups(const DuplicatedCodes& data, std::size_t query, std::optional<std::int64_t> excluded) {
  Expected out;
  for (std::size_t i = 0; i < data.codes->size(); ++i) {
    if (excluded && std::int64_t(i) == *excluded) continue;
    const auto* bytes = data.codes->code_bytes(i);
    auto& entry = out.by_code[std::string(reinterpret_cast<const char*>(bytes), 4)];
    entry.first = data.distance(query, i);
    entry.second.push_back(std::int64_t(i));
    ++out.shell_labels[entry.first][data.catalog->labels[i]];
  }
  return out;
}

TEST(NeighbourGroups, DistinctCodesAndShellsEqualADirectCount) {
  const DuplicatedCodes data;
  const auto snapshot = data.snapshot();
  const std::size_t query = 5;  // one of the 200 items of code 0
  const auto expected = expected_groups(data, query, std::int64_t(query));

  const auto groups = group_neighbours(*snapshot, *data.catalog, data.codes->code(query), 12, 32, std::int64_t(query));
  ASSERT_EQ(groups.codes.size(), 12u);
  EXPECT_TRUE(groups.codes_cut);
  // the query's own code comes first, shared by the other 199 items of code 0
  EXPECT_EQ(groups.codes[0].distance, 0);
  EXPECT_EQ(groups.codes[0].count, 199u);
  EXPECT_EQ(groups.codes[0].id, 0);

  std::vector<std::tuple<int, std::size_t, std::int64_t>> direct;  // (distance, -count, smallest id)
  for (const auto& [bytes, entry] : expected.by_code)
    direct.emplace_back(entry.first, entry.second.size(), entry.second.front());
  std::sort(direct.begin(), direct.end(), [](const auto& a, const auto& b) {
    if (std::get<0>(a) != std::get<0>(b)) return std::get<0>(a) < std::get<0>(b);
    if (std::get<1>(a) != std::get<1>(b)) return std::get<1>(a) > std::get<1>(b);
    return std::get<2>(a) < std::get<2>(b);
  });
  for (std::size_t i = 0; i < groups.codes.size(); ++i) {
    EXPECT_EQ(groups.codes[i].distance, std::get<0>(direct[i])) << i;
    EXPECT_EQ(groups.codes[i].count, std::get<1>(direct[i])) << i;
    EXPECT_EQ(groups.codes[i].id, std::get<2>(direct[i])) << i;
    std::size_t class_total = 0;
    for (const auto& entry : groups.codes[i].classes) class_total += entry.count;
    EXPECT_EQ(class_total, groups.codes[i].count);
  }

  // every shell up to the last distance reached holds all its items, with their class mix
  ASSERT_FALSE(groups.shells.empty());
  EXPECT_EQ(groups.last_distance, groups.codes.back().distance);
  for (const auto& shell : groups.shells) {
    const auto& labels = expected.shell_labels.at(shell.distance);
    std::size_t total = 0;
    for (const auto& [label, count] : labels) total += count;
    EXPECT_EQ(shell.count, total) << "distance " << shell.distance;
    ASSERT_EQ(shell.classes.size(), labels.size());
    for (std::size_t c = 0; c < shell.classes.size(); ++c) {
      EXPECT_EQ(shell.classes[c].count, labels.at(*shell.classes[c].label));
      if (c > 0) {
        EXPECT_GE(shell.classes[c - 1].count, shell.classes[c].count);
      }
    }
  }
  std::size_t shells_seen = 0;
  for (const auto& [distance, labels] : expected.shell_labels) shells_seen += distance <= groups.last_distance;
  EXPECT_EQ(groups.shells.size(), shells_seen);
}

TEST(NeighbourGroups, RadiusBoundsTheShellsAndDeletedItemsAreNotCounted) {
  const DuplicatedCodes data;
  auto snapshot = data.snapshot();
  std::vector<std::uint64_t> deleted((data.codes->size() + 63) / 64, 0);
  for (std::size_t i = 0; i < 100; ++i) deleted[i / 64] |= std::uint64_t(1) << (i % 64);  // half of code 0's items
  snapshot->deleted = deleted;
  const auto groups = group_neighbours(*snapshot, *data.catalog, data.codes->code(0), 1000, 0, std::nullopt);
  ASSERT_EQ(groups.shells.size(), 1u);
  EXPECT_EQ(groups.shells[0].count, 100u);
  ASSERT_EQ(groups.codes.size(), 1u);
  EXPECT_EQ(groups.codes[0].id, 100);
  EXPECT_FALSE(groups.codes_cut);
}

TEST(NeighbourGroups, ServiceAnswersDistinctCodesAndShells) {
  const DuplicatedCodes data;
  const auto service = std::make_shared<SearchService>(std::make_shared<IndexHolder>(flat_loader(data.codes)),
                                                       data.catalog, nullptr, ServeLimits{});
  const json distinct = service->search({{"id", 5}, {"k", 4}, {"distinct", true}, {"exclude_query", true}});
  EXPECT_EQ(distinct["distinct"], true);
  ASSERT_EQ(distinct["results"].size(), 4u);
  EXPECT_EQ(distinct["results"][0]["count"], 199);
  EXPECT_EQ(distinct["results"][0]["distance"], 0);
  EXPECT_FALSE(distinct["shells"].empty());
  for (const auto& entry : distinct["results"][0]["classes"]) {
    EXPECT_TRUE(entry.contains("class"));
    EXPECT_TRUE(entry.contains("count"));
  }

  // plain k-NN with shells: the results as before, the shells whole up to the farthest result
  const json plain = service->search({{"id", 5}, {"k", 250}, {"shells", true}});
  ASSERT_EQ(plain["results"].size(), 250u);
  const int farthest = plain["results"].back()["distance"];
  ASSERT_FALSE(plain["shells"].empty());
  EXPECT_EQ(plain["shells"].back()["distance"], farthest);
  std::size_t within = 0;
  for (std::size_t i = 0; i < data.codes->size(); ++i) within += data.distance(5, i) <= farthest;
  std::size_t counted = 0;
  for (const auto& shell : plain["shells"]) counted += shell["count"].get<std::size_t>();
  EXPECT_EQ(counted, within);

  EXPECT_THROW(service->search({{"id", 5}, {"distinct", "maybe"}}), RequestError);
}

}  // namespace
}  // namespace shrewd::serve
