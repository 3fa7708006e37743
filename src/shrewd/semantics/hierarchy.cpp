#include "shrewd/semantics/hierarchy.hpp"

#include <algorithm>
#include <fmt/format.h>
#include <ostream>
#include <set>

#include "shrewd/common/error.hpp"
#include "shrewd/common/printable.hpp"
#include "shrewd/common/read_file.hpp"
#include "shrewd/semantics/text_file.hpp"

namespace shrewd::semantics {

namespace {

std::string at_line(const std::string& source, std::size_t line) {
  return line == 0 ? source : fmt::format("{}:{}", source, line);
}

}  // namespace

Hierarchy Hierarchy::load(const std::filesystem::path& path) {
  return parse(read_file(path, "the hierarchy file"), path.string());
}

Hierarchy Hierarchy::parse(std::string_view text, const std::string& source) {
  std::vector<HierarchyEdge> edges;
  for_each_content_line(text, [&](std::size_t number, std::string_view line) {
    const auto fields = split_whitespace(line);
    if (fields.size() != 2)
      fail(at_line(source, number), fmt::format("expected 'parent child' (two node names), found {} field(s): {}",
                                                fields.size(), printable(trim(line), 80)));
    edges.push_back({std::string(fields[0]), std::string(fields[1]), number});
  });
  return from_edges(std::move(edges), source);
}

Hierarchy Hierarchy::from_edges(std::vector<HierarchyEdge> edges, const std::string& source) {
  Hierarchy hierarchy;
  hierarchy.source_ = source;
  hierarchy.edges_ = std::move(edges);
  hierarchy.validate_and_index();
  return hierarchy;
}

void Hierarchy::validate_and_index() {
  if (edges_.empty()) fail(source_, "no edges: a hierarchy needs at least one 'parent child' line");
  auto node_of = [&](const std::string& name) {
    const auto [it, inserted] = index_.emplace(name, names_.size());
    if (inserted) {
      names_.push_back(name);
      parents_.emplace_back();
      children_.emplace_back();
    }
    return it->second;
  };
  std::set<std::pair<std::size_t, std::size_t>> seen;
  std::vector<HierarchyEdge> unique_edges;
  std::vector<std::size_t> first_line(0);
  for (auto& edge : edges_) {
    if (edge.parent == edge.child)
      fail(at_line(source_, edge.line), fmt::format("node {} is its own parent", quoted_name(edge.parent)));
    const std::size_t parent = node_of(edge.parent);
    const std::size_t child = node_of(edge.child);
    first_line.resize(names_.size(), edge.line);
    if (!seen.emplace(parent, child).second) continue;
    parents_[child].push_back(parent);
    children_[parent].push_back(child);
    unique_edges.push_back(std::move(edge));
  }
  edges_ = std::move(unique_edges);

  std::vector<std::size_t> roots;
  for (std::size_t n = 0; n < names_.size(); ++n)
    if (parents_[n].empty()) roots.push_back(n);
  if (roots.size() > 1) {
    std::string list;
    for (std::size_t i = 0; i < roots.size() && i < 5; ++i)
      list += fmt::format("{}{} (line {})", i ? ", " : "", printable_name(names_[roots[i]]), first_line[roots[i]]);
    if (roots.size() > 5) list += ", ...";
    fail(source_, fmt::format("{} roots (nodes without a parent): {}; a hierarchy needs exactly one",
                              roots.size(), list));
  }

  // Kahn's algorithm from the root; nodes never freed lie on or below a cycle.
  std::vector<std::size_t> waiting(names_.size());
  for (std::size_t n = 0; n < names_.size(); ++n) waiting[n] = parents_[n].size();
  std::vector<std::size_t> order;
  order.reserve(names_.size());
  if (!roots.empty()) order.push_back(roots.front());
  for (std::size_t i = 0; i < order.size(); ++i)
    for (const std::size_t child : children_[order[i]])
      if (--waiting[child] == 0) order.push_back(child);
  if (order.size() != names_.size()) {
    // Walk up through unfinished parents until a node repeats: that stretch is a cycle.
    std::size_t node = 0;
    while (waiting[node] == 0) ++node;
    std::vector<std::size_t> path;
    std::vector<int> position(names_.size(), -1);
    while (position[node] < 0) {
      position[node] = static_cast<int>(path.size());
      path.push_back(node);
      for (const std::size_t parent : parents_[node])
        if (waiting[parent] > 0) {
          node = parent;
          break;
        }
    }
    // The cycle, parent before child: path[p] is the parent of path.back(), which is the parent of
    // path[size-2], ..., down to path[p+1], the parent of path[p].
    const std::size_t p = static_cast<std::size_t>(position[node]);
    std::vector<std::size_t> cycle{path[p]};
    for (std::size_t i = path.size(); i-- > p;) cycle.push_back(path[i]);
    // Name the first few nodes and their edges' lines only: a cycle may have any length.
    constexpr std::size_t kShown = 10;
    const std::size_t length = cycle.size() - 1;
    const std::size_t shown = std::min(length, kShown);
    std::string chain = printable_name(names_[cycle.front()]);
    std::set<std::pair<std::size_t, std::size_t>> shown_edges;
    for (std::size_t i = 1; i <= shown; ++i) {
      chain += " -> " + printable_name(names_[cycle[i]]);
      shown_edges.emplace(cycle[i - 1], cycle[i]);
    }
    if (shown < length)
      chain += fmt::format(" -> ... ({} more) -> {}", length - shown, printable_name(names_[cycle.front()]));
    std::vector<std::size_t> edge_lines(shown, 0);
    for (const auto& edge : edges_) {
      const auto pair = std::make_pair(index_.at(edge.parent), index_.at(edge.child));
      if (!shown_edges.count(pair)) continue;
      for (std::size_t i = 1; i <= shown; ++i)
        if (cycle[i - 1] == pair.first && cycle[i] == pair.second && edge_lines[i - 1] == 0)
          edge_lines[i - 1] = edge.line;
    }
    fail(source_, fmt::format("{}cycle of {} nodes: {} (parent -> child, lines {}{})",
                              roots.empty() ? "no root (every node has a parent); " : "", length, chain,
                              fmt::join(edge_lines, ", "), shown < length ? ", ..." : ""));
  }
  root_ = roots.front();

  depths_.assign(names_.size(), 0);
  for (const std::size_t node : order)
    for (const std::size_t child : children_[node]) depths_[child] = std::max(depths_[child], depths_[node] + 1);
  heights_.assign(names_.size(), 0);
  for (auto it = order.rbegin(); it != order.rend(); ++it)
    for (const std::size_t child : children_[*it]) heights_[*it] = std::max(heights_[*it], heights_[child] + 1);

  subsumer_order_.resize(names_.size());
  for (std::size_t n = 0; n < names_.size(); ++n) subsumer_order_[n] = n;
  std::sort(subsumer_order_.begin(), subsumer_order_.end(), [&](std::size_t a, std::size_t b) {
    if (depths_[a] != depths_[b]) return depths_[a] > depths_[b];
    if (heights_[a] != heights_[b]) return heights_[a] < heights_[b];
    return a < b;
  });
}

std::optional<std::size_t> Hierarchy::find(std::string_view name) const {
  const auto it = index_.find(std::string(name));
  if (it == index_.end()) return std::nullopt;
  return it->second;
}

bool Hierarchy::is_tree() const {
  return std::all_of(parents_.begin(), parents_.end(), [](const auto& p) { return p.size() <= 1; });
}

std::vector<std::size_t> Hierarchy::ancestors_and_self(std::size_t node) const {
  std::vector<bool> seen(names_.size(), false);
  std::vector<std::size_t> found{node};
  seen[node] = true;
  for (std::size_t i = 0; i < found.size(); ++i)
    for (const std::size_t parent : parents_[found[i]])
      if (!seen[parent]) {
        seen[parent] = true;
        found.push_back(parent);
      }
  return found;
}

std::size_t Hierarchy::lowest_common_subsumer(std::size_t a, std::size_t b) const {
  std::vector<bool> above_a(names_.size(), false);
  for (const std::size_t n : ancestors_and_self(a)) above_a[n] = true;
  std::vector<bool> shared(names_.size(), false);
  for (const std::size_t n : ancestors_and_self(b))
    if (above_a[n]) shared[n] = true;
  for (const std::size_t n : subsumer_order_)
    if (shared[n]) return n;
  return root_;  // unreachable: the root is above every node
}

void Hierarchy::write_indented(std::ostream& out, const std::function<std::string(std::size_t)>& note) const {
  constexpr int kMaxIndent = 32;
  std::vector<bool> shown(names_.size(), false);
  std::vector<std::pair<std::size_t, int>> stack{{root_, 0}};
  std::string line;
  while (!stack.empty()) {
    const auto [node, level] = stack.back();
    stack.pop_back();
    line.assign(static_cast<std::size_t>(std::min(level, kMaxIndent)) * 2, ' ');
    if (level > kMaxIndent) line += fmt::format("[depth {}] ", level);
    line += printable_name(names_[node], 200);
    line += note(node);
    line += fmt::format(" (height {})", heights_[node]);
    if (shown[node] && !is_leaf(node)) {
      out << line << " (children listed above)\n";
      continue;
    }
    shown[node] = true;
    out << line << '\n';
    const auto& children = children_[node];
    for (auto it = children.rbegin(); it != children.rend(); ++it) stack.emplace_back(*it, level + 1);
  }
}

std::string Hierarchy::to_text() const {
  std::string text;
  for (const auto& edge : edges_) text += fmt::format("{} {}\n", edge.parent, edge.child);
  return text;
}

}  // namespace shrewd::semantics
