#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "shrewd/semantics/class_list.hpp"

namespace shrewd::semantics {

// How a dataset's own class names (image folder names, a CIFAR meta file's label names, ...) are
// paired with the classes of a classes file: by name, never by position (docs/training.md).
struct ClassMatchOptions {
  // Names the pairing may leave out: a class of the data named here is dropped (its items go), a
  // class of the classes file named here may have no data. Each name must name one or the other.
  std::vector<std::string> drop;
  // Where the messages point a user who wants to drop a class ("config data.drop_classes").
  std::string drop_option = "data.drop_classes";
  // WordNet 3.0 (data.noun, index.noun), read only when a name is a sense name such as dog.n.01
  // that matches nothing as it is written.
  std::filesystem::path wordnet = "/usr/share/wordnet";
};

// For each class of the data, in the data's order: its index in the classes file, or -1 when it
// is dropped.
struct ClassMatch {
  std::vector<std::int64_t> class_of;
};

// A class of the data matches the class of the file whose node is that name (a WordNet id
// n01440764 also matches 01440764 and a node n01440764.self; a sense name dog.n.01 matches the
// node of its synset), or else the one class whose display name it is (case, and '_' against ' ',
// do not matter). Errors name the data (`data_source`) and the classes file: a class of the data
// that matches no class or two, two classes of the data on one class, a class without data, and a
// name in `drop` that names nothing.
ClassMatch match_classes(const std::vector<std::string>& data_names, const std::string& data_source,
                         const ClassList& classes, const ClassMatchOptions& options = {});

}  // namespace shrewd::semantics
