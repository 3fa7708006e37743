#include "shrewd/semantics/class_list.hpp"

#include <gtest/gtest.h>

#include <functional>

#include "shrewd/semantics/hierarchy.hpp"
#include "test_helpers.hpp"

namespace shrewd::semantics {
namespace {

using testing::error_of;

TEST(ClassList, ParsesIndexNodeAndDisplayNameWithSpaces) {
  const ClassList list = ClassList::parse("# comment\n0\tn1\tT-shirt/top\n1 n2 Ankle boot\n2\tn3\n", "classes.txt");
  ASSERT_EQ(list.size(), 3u);
  EXPECT_EQ(list.classes[0].node, "n1");
  EXPECT_EQ(list.classes[0].display_name, "T-shirt/top");
  EXPECT_EQ(list.classes[1].display_name, "Ankle boot");
  EXPECT_EQ(list.label(2), "n3");  // no display name: the node
  EXPECT_EQ(list.where(1), "classes.txt:3");
  EXPECT_EQ(ClassList::parse(list.to_text(), "again").to_text(), list.to_text());
}

TEST(ClassList, IndicesMustRunInOrder) {
  const std::string message = error_of([] { ClassList::parse("0 a\n2 b\n", "classes.txt"); });
  EXPECT_NE(message.find("classes.txt:2: expected class index 1, found 2"), std::string::npos) << message;
  EXPECT_NE(error_of([] { ClassList::parse("x a\n", "c.txt"); }).find("c.txt:1"), std::string::npos);
  EXPECT_NE(error_of([] { ClassList::parse("0\n", "c.txt"); }).find("c.txt:1"), std::string::npos);
  EXPECT_NE(error_of([] { ClassList::parse("\n# only comments\n", "c.txt"); }).find("no classes"), std::string::npos);
}

TEST(ClassNodes, MapsClassesToTheirHierarchyNodes) {
  const Hierarchy h = Hierarchy::parse("root A\nA a1\nA a2\n", "tree.txt");
  const auto nodes = class_nodes(h, ClassList::parse("0 a2\n1 a1\n", "classes.txt"));
  ASSERT_EQ(nodes.size(), 2u);
  EXPECT_EQ(h.name(nodes[0]), "a2");
  EXPECT_EQ(h.name(nodes[1]), "a1");
}

TEST(ClassNodes, ClassNotInTheHierarchyIsAnErrorWithSuggestions) {
  const Hierarchy h = Hierarchy::parse("root A\nA apple\nA maple\n", "tree.txt");
  const std::string message = error_of([&] { class_nodes(h, ClassList::parse("0 apple\n1 appel Apple\n", "c.txt")); });
  EXPECT_NE(message.find("c.txt:2: class 1 (Apple) names node 'appel', which is not in the hierarchy tree.txt"),
            std::string::npos)
      << message;
  EXPECT_NE(message.find("closest nodes: apple"), std::string::npos) << message;
}

TEST(ClassNodes, TwoClassesOnOneNodeIsAnError) {
  const Hierarchy h = Hierarchy::parse("root a\nroot b\n", "tree.txt");
  const std::string message = error_of([&] { class_nodes(h, ClassList::parse("0 a\n1 b\n2 a\n", "c.txt")); });
  EXPECT_NE(message.find("c.txt:3"), std::string::npos) << message;
  EXPECT_NE(message.find("already the node of class 0"), std::string::npos) << message;
}

TEST(ClassList, BinaryBytesInMessagesAreEscapedAndCut) {
  const std::string binary = std::string("\x01\x1b[2J\xff", 6) + std::string(5000, 'z');
  const Hierarchy tree = Hierarchy::parse("root apple\nroot pear\n", "tree.txt");
  const std::vector<std::function<void()>> cases = {
      [&] { ClassList::parse(binary + "\n", "c.txt"); },
      [&] { ClassList::parse(binary + " apple\n", "c.txt"); },
      [&] { class_nodes(tree, ClassList::parse("0 apple\n1 " + binary + " " + binary + "\n", "c.txt")); },
      [&] { class_nodes(tree, ClassList::parse("0 apple " + binary + "\n1 apple " + binary + "\n", "c.txt")); },
  };
  for (const auto& action : cases) {
    const std::string message = error_of(action);
    EXPECT_NE(message.find("c.txt:"), std::string::npos) << message.substr(0, 200);
    EXPECT_EQ(message.find('\x01'), std::string::npos) << message.substr(0, 200);
    EXPECT_EQ(message.find('\xff'), std::string::npos) << message.substr(0, 200);
    EXPECT_LT(message.size(), 600u) << message.substr(0, 200);
  }
  // UTF-8 display names are shown as they are.
  const std::string message = error_of([&] { class_nodes(tree, ClassList::parse("0 appel Äpfel\n", "c.txt")); });
  EXPECT_NE(message.find("class 0 (Äpfel) names node 'appel'"), std::string::npos) << message;
}

}  // namespace
}  // namespace shrewd::semantics
