#include "shrewd/semantics/target_distances.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <numbers>

#include "shrewd/common/npy.hpp"
#include "shrewd/semantics/class_list.hpp"
#include "shrewd/semantics/hierarchy.hpp"
#include "support/temp_dir.hpp"
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

TEST(FlatLabels, SameLabelZeroOtherwiseOne) {
  const std::vector<std::int64_t> labels{3, 1, 3};
  EXPECT_EQ(flat_label_distances(labels), (std::vector<float>{0, 1, 0, 1, 0, 1, 0, 1, 0}));
}

TEST(MultiLabels, JaccardDistance) {
  // items: {0,1}, {1,2}, {}, {}, {0,1}
  const std::vector<std::uint8_t> hot{1, 1, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 1, 1, 0};
  const auto d = jaccard_distances(hot, 5, 3);
  EXPECT_FLOAT_EQ(d[0 * 5 + 1], 1.0f - 1.0f / 3.0f);
  EXPECT_FLOAT_EQ(d[0 * 5 + 4], 0.0f);
  EXPECT_FLOAT_EQ(d[0 * 5 + 2], 1.0f);  // nothing shared with an empty set
  EXPECT_FLOAT_EQ(d[2 * 5 + 3], 0.0f);  // two empty sets: equal targets
  EXPECT_EQ(d[1 * 5 + 0], d[0 * 5 + 1]);
  EXPECT_NE(error_of([&] { jaccard_distances(hot, 4, 3); }).find("expected 4 x 3 values"), std::string::npos);
}

TEST(Embeddings, CosineAndAngularDistances) {
  // e0 = (1, 0), e1 = (0, 2), e2 = (-3, 0), e3 = (1, 1)
  const std::vector<float> e{1, 0, 0, 2, -3, 0, 1, 1};
  const auto cosine = embedding_distances(e, 4, 2, EmbeddingMeasure::Cosine);
  EXPECT_NEAR(cosine[0 * 4 + 1], 0.5f, 1e-6);
  EXPECT_NEAR(cosine[0 * 4 + 2], 1.0f, 1e-6);
  EXPECT_NEAR(cosine[0 * 4 + 3], (1.0 - std::sqrt(0.5)) / 2.0, 1e-6);
  EXPECT_EQ(cosine[0], 0.0f);
  const auto angular = embedding_distances(e, 4, 2, EmbeddingMeasure::Angular);
  EXPECT_NEAR(angular[0 * 4 + 1], 0.5f, 1e-6);
  EXPECT_NEAR(angular[0 * 4 + 3], 0.25f, 1e-6);  // 45 degrees
  EXPECT_NEAR(angular[2 * 4 + 0], 1.0f, 1e-6);
}

TEST(Embeddings, RejectZeroVectorsNaNAndShapeMismatch) {
  const std::vector<float> zero_row{1, 0, 0, 0};
  EXPECT_NE(error_of([&] { embedding_distances(zero_row, 2, 2, EmbeddingMeasure::Cosine, "e.npy"); })
                .find("e.npy: row 1 is a zero vector"),
            std::string::npos);
  const std::vector<float> nan_row{1, std::numeric_limits<float>::quiet_NaN()};
  EXPECT_NE(error_of([&] { embedding_distances(nan_row, 1, 2); }).find("non-finite"), std::string::npos);
  EXPECT_NE(error_of([&] { embedding_distances(zero_row, 3, 2); }).find("shape mismatch"), std::string::npos);
}

TEST(Embeddings, ReadFromNpyWithChecks) {
  shrewd::testing::TempDir dir;
  const std::vector<float> good{1, 2, 3, 4, 5, 6};
  write_npy<float>(dir / "good.npy", good, {3, 2});
  const EmbeddingTable table = read_embeddings(dir / "good.npy", 3);
  EXPECT_EQ(table.rows, 3u);
  EXPECT_EQ(table.dims, 2u);
  EXPECT_EQ(table.values, good);
  EXPECT_NE(error_of([&] { read_embeddings(dir / "good.npy", 4); }).find("shape mismatch: 3 embedding rows"),
            std::string::npos);

  const std::vector<float> zero{1, 2, 0, 0};
  write_npy<float>(dir / "zero.npy", zero, {2, 2});
  EXPECT_NE(error_of([&] { read_embeddings(dir / "zero.npy"); }).find("row 1 is a zero vector"), std::string::npos);

  const std::vector<float> nan{1, std::numeric_limits<float>::quiet_NaN()};
  write_npy<float>(dir / "nan.npy", nan, {1, 2});
  EXPECT_NE(error_of([&] { read_embeddings(dir / "nan.npy"); }).find("nan.npy: non-finite"), std::string::npos);

  const std::vector<double> wide{1, 2};
  write_npy<double>(dir / "f64.npy", wide, {1, 2});
  EXPECT_NE(error_of([&] { read_embeddings(dir / "f64.npy"); }).find("f64.npy"), std::string::npos);

  write_npy<float>(dir / "flat.npy", good, {6});
  EXPECT_NE(error_of([&] { read_embeddings(dir / "flat.npy"); }).find("flat.npy"), std::string::npos);
}

TEST(ItemDistances, GatherRowsAndColumnsOfTheClassMatrix) {
  const std::vector<float> classes{0.0f, 0.25f, 1.0f,  //
                                   0.25f, 0.0f, 0.5f,  //
                                   1.0f, 0.5f, 0.0f};
  const std::vector<std::int64_t> items{2, 0, 2, 1};
  const auto d = gather_class_distances(classes, 3, items);
  EXPECT_EQ(d, (std::vector<float>{0.0f, 1.0f, 0.0f, 0.5f,    //
                                   1.0f, 0.0f, 1.0f, 0.25f,   //
                                   0.0f, 1.0f, 0.0f, 0.5f,    //
                                   0.5f, 0.25f, 0.5f, 0.0f}));
  std::vector<float> buffer(16);
  gather_class_distances(classes, 3, items, buffer);
  EXPECT_EQ(buffer, d);
  const std::vector<std::int64_t> bad{0, 3};
  EXPECT_NE(error_of([&] { gather_class_distances(classes, 3, bad); }).find("item 1 has class 3"), std::string::npos);
  const std::vector<std::int64_t> negative{-1};
  EXPECT_NE(error_of([&] { gather_class_distances(classes, 3, negative); }).find("class -1"), std::string::npos);
  EXPECT_NE(error_of([&] { gather_class_distances(classes, 2, items); }).find("2 x 2 matrix"), std::string::npos);
}

TEST(Similarities, AreOneMinusDistances) {
  const std::vector<float> d{0.0f, 0.25f, 1.0f};
  EXPECT_EQ(similarities_from_distances(d), (std::vector<float>{1.0f, 0.75f, 0.0f}));
}

}  // namespace
}  // namespace shrewd::semantics
