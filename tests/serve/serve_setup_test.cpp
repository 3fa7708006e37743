#include "shrewd/serve/serve_setup.hpp"

#include <gtest/gtest.h>

#include "serve/serve_fixture.hpp"
#include "shrewd/common/error.hpp"
#include "shrewd/common/npy.hpp"
#include "shrewd/index/index_file.hpp"
#include "semantics/test_helpers.hpp"
#include "shrewd/semantics/wordnet.hpp"
#include "shrewd/serve/code_text.hpp"
#include "support/temp_dir.hpp"

namespace shrewd::serve {
namespace {

using shrewd::testing::TempDir;
using shrewd::testing::write_bytes;

class CatalogFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    write_bytes(dir / "classes.txt", "0 cat\n1 dog\n2 truck\n");
    write_bytes(dir / "tree.txt", "thing animal\nthing vehicle\nanimal cat\nanimal dog\nvehicle truck\n");
    const std::vector<std::int64_t> labels = {0, 1, 2, 1};
    write_npy<std::int64_t>(dir / "labels.npy", labels, {4});
    const std::vector<std::uint8_t> pixels(4 * 5 * 6, 7);
    write_npy<std::uint8_t>(dir / "images.npy", pixels, {4, 5, 6});
    write_bytes(dir / "eval.json", R"({"format": "shrewd-eval-1", "hamming": {"index_ties": {"map": 0.5}}})");
  }

  CatalogFiles all_files() const {
    CatalogFiles files;
    files.images = dir / "images.npy";
    files.labels = dir / "labels.npy";
    files.classes = dir / "classes.txt";
    files.hierarchy = dir / "tree.txt";
    files.evaluation = dir / "eval.json";
    return files;
  }

  TempDir dir;
};

TEST_F(CatalogFilesTest, LoadsLabelsImagesClassesHierarchySimilarityAndReport) {
  ItemCatalog catalog;
  load_catalog_files(all_files(), catalog);
  EXPECT_EQ(catalog.labels, (std::vector<std::int64_t>{0, 1, 2, 1}));
  EXPECT_EQ(catalog.class_names, (std::vector<std::string>{"cat", "dog", "truck"}));
  ASSERT_TRUE(catalog.images);
  EXPECT_EQ(catalog.images->height(), 5);
  EXPECT_EQ(catalog.images->width(), 6);
  // lcs(cat, dog) = animal (height 1), lcs(cat, truck) = thing (height 2 = root): s = 1 - h / 2.
  EXPECT_DOUBLE_EQ(*catalog.similarity(0, 1), 0.5);
  EXPECT_DOUBLE_EQ(*catalog.similarity(0, 2), 0.0);
  EXPECT_DOUBLE_EQ(*catalog.similarity(2, 2), 1.0);
  EXPECT_EQ(catalog.hierarchy["name"], "thing");
  const std::string tree = catalog.hierarchy.dump();
  EXPECT_NE(tree.find(R"("class":2)"), std::string::npos) << tree;
  EXPECT_EQ(catalog.evaluation["hamming"]["index_ties"]["map"], 0.5);
}

TEST_F(CatalogFilesTest, WordNetNamesTheInnerNodesOfAWordNetHierarchy) {
  const auto offsets = semantics::testing::write_mini_wordnet(
      dir / "wordnet", {{"entity", {}}, {"clothing", {"entity"}}, {"shirt", {"clothing"}}, {"shoe", {"clothing"}}});
  auto id = [&](const char* lemma) { return semantics::WordNet::id(offsets.at(lemma)); };
  write_bytes(dir / "wn-tree.txt", id("entity") + " " + id("clothing") + "\n" + id("clothing") + " " + id("shirt") +
                                       "\n" + id("clothing") + " " + id("shoe") + "\n");
  write_bytes(dir / "wn-classes.txt", "0 " + id("shirt") + " Shirt\n1 " + id("shoe") + " Shoe\n");
  CatalogFiles files;
  files.classes = dir / "wn-classes.txt";
  files.hierarchy = dir / "wn-tree.txt";

  ItemCatalog without_names;
  load_catalog_files(files, without_names);
  EXPECT_FALSE(without_names.hierarchy.contains("display"));

  files.wordnet = dir / "wordnet";
  ItemCatalog catalog;
  load_catalog_files(files, catalog);
  EXPECT_EQ(catalog.hierarchy["name"], id("entity"));
  EXPECT_EQ(catalog.hierarchy["display"], "entity.n.01");
  const auto& clothing = catalog.hierarchy["children"][0];
  EXPECT_EQ(clothing["display"], "clothing.n.01");
  EXPECT_EQ(clothing["children"][0]["display"], "Shirt");  // classes keep their classes-file names

  files.wordnet = dir / "no-wordnet";
  EXPECT_THROW(load_catalog_files(files, catalog), Error);
}

TEST_F(CatalogFilesTest, HierarchyWithoutClassesIsRefused) {
  CatalogFiles files;
  files.hierarchy = dir / "tree.txt";
  ItemCatalog catalog;
  EXPECT_THROW(load_catalog_files(files, catalog), Error);
}

TEST_F(CatalogFilesTest, BadFilesAreRefusedNamingTheFile) {
  write_bytes(dir / "bad.json", "{not json");
  CatalogFiles files;
  files.evaluation = dir / "bad.json";
  ItemCatalog catalog;
  try {
    load_catalog_files(files, catalog);
    FAIL();
  } catch (const Error& error) {
    EXPECT_NE(std::string(error.what()).find("bad.json"), std::string::npos) << error.what();
  }
  const std::vector<std::int64_t> too_large = {0, 5};
  write_npy<std::int64_t>(dir / "labels5.npy", too_large, {2});
  files = all_files();
  files.labels = dir / "labels5.npy";
  EXPECT_THROW(load_catalog_files(files, catalog), Error);
  const std::vector<float> floats(4 * 5 * 6, 0.5f);
  write_npy<float>(dir / "float_images.npy", floats, {4, 5, 6});
  files = all_files();
  files.images = dir / "float_images.npy";
  EXPECT_THROW(load_catalog_files(files, catalog), Error);
}

TEST(IndexFileLoader, ServesAnIndexFileWithItsIdsAndDeletionsAndReloadsTheReplacedFile) {
  TempDir dir;
  auto first = testing::random_codes(20, 64, 1);
  const std::vector<std::uint64_t> ids = {5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24};
  write_index_file(dir / "db.shx", first->span(), ids);
  const std::vector<std::uint64_t> deleted = {8};
  delete_from_index(dir / "db.shx", deleted);

  auto holder = std::make_shared<IndexHolder>(index_file_loader(dir / "db.shx"));
  SearchService service(holder, nullptr, nullptr, ServeLimits{});
  EXPECT_EQ(service.stats()["items"], 19);
  EXPECT_EQ(service.item("9")["code"], hex_of_code(first->span(), 4));
  EXPECT_THROW(service.item("8"), RequestError);
  EXPECT_THROW(service.item("0"), RequestError);

  auto second = testing::random_codes(50, 64, 2);
  write_index_file(dir / "db.shx", second->span(), {});
  EXPECT_EQ(service.reload()["items"], 50);
  EXPECT_EQ(service.item("0")["code"], hex_of_code(second->span(), 0));

  write_bytes(dir / "db.shx", "SHRWDIDX truncated");
  EXPECT_THROW(service.reload(), RequestError);
  EXPECT_EQ(service.stats()["items"], 50);
}

}  // namespace
}  // namespace shrewd::serve
