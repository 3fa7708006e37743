#pragma once

#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace shrewd::semantics {

class Hierarchy;

// One class of a dataset: its node in a hierarchy (a WordNet id like n02084071, a sense name like
// dog.n.01 before resolution, or any node name of a hierarchy file) and a name for people.
struct ClassEntry {
  std::string node;
  std::string display_name;  // may be empty
  std::size_t line = 0;      // where it was read (0 when built in memory)
};

// A classes file: one line per class, 'index node [display name...]', fields separated by tabs or
// spaces (the display name is the rest of the line and may contain spaces). Indices run 0, 1, ...
// in order. Blank lines and '#' comments are ignored.
struct ClassList {
  std::string source;
  std::vector<ClassEntry> classes;

  std::size_t size() const { return classes.size(); }
  // "classes.txt:7" for class i.
  std::string where(std::size_t index) const;
  // The display name, or the node when there is none.
  const std::string& label(std::size_t index) const;

  static ClassList load(const std::filesystem::path& path);
  static ClassList parse(std::string_view text, const std::string& source);
  // The file text (tab-separated), with a leading comment line when `comment` is not empty.
  std::string to_text(const std::string& comment = {}) const;
};

// For each class, its node in the hierarchy. Errors (naming the classes file and line): a class
// whose node is not in the hierarchy (with the closest node names), two classes on the same node.
std::vector<std::size_t> class_nodes(const Hierarchy& hierarchy, const ClassList& classes);

}  // namespace shrewd::semantics
