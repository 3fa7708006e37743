#include "shrewd/semantics/wordnet_hierarchy.hpp"

#include <gtest/gtest.h>

#include "support/temp_dir.hpp"
#include "test_helpers.hpp"

namespace shrewd::semantics {
namespace {

using testing::error_of;

// entity
// ├── thing                    (listed before object: the lower offset)
// └── object
//     ├── garment
//     │   └── shirt
//     │       └── tshirt
//     └── shoe
// x: hypernyms object and thing (both one step from entity)     -> the lower offset: thing
// y: hypernyms shirt (3 steps from entity) and thing (1 step)    -> the shorter path: thing
// fido: only an instance hypernym, garment
class MiniWordNetHierarchy : public ::testing::Test {
 protected:
  void SetUp() override {
    offsets_ = testing::write_mini_wordnet(dir_.path(), {{"entity", {}},
                                                         {"thing", {"entity"}},
                                                         {"object", {"entity"}},
                                                         {"garment", {"object"}},
                                                         {"shirt", {"garment"}},
                                                         {"tshirt", {"shirt"}},
                                                         {"shoe", {"object"}},
                                                         {"x", {"object", "thing"}},
                                                         {"y", {"shirt", "thing"}},
                                                         {"fido", {}, {"garment"}}});
    wordnet_ = std::make_unique<WordNet>(WordNet::load(dir_.path()));
  }
  std::string id(const std::string& lemma) const { return WordNet::id(offsets_.at(lemma)); }
  std::string parent_of(const Hierarchy& h, const std::string& node) const {
    const auto found = h.find(node);
    EXPECT_TRUE(found.has_value()) << node;
    if (!found || h.parents(*found).size() != 1) return "?";
    return h.name(h.parents(*found)[0]);
  }

