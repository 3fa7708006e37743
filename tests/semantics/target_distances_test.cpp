#include "shrewd/semantics/target_distances.hpp"

#include <gtest/gtest.h>

#include "shrewd/semantics/class_list.hpp"
#include "shrewd/semantics/hierarchy.hpp"
#include "test_helpers.hpp"

namespace shrewd::semantics {
namespace {

using testing::error_of;

// root(3) -> A(1) -> a1, a2;  root -> B(2) -> b1, B2(1) -> b2.  Heights in brackets.
constexpr const char* small_tree = "root A\nroot B\nA a1\nA a2\nB b1\nB B2\nB2 b2\n";

std::vector<float> distances_for(const std::string& classes, HierarchyMeasure measure) {
  const Hierarchy h = Hierarchy::parse(small_tree, "tree.txt");
  return hierarchy_distances(h, class_nodes(h, ClassList::parse(classes, "classes.txt")), measure);
}

TEST(HierarchyDistances, LcsHeightOverRootHeightOnAHandMadeTree) {
  const auto d = distances_for("0 a1\n1 a2\n2 b1\n3 b2\n", HierarchyMeasure::LcsHeight);
  ASSERT_EQ(d.size(), 16u);
  auto at = [&](int i, int j) { return d[static_cast<std::size_t>(i * 4 + j)]; };
  EXPECT_FLOAT_EQ(at(0, 1), 1.0f / 3.0f);  // lcs A, height 1
  EXPECT_FLOAT_EQ(at(2, 3), 2.0f / 3.0f);  // lcs B, height 2
  EXPECT_FLOAT_EQ(at(0, 2), 1.0f);         // lcs root
  EXPECT_FLOAT_EQ(at(1, 3), 1.0f);
  for (int i = 0; i < 4; ++i) {
    EXPECT_EQ(at(i, i), 0.0f);
    for (int j = 0; j < 4; ++j) EXPECT_EQ(at(i, j), at(j, i));
  }
}

TEST(HierarchyDistances, WuPalmerCountsDepthsFromOneAtTheRoot) {
  // d(root) = 1, d(A) = d(B) = 2, d(a1) = d(a2) = d(b1) = 3, d(b2) = 4.
  const auto d = distances_for("0 a1\n1 a2\n2 b1\n3 b2\n", HierarchyMeasure::WuPalmer);
  auto at = [&](int i, int j) { return d[static_cast<std::size_t>(i * 4 + j)]; };
  EXPECT_FLOAT_EQ(at(0, 1), 1.0f - 2.0f * 2 / (3 + 3));  // 1/3
  EXPECT_FLOAT_EQ(at(2, 3), 1.0f - 2.0f * 2 / (3 + 4));  // 3/7
  EXPECT_FLOAT_EQ(at(0, 2), 1.0f - 2.0f * 1 / (3 + 3));  // 2/3
  EXPECT_EQ(at(3, 3), 0.0f);
}

TEST(HierarchyDistances, ClassOnAnInnerNodeIsAtZeroFromItself) {
  const auto d = distances_for("0 B2\n1 b2\n2 a1\n", HierarchyMeasure::LcsHeight);
  EXPECT_EQ(d[0], 0.0f);
  EXPECT_FLOAT_EQ(d[1], 1.0f / 3.0f);  // lcs(B2, b2) = B2, height 1
  EXPECT_FLOAT_EQ(d[2], 1.0f);
}

TEST(HierarchyDistances, DagUsesTheDeepestCommonAncestor) {
  const Hierarchy h = Hierarchy::parse("root A\nA B\nroot C\nB n1\nC n1\nB n2\nC n3\n", "dag.txt");
  // heights: root 3, A 2, B 1, C 1.
  const auto d = hierarchy_distances(h, class_nodes(h, ClassList::parse("0 n1\n1 n2\n2 n3\n", "c.txt")));
  EXPECT_FLOAT_EQ(d[0 * 3 + 1], 1.0f / 3.0f);  // lcs B
  EXPECT_FLOAT_EQ(d[0 * 3 + 2], 1.0f / 3.0f);  // lcs C
  EXPECT_FLOAT_EQ(d[1 * 3 + 2], 1.0f);         // lcs root
}

TEST(HierarchyDistances, BitsetLcsAgreesWithThePairwiseSearch) {
  // A wider tree (more than 64 nodes) so that the ancestor bitsets span several words.
  std::string text;
  auto edge = [&text](const std::string& parent, const std::string& child) {
    text.append(parent).append(" ").append(child).append("\n");
  };
  for (int g = 0; g < 5; ++g) {
    const std::string group = std::string("g").append(std::to_string(g));
    edge("root", group);
    for (int k = 0; k < 20; ++k) edge(group, std::string(group).append("_").append(std::to_string(k)));
    edge(std::string(group).append("_0"), std::string("deep").append(std::to_string(g)));
  }
  const Hierarchy h = Hierarchy::parse(text, "wide.txt");
  std::vector<std::size_t> nodes;
  for (std::size_t n = 0; n < h.size(); ++n)
    if (h.is_leaf(n)) nodes.push_back(n);
  const auto d = hierarchy_distances(h, nodes);
  const double root_height = h.height(h.root());
  for (std::size_t a = 0; a < nodes.size(); ++a)
    for (std::size_t b = 0; b < nodes.size(); ++b) {
      const double expected = a == b ? 0.0 : h.height(h.lowest_common_subsumer(nodes[a], nodes[b])) / root_height;
      ASSERT_FLOAT_EQ(d[a * nodes.size() + b], static_cast<float>(expected)) << a << " " << b;
    }
}

TEST(HierarchyDistances, MeasureNamesParse) {
  EXPECT_EQ(parse_hierarchy_measure("lcs-height"), HierarchyMeasure::LcsHeight);
  EXPECT_EQ(parse_hierarchy_measure("wu-palmer"), HierarchyMeasure::WuPalmer);
  EXPECT_NE(error_of([] { parse_hierarchy_measure("resnik"); }).find("unknown hierarchy measure 'resnik'"),
            std::string::npos);
}

TEST(Similarities, AreOneMinusDistances) {
  const std::vector<float> d{0.0f, 0.25f, 1.0f};
  EXPECT_EQ(similarities_from_distances(d), (std::vector<float>{1.0f, 0.75f, 0.0f}));
}

}  // namespace
}  // namespace shrewd::semantics
