#include "shrewd/semantics/hierarchy.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <sstream>

#include "support/temp_dir.hpp"
#include "test_helpers.hpp"

namespace shrewd::semantics {
namespace {

using testing::error_of;

// root -> A -> a1, a2
// root -> B -> b1, B2 -> b2
constexpr const char* small_tree =
    "# a comment\n"
    "root A\n"
    "root B\n"
    "A a1\n"
    "A a2\n"
    "\n"
    "B b1\n"
    "B B2\n"
    "B2 b2\n";

std::size_t node(const Hierarchy& h, const std::string& name) {
  const auto found = h.find(name);
  EXPECT_TRUE(found.has_value()) << name;
  return found.value_or(0);
}

TEST(Hierarchy, HeightsCountUpFromTheLeavesAndDepthsDownFromTheRoot) {
  const Hierarchy h = Hierarchy::parse(small_tree, "tree.txt");
  EXPECT_EQ(h.size(), 8u);
  EXPECT_EQ(h.name(h.root()), "root");
  EXPECT_TRUE(h.is_tree());
  EXPECT_EQ(h.height(node(h, "root")), 3);
  EXPECT_EQ(h.height(node(h, "A")), 1);
  EXPECT_EQ(h.height(node(h, "B")), 2);
  EXPECT_EQ(h.height(node(h, "B2")), 1);
  EXPECT_EQ(h.height(node(h, "b1")), 0);
  EXPECT_EQ(h.depth(node(h, "root")), 0);
  EXPECT_EQ(h.depth(node(h, "b2")), 3);
  EXPECT_EQ(h.depth(node(h, "b1")), 2);
}

TEST(Hierarchy, LowestCommonSubsumerIsTheDeepestSharedAncestor) {
  const Hierarchy h = Hierarchy::parse(small_tree, "tree.txt");
  EXPECT_EQ(h.name(h.lowest_common_subsumer(node(h, "a1"), node(h, "a2"))), "A");
  EXPECT_EQ(h.name(h.lowest_common_subsumer(node(h, "b1"), node(h, "b2"))), "B");
  EXPECT_EQ(h.name(h.lowest_common_subsumer(node(h, "a1"), node(h, "b2"))), "root");
  EXPECT_EQ(h.name(h.lowest_common_subsumer(node(h, "B2"), node(h, "b2"))), "B2");  // an ancestor of the other
  EXPECT_EQ(h.name(h.lowest_common_subsumer(node(h, "a1"), node(h, "a1"))), "a1");
}

TEST(Hierarchy, DagDepthIsTheLongestPathAndLcsTheDeepestCommonAncestor) {
  // root -> A -> B -> n1, root -> C -> n1 (n1 has two parents), B -> n2, C -> n3, root -> n1.
  const Hierarchy h = Hierarchy::parse("root A\nA B\nroot C\nB n1\nC n1\nB n2\nC n3\nroot n1\n", "dag.txt");
  EXPECT_FALSE(h.is_tree());
  EXPECT_EQ(h.depth(node(h, "n1")), 3);  // via A and B, not the direct edge from the root
  EXPECT_EQ(h.height(node(h, "root")), 3);
  EXPECT_EQ(h.name(h.lowest_common_subsumer(node(h, "n1"), node(h, "n2"))), "B");
  EXPECT_EQ(h.name(h.lowest_common_subsumer(node(h, "n1"), node(h, "n3"))), "C");
  EXPECT_EQ(h.name(h.lowest_common_subsumer(node(h, "n2"), node(h, "n3"))), "root");
}

TEST(Hierarchy, EqualDepthCommonAncestorsAreBrokenBySmallerHeight) {
  // x and y both sit under P and Q (depth 1 each); Q also leads to z two levels down.
  const Hierarchy h = Hierarchy::parse("root P\nroot Q\nP x\nQ x\nP y\nQ y\nQ Q1\nQ1 z\n", "tie.txt");
  EXPECT_EQ(h.height(node(h, "P")), 1);
  EXPECT_EQ(h.height(node(h, "Q")), 2);
  EXPECT_EQ(h.name(h.lowest_common_subsumer(node(h, "x"), node(h, "y"))), "P");
}

TEST(Hierarchy, EdgesMayComeInAnyOrderWithAnyTokensAsNodes) {
  // As in Barz & Denzler's files: integer ids, child edges before the node's own parent edge.
  const Hierarchy h = Hierarchy::parse("103 0\n103 57\n102 103\n108 102\n108 5\n", "cifar.is-a.txt");
  EXPECT_EQ(h.name(h.root()), "108");
  EXPECT_EQ(h.height(h.root()), 3);
  EXPECT_EQ(h.depth(node(h, "57")), 3);
  EXPECT_EQ(h.name(h.lowest_common_subsumer(node(h, "0"), node(h, "57"))), "103");
}

TEST(Hierarchy, RepeatedEdgesCountOnce) {
  const Hierarchy h = Hierarchy::parse("r a\nr a\nr b\n", "dup.txt");
  EXPECT_EQ(h.edges().size(), 2u);
  EXPECT_EQ(h.children(h.root()).size(), 2u);
}

TEST(Hierarchy, LoadsFilesAndWritesParentChildLines) {
  shrewd::testing::TempDir dir;
  shrewd::testing::write_bytes(dir / "tree.txt", small_tree);
  const Hierarchy h = Hierarchy::load(dir / "tree.txt");
  EXPECT_EQ(h.source(), (dir / "tree.txt").string());
  EXPECT_EQ(h.to_text(), "root A\nroot B\nA a1\nA a2\nB b1\nB B2\nB2 b2\n");
  EXPECT_EQ(Hierarchy::parse(h.to_text(), "again").to_text(), h.to_text());
}

TEST(HierarchyErrors, CycleIsReportedWithItsNodesAndLines) {
  const std::string message = error_of([] { Hierarchy::parse("root a\na b\nb c\nc a\n", "cycle.txt"); });
  EXPECT_NE(message.find("cycle.txt"), std::string::npos) << message;
  EXPECT_NE(message.find("cycle"), std::string::npos) << message;
  EXPECT_NE(message.find("a -> b -> c -> a"), std::string::npos) << message;
  EXPECT_NE(message.find("lines 2, 3, 4"), std::string::npos) << message;
}

TEST(HierarchyErrors, GraphWithoutRootIsACycle) {
  const std::string message = error_of([] { Hierarchy::parse("a b\nb a\n", "loop.txt"); });
  EXPECT_NE(message.find("no root"), std::string::npos) << message;
}

TEST(HierarchyErrors, SeveralRootsAreNamedWithTheirLines) {
  const std::string message = error_of([] { Hierarchy::parse("r1 a\nr2 b\nr1 c\n", "forest.txt"); });
  EXPECT_NE(message.find("forest.txt: 2 roots"), std::string::npos) << message;
  EXPECT_NE(message.find("r1 (line 1)"), std::string::npos) << message;
  EXPECT_NE(message.find("r2 (line 2)"), std::string::npos) << message;
}

TEST(HierarchyErrors, MalformedLinesNameTheLine) {
  EXPECT_NE(error_of([] { Hierarchy::parse("r a\nr b c\n", "bad.txt"); }).find("bad.txt:2: expected 'parent child'"),
            std::string::npos);
  EXPECT_NE(error_of([] { Hierarchy::parse("r a\nlonely\n", "bad.txt"); }).find("bad.txt:2"), std::string::npos);
  EXPECT_NE(error_of([] { Hierarchy::parse("r a\na a\n", "self.txt"); }).find("self.txt:2: node 'a' is its own parent"),
            std::string::npos);
  EXPECT_NE(error_of([] { Hierarchy::parse("# nothing\n\n", "empty.txt"); }).find("empty.txt: no edges"),
            std::string::npos);
}

TEST(HierarchyErrors, LongCycleGetsABoundedMessageQuickly) {
  // 200,000 nodes in one cycle (and no root): once 94 s and a message naming every node.
  std::string text;
  const std::size_t n = 200000;
  for (std::size_t i = 0; i < n; ++i)
    text.append("n").append(std::to_string(i)).append(" n").append(std::to_string((i + 1) % n)).append("\n");
  const auto start = std::chrono::steady_clock::now();
  const std::string message = error_of([&] { Hierarchy::parse(text, "ring.txt"); });
  EXPECT_LT(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(), 20.0);  // once 94 s
  EXPECT_NE(message.find("ring.txt"), std::string::npos) << message.substr(0, 300);
  EXPECT_NE(message.find("cycle of 200000 nodes"), std::string::npos) << message.substr(0, 300);
  EXPECT_LT(message.size(), 600u) << message.substr(0, 300);
  // A root with a long cycle below it: the same.
  const std::string below = error_of([&] { Hierarchy::parse("root n0\n" + text, "below.txt"); });
  EXPECT_NE(below.find("cycle of 200000 nodes"), std::string::npos) << below.substr(0, 300);
  EXPECT_LT(below.size(), 600u) << below.substr(0, 300);
}

TEST(HierarchyErrors, BinaryBytesInNamesAreEscapedAndCut) {
  const std::string binary = std::string("\x01\x1b[2J\xff", 6) + std::string(5000, 'z');
  for (const std::string& text : {"r a\nr b " + binary + "\n", "r a\na " + binary + "\n" + binary + " " + binary + "\n",
                                  "r1 a\n" + binary + " b\n", "r a\na " + binary + "\n" + binary + " a\n"}) {
    const std::string message = error_of([&] { Hierarchy::parse(text, "bin.txt"); });
    EXPECT_NE(message.find("bin.txt"), std::string::npos) << message.substr(0, 200);
    EXPECT_EQ(message.find('\x01'), std::string::npos) << message.substr(0, 200);
    EXPECT_EQ(message.find('\x1b'), std::string::npos) << message.substr(0, 200);
    EXPECT_EQ(message.find('\xff'), std::string::npos) << message.substr(0, 200);
    EXPECT_LT(message.size(), 800u) << message.substr(0, 200);
  }
}

TEST(HierarchyText, DeepChainIsIndentedInLinearSpace) {
  // 50,000 levels: two spaces per level would be 2.5 GB of indentation.
  std::string text;
  const std::size_t depth = 50000;
  for (std::size_t i = 0; i < depth; ++i)
    text.append("n").append(std::to_string(i)).append(" n").append(std::to_string(i + 1)).append("\n");
  const Hierarchy h = Hierarchy::parse(text, "chain.txt");
  EXPECT_EQ(h.depth(*h.find("n50000")), 50000);
  std::ostringstream out;
  h.write_indented(out, [](std::size_t) { return std::string(); });
  EXPECT_LT(out.str().size(), 200 * (depth + 1));
  EXPECT_NE(out.str().find("[depth 50000] n50000 (height 0)\n"), std::string::npos);
  EXPECT_EQ(out.str().substr(0, 28), "n0 (height 50000)\n  n1 (heig");
}

TEST(HierarchyText, IndentedTreeListsSharedChildrenOnce) {
  const Hierarchy h = Hierarchy::parse("r a\nr b\na c\nb c\nc d\n", "dag.txt");
  std::ostringstream out;
  h.write_indented(out, [&](std::size_t node) { return h.name(node) == "d" ? std::string(" [leaf d]") : std::string(); });
  EXPECT_EQ(out.str(),
            "r (height 3)\n"
            "  a (height 2)\n"
            "    c (height 1)\n"
            "      d [leaf d] (height 0)\n"
            "  b (height 2)\n"
            "    c (height 1) (children listed above)\n");
}

TEST(HierarchyErrors, MissingFileIsNamed) {
  EXPECT_NE(error_of([] { Hierarchy::load("/nonexistent/tree.txt"); }).find("/nonexistent/tree.txt"),
            std::string::npos);
}

}  // namespace
}  // namespace shrewd::semantics
