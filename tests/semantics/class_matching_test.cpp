#include "shrewd/semantics/class_matching.hpp"

#include <gtest/gtest.h>

#include "shrewd/semantics/wordnet.hpp"
#include "support/temp_dir.hpp"
#include "test_helpers.hpp"

namespace shrewd::semantics {
namespace {

using testing::error_of;

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

const ClassList kAnimals = ClassList::parse("0\tn02084071\tdog\n1\tn02121808.self\tdomestic cat\n2\tn01503061\tbird\n",
                                            "classes.txt");

// The reported bug: folders sort cat, dog, parrot; the classes file lists dog, cat, bird.
TEST(ClassMatching, FollowsNamesNotTheOrderOfTheData) {
  const auto by_display = match_classes({"domestic_cat", "Dog", "bird"}, "/data/train", kAnimals);
  EXPECT_EQ(by_display.class_of, (std::vector<std::int64_t>{1, 0, 2}));
  // WordNet ids as folder names (ILSVRC layout), with or without the n; a class's own leaf .self.
  const auto by_id = match_classes({"01503061", "n02084071", "n02121808"}, "/data/train", kAnimals);
  EXPECT_EQ(by_id.class_of, (std::vector<std::int64_t>{2, 0, 1}));
  // Any node name of a hierarchy that is not WordNet.
  const auto plain = ClassList::parse("0 b B\n1 a\n", "c.txt");
  EXPECT_EQ(match_classes({"a", "b"}, "d", plain).class_of, (std::vector<std::int64_t>{1, 0}));
}

TEST(ClassMatching, SenseNamesAreResolvedWithWordNet) {
  shrewd::testing::TempDir dir;
  const auto offsets = testing::write_mini_wordnet(dir.path() / "wn", {{"entity", {}}, {"animal", {"entity"}},
                                                                       {"dog", {"animal"}}, {"cat", {"animal"}}});
  const ClassList by_id = ClassList::parse("0\t" + WordNet::id(offsets.at("cat")) + "\n1\t" +
                                               WordNet::id(offsets.at("dog")) + "\n",
                                           "ids.txt");
  ClassMatchOptions options;
  options.wordnet = dir.path() / "wn";
  EXPECT_EQ(match_classes({"dog.n.01", "cat.n.01"}, "d", by_id, options).class_of, (std::vector<std::int64_t>{1, 0}));
  // A classes file written with sense names, data named by WordNet id.
  const ClassList by_sense = ClassList::parse("0 cat.n.01\n1 dog.n.01\n", "senses.txt");
  EXPECT_EQ(match_classes({WordNet::id(offsets.at("dog")), WordNet::id(offsets.at("cat"))}, "d", by_sense, options).class_of,
            (std::vector<std::int64_t>{1, 0}));
}

TEST(ClassMatching, AFolderWithoutAClassNamesBoth) {
  const std::string message = error_of([] { match_classes({"dog", "cat", "bird", "fish"}, "/data/train", kAnimals); });
  EXPECT_TRUE(contains(message, "/data/train: class 'cat' of the data matches no class of classes.txt")) << message;
  EXPECT_TRUE(contains(message, "data.drop_classes")) << message;
}

TEST(ClassMatching, AClassWithoutDataNamesBoth) {
  const std::string message = error_of([] { match_classes({"dog", "domestic cat"}, "/data/train", kAnimals); });
  EXPECT_TRUE(contains(message, "classes.txt:3: class 2 (bird, node n01503061) has no data in /data/train")) << message;
  EXPECT_TRUE(contains(message, "data.drop_classes")) << message;
}

TEST(ClassMatching, DroppingIsExplicit) {
  ClassMatchOptions options;
  options.drop = {"fish", "bird"};  // a folder to leave out, a class the data does not have
  const auto match = match_classes({"dog", "domestic cat", "fish"}, "/data/train", kAnimals, options);
  EXPECT_EQ(match.class_of, (std::vector<std::int64_t>{0, 1, -1}));
  // Dropping a class of the file drops the data matched to it.
  options.drop = {"n01503061"};
  EXPECT_EQ(match_classes({"bird", "dog", "domestic cat"}, "d", kAnimals, options).class_of,
            (std::vector<std::int64_t>{-1, 0, 1}));
  options.drop = {"cow"};
  const std::string message = error_of([&] { match_classes({"dog", "domestic cat", "bird"}, "d", kAnimals, options); });
  EXPECT_TRUE(contains(message, "data.drop_classes: 'cow' names no class of d nor of classes.txt")) << message;
}

TEST(ClassMatching, TwoFoldersOnOneClassOrAnAmbiguousNameAreErrors) {
  std::string message = error_of([] { match_classes({"dog", "n02084071", "domestic cat", "bird"}, "d", kAnimals); });
  EXPECT_TRUE(contains(message, "class 'n02084071' of the data and class 'dog' both match class 0")) << message;
  const ClassList cranes = ClassList::parse("0 n02012849 crane\n1 n03126707 crane\n", "in1k.txt");
  message = error_of([&] { match_classes({"crane", "n03126707"}, "d", cranes); });
  EXPECT_TRUE(contains(message, "is the display name of class 0 (crane, node n02012849) and of class 1")) << message;
  EXPECT_EQ(match_classes({"n02012849", "n03126707"}, "d", cranes).class_of, (std::vector<std::int64_t>{0, 1}));
}

TEST(ClassMatching, ShippedCifar100NamesMatchTheirClassesInOrder) {
  const ClassList cifar = ClassList::load(std::filesystem::path(SHREWD_SOURCE_DIR) / "data/hierarchies/cifar100/classes.txt");
  std::vector<std::string> names;
  for (std::size_t c = 0; c < cifar.size(); ++c) names.push_back(cifar.classes[c].display_name);
  const auto match = match_classes(names, "fine_label_names.txt", cifar);
  for (std::size_t c = 0; c < cifar.size(); ++c) EXPECT_EQ(match.class_of[c], std::int64_t(c));
}

}  // namespace
}  // namespace shrewd::semantics