  shrewd::testing::TempDir dir_;
  std::map<std::string, unsigned> offsets_;
  std::unique_ptr<WordNet> wordnet_;
};

TEST_F(MiniWordNetHierarchy, MergesShortestLowestOffsetPathsIntoATree) {
  const auto classes =
      ClassList::parse("0 shirt.n.01 Shirt\n1 tshirt.n.01 T-shirt\n2 shoe.n.01\n3 x.n.01\n4 y.n.01\n5 fido.n.01\n",
                       "classes.txt");
  const WordNetHierarchy built = build_wordnet_hierarchy(*wordnet_, classes);
  const Hierarchy& h = built.hierarchy;
  EXPECT_TRUE(h.is_tree());
  EXPECT_EQ(h.name(h.root()), "n00001740");
  EXPECT_EQ(parent_of(h, id("tshirt")), id("shirt"));
  EXPECT_EQ(parent_of(h, id("shirt")), id("garment"));
  EXPECT_EQ(parent_of(h, id("garment")), id("object"));
  EXPECT_EQ(parent_of(h, id("shoe")), id("object"));
  EXPECT_EQ(parent_of(h, id("x")), id("thing"));     // tie at one step: lowest offset
  EXPECT_EQ(parent_of(h, id("y")), id("thing"));     // the shorter path wins over the pointer order
  EXPECT_EQ(parent_of(h, id("fido")), id("garment"));  // instance hypernym
  // Shirt is an ancestor of T-shirt: it gets a leaf of its own under its synset.
  EXPECT_EQ(built.classes.classes[0].node, id("shirt") + ".self");
  EXPECT_EQ(parent_of(h, id("shirt") + ".self"), id("shirt"));
  EXPECT_EQ(built.classes.classes[1].node, id("tshirt"));
  for (std::size_t c = 0; c < built.classes.size(); ++c)
    EXPECT_TRUE(h.is_leaf(*h.find(built.classes.classes[c].node))) << c;
  EXPECT_EQ(built.classes.classes[0].display_name, "Shirt");
  EXPECT_EQ(built.classes.classes[2].display_name, "shoe");  // filled in from WordNet
}

TEST_F(MiniWordNetHierarchy, ResolvedClassesRebuildTheSameHierarchy) {
  const auto classes = ClassList::parse("0 shirt.n.01\n1 tshirt.n.01\n2 shoe.n.01\n", "classes.txt");
  const WordNetHierarchy first = build_wordnet_hierarchy(*wordnet_, classes);
  const WordNetHierarchy second =
      build_wordnet_hierarchy(*wordnet_, ClassList::parse(first.classes.to_text(), "resolved.txt"));
  EXPECT_EQ(first.hierarchy.to_text(), second.hierarchy.to_text());
  EXPECT_EQ(first.classes.to_text(), second.classes.to_text());
}

TEST_F(MiniWordNetHierarchy, ChildEdgesAreListedTogetherDepthFirstInNameOrder) {
  const auto classes = ClassList::parse("0 shoe.n.01\n1 tshirt.n.01\n", "classes.txt");
  const Hierarchy h = build_wordnet_hierarchy(*wordnet_, classes).hierarchy;
  const std::string expected = id("entity") + " " + id("object") + "\n" + id("object") + " " + id("garment") + "\n" +
                               id("object") + " " + id("shoe") + "\n" + id("garment") + " " + id("shirt") + "\n" +
                               id("shirt") + " " + id("tshirt") + "\n";
  EXPECT_EQ(h.to_text(), expected);
}

TEST_F(MiniWordNetHierarchy, UnknownClassNameNamesTheClassesFileLine) {
  const auto classes = ClassList::parse("0 shirt.n.01\n1 shrit.n.01 Shirt?\n", "classes.txt");
  const std::string message = error_of([&] { build_wordnet_hierarchy(*wordnet_, classes); });
  EXPECT_NE(message.find("classes.txt:2: class 1 (Shirt?)"), std::string::npos) << message;
  EXPECT_NE(message.find("closest lemmas: shirt"), std::string::npos) << message;
}

TEST_F(MiniWordNetHierarchy, TwoClassesOnOneSynsetIsAnError) {
  const auto classes = ClassList::parse("0 shirt.n.01\n1 " + id("shirt") + "\n", "classes.txt");
  const std::string message = error_of([&] { build_wordnet_hierarchy(*wordnet_, classes); });
  EXPECT_NE(message.find("classes.txt:2"), std::string::npos) << message;
  EXPECT_NE(message.find("already the synset of class 0"), std::string::npos) << message;
}

TEST_F(MiniWordNetHierarchy, CheckWordNetNodesAcceptsBuiltTreesAndOtherNames) {
  const auto classes = ClassList::parse("0 shirt.n.01\n1 tshirt.n.01\n", "classes.txt");
  EXPECT_NO_THROW(check_wordnet_nodes(build_wordnet_hierarchy(*wordnet_, classes).hierarchy, *wordnet_));
  EXPECT_NO_THROW(check_wordnet_nodes(Hierarchy::parse("100 0\n100 1\n", "is-a.txt"), *wordnet_));
}

TEST_F(MiniWordNetHierarchy, CheckWordNetNodesRejectsUnknownIds) {
  const Hierarchy h = Hierarchy::parse(id("entity") + " " + id("shirt") + "\n" + id("shirt") + " n09999999\n", "t.txt");
  const std::string message = error_of([&] { check_wordnet_nodes(h, *wordnet_); });
  EXPECT_NE(message.find("t.txt:2: node n09999999 is not a noun synset"), std::string::npos) << message;
}

TEST(DeepWordNetHierarchy, HundredThousandLevelChainBuildsWithoutRecursion) {
  // A damaged or hostile data.noun: one hypernym chain 100,000 synsets deep (once a stack overflow).
  std::vector<testing::MiniSynset> synsets{{"entity", {}}};
  const std::size_t depth = 100000;
  for (std::size_t i = 1; i <= depth; ++i)
    synsets.push_back({std::string("s").append(std::to_string(i)),
                       {i == 1 ? std::string("entity") : std::string("s").append(std::to_string(i - 1))}});
  shrewd::testing::TempDir dir;
  const auto offsets = testing::write_mini_wordnet(dir.path(), synsets);
  const WordNet wordnet = WordNet::load(dir.path());
  const auto classes = ClassList::parse("0 " + WordNet::id(offsets.at("s100000")) + "\n1 s50000.n.01\n", "deep.txt");
  const WordNetHierarchy built = build_wordnet_hierarchy(wordnet, classes);
  EXPECT_EQ(built.hierarchy.size(), depth + 2);  // the chain, entity and s50000's own leaf
  EXPECT_EQ(built.hierarchy.depth(*built.hierarchy.find(WordNet::id(offsets.at("s100000")))), 100000);
}

TEST(WordNetHierarchyErrors, BinaryBytesFromTheFilesAreEscaped) {
  shrewd::testing::TempDir dir;
  testing::write_mini_wordnet(dir.path(), {{"entity", {}}, {"thing", {"entity"}}});
  const WordNet wordnet = WordNet::load(dir.path());
  const std::string binary = std::string("\x01\x1b[2J\xff", 6) + std::string(5000, 'z');
  const auto classes = ClassList::parse("0 thing.n.01\n1 " + binary + " " + binary + "\n", "bin.txt");
  const std::string message = error_of([&] { build_wordnet_hierarchy(wordnet, classes); });
  EXPECT_NE(message.find("bin.txt:2"), std::string::npos) << message.substr(0, 200);
  EXPECT_EQ(message.find('\x01'), std::string::npos) << message.substr(0, 200);
  EXPECT_EQ(message.find('\x1b'), std::string::npos) << message.substr(0, 200);
  EXPECT_EQ(message.find('\xff'), std::string::npos) << message.substr(0, 200);
  EXPECT_LT(message.size(), 1000u) << message.substr(0, 200);
}

TEST(SystemWordNetHierarchy, FashionMnistShirtGetsALeafOfItsOwn) {
  if (!testing::have_system_wordnet()) GTEST_SKIP() << "WordNet 3.0 not installed";
  const WordNet wordnet = WordNet::load(testing::system_wordnet);
  const auto classes = ClassList::parse("0 jersey.n.03 T-shirt/top\n1 shirt.n.01 Shirt\n2 sandal.n.01\n", "c.txt");
  const WordNetHierarchy built = build_wordnet_hierarchy(wordnet, classes);
  EXPECT_EQ(built.classes.classes[0].node, "n03595614");
  EXPECT_EQ(built.classes.classes[1].node, "n04197391.self");
  const Hierarchy& h = built.hierarchy;
  EXPECT_EQ(h.name(h.parents(*h.find("n03595614"))[0]), "n04197391");
  EXPECT_EQ(h.name(h.parents(*h.find("n04197391.self"))[0]), "n04197391");
  EXPECT_EQ(built.classes.classes[2].display_name, "sandal");
}

}  // namespace
}  // namespace shrewd::semantics
