#pragma once

#include <string>
#include <vector>

#include "shrewd/semantics/class_list.hpp"
#include "shrewd/semantics/hierarchy.hpp"
#include "shrewd/semantics/wordnet.hpp"

namespace shrewd::semantics {

// Suffix of the leaf a class gets when its synset is also an ancestor of another class.
inline constexpr const char* own_leaf_suffix = ".self";

struct WordNetHierarchy {
  Hierarchy hierarchy;
  ClassList classes;  // resolved: node = the class's node in `hierarchy`, display names filled in
};

// The minimal tree over the classes' synsets:
//  - each class names a synset (WordNet id or sense name; a trailing ".self" is ignored);
//  - its path to entity.n.01 is a shortest one through hypernyms and instance hypernyms, chosen
//    greedily from the class upwards: of the hypernyms one step closer to entity.n.01, the one with
//    the lowest offset. The choice depends on the synset only, so the paths merge into a tree;
//  - a class whose synset lies on another class's path (Shirt above T-shirt) gets a leaf of its
//    own, "<id>.self", under its synset, so that every class is a leaf and D(a, a) = 0;
//  - a class without display name gets its synset's first lemma ('_' written as ' ').
// Edges: nodes visited depth-first from the root, children in name order, each node's child
// edges listed together.
// Errors name the classes file and line: unknown names (with suggestions), two classes on one synset.
WordNetHierarchy build_wordnet_hierarchy(const WordNet& wordnet, const ClassList& classes);

// For hierarchies over WordNet ids (Barz & Denzler's ImageNet files, or built by shrewd): every
// node named like a WordNet id ("n02084071", optionally with the own-leaf suffix) must be a noun
// synset of this WordNet. Throws an Error naming the hierarchy file and the line of the node's
// first edge otherwise. Other node names (integers, words) are left alone.
void check_wordnet_nodes(const Hierarchy& hierarchy, const WordNet& wordnet);

}  // namespace shrewd::semantics
