// The class hierarchies shipped in data/hierarchies/: well-formed, reproducible from WordNet, and
// giving the distances one expects.
#include <gtest/gtest.h>

#include <algorithm>

#include "shrewd/semantics/class_list.hpp"
#include "shrewd/semantics/hierarchy.hpp"
#include "shrewd/semantics/target_distances.hpp"
#include "shrewd/semantics/wordnet_hierarchy.hpp"
#include "test_helpers.hpp"

namespace shrewd::semantics {
namespace {

const std::filesystem::path shipped = std::filesystem::path(SHREWD_SOURCE_DIR) / "data" / "hierarchies";

struct Shipped {
  std::string name;
  std::size_t classes;
  friend void PrintTo(const Shipped& shipped, std::ostream* out) { *out << shipped.name; }
};

class ShippedHierarchy : public ::testing::TestWithParam<Shipped> {
 protected:
  std::filesystem::path dir() const { return shipped / GetParam().name; }
};

TEST_P(ShippedHierarchy, IsATreeWithEveryClassOnALeaf) {
  const Hierarchy h = Hierarchy::load(dir() / "hierarchy.txt");
  const ClassList classes = ClassList::load(dir() / "classes.txt");
  ASSERT_EQ(classes.size(), GetParam().classes);
  EXPECT_TRUE(h.is_tree());
  EXPECT_EQ(h.name(h.root()), "n00001740");  // entity.n.01
  std::size_t leaves = 0;
  for (std::size_t n = 0; n < h.size(); ++n) leaves += h.is_leaf(n);
  EXPECT_EQ(leaves, classes.size());  // a minimal tree: no leaf without a class
  for (const std::size_t node : class_nodes(h, classes)) EXPECT_TRUE(h.is_leaf(node)) << h.name(node);
}

TEST_P(ShippedHierarchy, SimilarityIsSymmetricInZeroOneWithOnesOnTheDiagonal) {
  const Hierarchy h = Hierarchy::load(dir() / "hierarchy.txt");
  const ClassList classes = ClassList::load(dir() / "classes.txt");
  const auto nodes = class_nodes(h, classes);
  const std::size_t c = nodes.size();
  for (const auto measure : {HierarchyMeasure::LcsHeight, HierarchyMeasure::WuPalmer}) {
    const auto s = similarities_from_distances(hierarchy_distances(h, nodes, measure));
    ASSERT_EQ(s.size(), c * c);
    for (std::size_t a = 0; a < c; ++a) {
      ASSERT_EQ(s[a * c + a], 1.0f) << a;
      for (std::size_t b = 0; b < c; ++b) {
        ASSERT_EQ(s[a * c + b], s[b * c + a]) << a << " " << b;
        ASSERT_GE(s[a * c + b], 0.0f);
        ASSERT_LE(s[a * c + b], 1.0f);
        if (a != b) {
          ASSERT_LT(s[a * c + b], 1.0f) << "distinct classes " << a << ", " << b;
        }
      }
    }
  }
}

TEST_P(ShippedHierarchy, IsReproducibleFromItsSynsetListAndWordNet) {
  if (!testing::have_system_wordnet()) GTEST_SKIP() << "WordNet 3.0 not installed";
  const WordNet wordnet = WordNet::load(testing::system_wordnet);
  const WordNetHierarchy built = build_wordnet_hierarchy(wordnet, ClassList::load(dir() / "synsets.txt"));
  EXPECT_EQ(built.hierarchy.to_text(), Hierarchy::load(dir() / "hierarchy.txt").to_text());
  EXPECT_EQ(built.classes.to_text(), ClassList::load(dir() / "classes.txt").to_text());
}

INSTANTIATE_TEST_SUITE_P(Datasets, ShippedHierarchy,
                         ::testing::Values(Shipped{"fashion-mnist", 10}, Shipped{"cifar100", 100},
                                           Shipped{"imagenet1k", 1000}),
                         [](const auto& info) {
                           std::string name = info.param.name;
                           name.erase(std::remove(name.begin(), name.end(), '-'), name.end());
                           return name;
                         });

class FashionMnist : public ::testing::Test {
 protected:
  void SetUp() override {
    hierarchy_ = Hierarchy::load(shipped / "fashion-mnist" / "hierarchy.txt");
    classes_ = ClassList::load(shipped / "fashion-mnist" / "classes.txt");
    distances_ = hierarchy_distances(hierarchy_, class_nodes(hierarchy_, classes_));
  }
  float d(std::size_t a, std::size_t b) const { return distances_[a * 10 + b]; }
  enum : std::size_t { tshirt, trouser, pullover, dress, coat, sandal, shirt, sneaker, bag, ankle_boot };

