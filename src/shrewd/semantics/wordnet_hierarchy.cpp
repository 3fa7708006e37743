#include "shrewd/semantics/wordnet_hierarchy.hpp"

#include <algorithm>
#include <fmt/format.h>
#include <limits>
#include <map>
#include <set>
#include <unordered_map>
#include <vector>

#include "shrewd/common/error.hpp"
#include "shrewd/common/printable.hpp"

namespace shrewd::semantics {

namespace {

constexpr int unreachable = std::numeric_limits<int>::max() / 2;

// Fewest hypernym steps from each synset up to entity.n.01, memoised over the synsets visited.
class StepsToEntity {
 public:
  explicit StepsToEntity(const WordNet& wordnet) : wordnet_(wordnet) {}

  // An explicit stack instead of recursion: a damaged database may chain any number of synsets.
  int operator()(std::uint32_t offset) {
    if (offset == WordNet::entity_offset) return 0;
    if (const auto it = steps_.find(offset); it != steps_.end()) return it->second;
    struct Frame {
      std::uint32_t offset;
      int best;
      std::size_t next;  // the next pointer to follow: hypernyms first, then instance hypernyms
    };
    std::vector<Frame> stack{{offset, unreachable, 0}};
    steps_[offset] = unreachable;  // guards against cycles in a damaged database
    int result = unreachable;
    while (!stack.empty()) {
      Frame& frame = stack.back();
      const Synset& synset = wordnet_.synset(frame.offset);
      const std::size_t hypernyms = synset.hypernyms.size();
      if (frame.next == hypernyms + synset.instance_hypernyms.size()) {
        result = frame.best;
        steps_[frame.offset] = result;
        stack.pop_back();
        if (!stack.empty()) stack.back().best = std::min(stack.back().best, result + 1);
        continue;
      }
      const std::uint32_t parent =
          frame.next < hypernyms ? synset.hypernyms[frame.next] : synset.instance_hypernyms[frame.next - hypernyms];
      ++frame.next;
      if (parent == WordNet::entity_offset) {
        frame.best = std::min(frame.best, 1);
      } else if (const auto it = steps_.find(parent); it != steps_.end()) {
        frame.best = std::min(frame.best, it->second + 1);
      } else {
        steps_[parent] = unreachable;
        stack.push_back({parent, unreachable, 0});  // `frame` is not used past this point
      }
    }
    return result;
  }

  // The hypernym one step closer to entity.n.01 with the lowest offset.
  std::uint32_t next_up(std::uint32_t offset) {
    const int here = (*this)(offset);
    std::uint32_t chosen = 0;
    bool found = false;
    const Synset& synset = wordnet_.synset(offset);
    for (const auto list : {synset.hypernyms, synset.instance_hypernyms})
      for (const std::uint32_t parent : list)
        if ((*this)(parent) == here - 1 && (!found || parent < chosen)) {
          chosen = parent;
          found = true;
        }
    return chosen;
  }

 private:
  const WordNet& wordnet_;
  std::unordered_map<std::uint32_t, int> steps_;
};

std::string display_name_of(const Synset& synset) {
  std::string name(synset.lemmas.front());
  std::replace(name.begin(), name.end(), '_', ' ');
  return name;
}

}  // namespace

WordNetHierarchy build_wordnet_hierarchy(const WordNet& wordnet, const ClassList& classes) {
  std::vector<std::uint32_t> class_synsets;
  std::map<std::uint32_t, std::size_t> class_of_synset;
  for (std::size_t c = 0; c < classes.size(); ++c) {
    std::string name = classes.classes[c].node;
    const std::string suffix = own_leaf_suffix;
    if (name.size() > suffix.size() && name.ends_with(suffix)) name.resize(name.size() - suffix.size());
    const Synset* synset = nullptr;
    try {
      synset = &wordnet.resolve(name);
    } catch (const Error& error) {
      fail(classes.where(c),
           fmt::format("class {} ({}): {}", c, printable_name(classes.label(c)), error.what()));
    }
    const auto [it, inserted] = class_of_synset.emplace(synset->offset, c);
    if (!inserted)
      fail(classes.where(c), fmt::format("class {} ({}) names synset {}, already the synset of class {} ({})", c,
                                         printable_name(classes.label(c)), WordNet::id(synset->offset), it->second,
                                         printable_name(classes.label(it->second))));
    class_synsets.push_back(synset->offset);
  }

  StepsToEntity steps(wordnet);
  std::map<std::uint32_t, std::set<std::string>> children;  // synset -> child node names
  for (std::size_t c = 0; c < classes.size(); ++c) {
    std::uint32_t node = class_synsets[c];
    if (steps(node) >= unreachable)
      fail(classes.where(c), fmt::format("synset {} has no hypernym path to entity.n.01", WordNet::id(node)));
    while (node != WordNet::entity_offset) {
      const std::uint32_t parent = steps.next_up(node);
      children[parent].insert(WordNet::id(node));
      node = parent;
    }
  }

  WordNetHierarchy result;
  result.classes.source = classes.source;
  for (std::size_t c = 0; c < classes.size(); ++c) {
    const std::uint32_t synset = class_synsets[c];
    ClassEntry entry = classes.classes[c];
    entry.node = WordNet::id(synset);
    if (children.count(synset)) {  // an ancestor of another class: a leaf of its own below
      entry.node += own_leaf_suffix;
      children[synset].insert(entry.node);
    }
    if (entry.display_name.empty()) entry.display_name = display_name_of(wordnet.synset(synset));
    result.classes.classes.push_back(std::move(entry));
  }

  // Depth-first from entity, children in name order: a stable, readable edge order.
  std::vector<HierarchyEdge> edges;
  std::vector<std::string> stack{WordNet::id(WordNet::entity_offset)};
  while (!stack.empty()) {
    const std::string parent = stack.back();
    stack.pop_back();
    std::uint32_t offset = 0;
    if (!WordNet::parse_id(parent, offset)) continue;  // an own leaf
    const auto it = children.find(offset);
    if (it == children.end()) continue;
    for (const std::string& child : it->second) edges.push_back({parent, child, 0});
    for (auto child = it->second.rbegin(); child != it->second.rend(); ++child) stack.push_back(*child);
  }
  if (edges.empty()) {
    // A single class that is entity.n.01 itself: the hierarchy is that class's own leaf.
    edges.push_back({WordNet::id(WordNet::entity_offset), WordNet::id(WordNet::entity_offset) + own_leaf_suffix, 0});
    result.classes.classes.front().node = edges.front().child;
  }
  result.hierarchy = Hierarchy::from_edges(std::move(edges), "hierarchy built from WordNet for " + classes.source);
  return result;
}

void check_wordnet_nodes(const Hierarchy& hierarchy, const WordNet& wordnet) {
  const std::string suffix = own_leaf_suffix;
  for (const HierarchyEdge& edge : hierarchy.edges())
    for (std::string name : {edge.parent, edge.child}) {
      if (name.size() > suffix.size() && name.ends_with(suffix)) name.resize(name.size() - suffix.size());
      std::uint32_t offset = 0;
      if (WordNet::parse_id(name, offset) && !wordnet.find(offset))
        fail(edge.line == 0 ? hierarchy.source() : fmt::format("{}:{}", hierarchy.source(), edge.line),
             fmt::format("node {} is not a noun synset of WordNet ({})",
                         printable_name(name), wordnet.directory().string()));
    }
}

}  // namespace shrewd::semantics
