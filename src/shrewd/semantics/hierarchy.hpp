#pragma once

#include <cstddef>
#include <filesystem>
#include <functional>
#include <iosfwd>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace shrewd::semantics {

// One 'parent child' edge and where it was read (line 0 when built in memory).
struct HierarchyEdge {
  std::string parent;
  std::string child;
  std::size_t line = 0;
};

// A class hierarchy: a rooted tree or DAG of named nodes (Barz & Denzler's parent-child format).
// Validated on construction: exactly one root, no cycles, no self-loops.
// height(leaf) = 0, height(n) = 1 + max height(children); depth(n) = longest path from the root.
class Hierarchy {
 public:
  // Reads a file of 'parent child' lines (whitespace-separated node names; '#' comments and blank
  // lines ignored; repeated edges count once). Errors name the file and line.
  static Hierarchy load(const std::filesystem::path& path);
  static Hierarchy parse(std::string_view text, const std::string& source);
  // `source` names the origin in error messages.
  static Hierarchy from_edges(std::vector<HierarchyEdge> edges, const std::string& source);

  std::size_t size() const { return names_.size(); }
  const std::string& source() const { return source_; }
  std::size_t root() const { return root_; }
  const std::string& name(std::size_t node) const { return names_[node]; }
  std::optional<std::size_t> find(std::string_view name) const;
  std::span<const std::size_t> parents(std::size_t node) const { return parents_[node]; }
  std::span<const std::size_t> children(std::size_t node) const { return children_[node]; }
  bool is_leaf(std::size_t node) const { return children_[node].empty(); }
  int height(std::size_t node) const { return heights_[node]; }
  int depth(std::size_t node) const { return depths_[node]; }
  bool is_tree() const;  // every node but the root has exactly one parent
  const std::vector<HierarchyEdge>& edges() const { return edges_; }

  // The node itself and all nodes above it.
  std::vector<std::size_t> ancestors_and_self(std::size_t node) const;
  // The common ancestor (a node counts as its own ancestor) of greatest depth; ties: smallest
  // height, then first in the node order (order of first appearance in the file).
  std::size_t lowest_common_subsumer(std::size_t a, std::size_t b) const;
  // Nodes ordered for lowest_common_subsumer: greatest depth first, then smallest height, then
  // node order. The deepest common ancestor is the first of this order that both share.
  const std::vector<std::size_t>& subsumer_order() const { return subsumer_order_; }

  // The tree as indented lines, depth-first from the root, children in edge order:
  // "<two spaces per level>name<note(node)> (height h)". Levels beyond 32 are not indented further
  // but marked "[depth d] ", so the text grows linearly with the nodes. A node reached again (a
  // DAG) is listed again without its children: "(children listed above)". Names are escaped.
  void write_indented(std::ostream& out, const std::function<std::string(std::size_t)>& note) const;

  // 'parent child' lines, one per edge, in edge order.
  std::string to_text() const;

 private:
  void validate_and_index();

  std::string source_;
  std::vector<HierarchyEdge> edges_;
  std::vector<std::string> names_;
  std::unordered_map<std::string, std::size_t> index_;
  std::vector<std::vector<std::size_t>> parents_;
  std::vector<std::vector<std::size_t>> children_;
  std::vector<int> heights_;
  std::vector<int> depths_;
  std::vector<std::size_t> subsumer_order_;
  std::size_t root_ = 0;
};

}  // namespace shrewd::semantics