  Hierarchy hierarchy_;
  ClassList classes_;
  std::vector<float> distances_;
};

TEST_F(FashionMnist, ClassesAreInLabelOrder) {
  EXPECT_EQ(classes_.label(tshirt), "T-shirt/top");
  EXPECT_EQ(classes_.label(sandal), "Sandal");
  EXPECT_EQ(classes_.label(ankle_boot), "Ankle boot");
  EXPECT_EQ(classes_.classes[shirt].node, "n04197391.self");  // Shirt is T-shirt's hypernym
}

TEST_F(FashionMnist, SandalIsCloserToSneakerThanToTrouser) {
  EXPECT_LT(d(sandal, sneaker), d(sandal, trouser));
  EXPECT_LT(d(sandal, ankle_boot), d(sandal, trouser));
  EXPECT_LT(d(sandal, sneaker), d(sandal, ankle_boot));
  EXPECT_LT(d(tshirt, shirt), d(tshirt, trouser));
  EXPECT_LT(d(coat, pullover), d(coat, bag));
}

TEST_F(FashionMnist, DistancesMatchTheTreeByHand) {
  // Root entity.n.01 has height 9. lcs(Sandal, Sneaker) = shoe.n.01 (height 1);
  // lcs(Sandal, Trouser) = covering.n.02 (height 4); lcs(T-shirt, Shirt) = shirt.n.01 (height 1);
  // lcs(Bag, Coat) = artifact.n.01 (height 5); lcs(Coat, Pullover) = garment.n.01 (height 2).
  EXPECT_EQ(hierarchy_.height(hierarchy_.root()), 9);
  EXPECT_FLOAT_EQ(d(sandal, sneaker), 1.0f / 9.0f);
  EXPECT_FLOAT_EQ(d(sandal, trouser), 4.0f / 9.0f);
  EXPECT_FLOAT_EQ(d(tshirt, shirt), 1.0f / 9.0f);
  EXPECT_FLOAT_EQ(d(bag, coat), 5.0f / 9.0f);
  EXPECT_FLOAT_EQ(d(coat, pullover), 2.0f / 9.0f);
}

TEST(Cifar100, RelatedClassesAreCloser) {
  const Hierarchy h = Hierarchy::load(shipped / "cifar100" / "hierarchy.txt");
  const ClassList classes = ClassList::load(shipped / "cifar100" / "classes.txt");
  const auto d = hierarchy_distances(h, class_nodes(h, classes));
  auto at = [&](const std::string& a, const std::string& b) {
    std::size_t i = 0, j = 0;
    for (std::size_t c = 0; c < classes.size(); ++c) {
      if (classes.label(c) == a) i = c;
      if (classes.label(c) == b) j = c;
    }
    return d[i * classes.size() + j];
  };
  EXPECT_EQ(classes.label(0), "apple");
  EXPECT_EQ(classes.label(99), "worm");
  EXPECT_LT(at("maple_tree", "oak_tree"), at("maple_tree", "whale"));
  EXPECT_LT(at("lion", "tiger"), at("lion", "wolf"));
  EXPECT_LT(at("lion", "wolf"), at("lion", "bee"));
  EXPECT_LT(at("boy", "girl"), at("boy", "bicycle"));
}

TEST(ImageNet1k, ClassesAreTheSortedIlsvrcWnids) {
  const ClassList classes = ClassList::load(shipped / "imagenet1k" / "classes.txt");
  ASSERT_EQ(classes.size(), 1000u);
  EXPECT_EQ(classes.classes.front().node, "n01440764");  // tench
  EXPECT_EQ(classes.classes.back().node, "n15075141");   // toilet tissue
  for (std::size_t c = 1; c < classes.size(); ++c)
    EXPECT_LT(classes.classes[c - 1].node, classes.classes[c].node) << c;
}

}  // namespace
}  // namespace shrewd::semantics
