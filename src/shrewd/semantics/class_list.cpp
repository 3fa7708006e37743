#include "shrewd/semantics/class_list.hpp"

#include <charconv>
#include <fmt/format.h>
#include <unordered_map>

#include "shrewd/common/error.hpp"
#include "shrewd/common/printable.hpp"
#include "shrewd/common/read_file.hpp"
#include "shrewd/semantics/edit_distance.hpp"
#include "shrewd/semantics/hierarchy.hpp"
#include "shrewd/semantics/text_file.hpp"

namespace shrewd::semantics {

std::string ClassList::where(std::size_t index) const {
  const std::size_t line = classes.at(index).line;
  return line == 0 ? fmt::format("{} (class {})", source, index) : fmt::format("{}:{}", source, line);
}

const std::string& ClassList::label(std::size_t index) const {
  const ClassEntry& entry = classes.at(index);
  return entry.display_name.empty() ? entry.node : entry.display_name;
}

ClassList ClassList::load(const std::filesystem::path& path) {
  return parse(read_file(path, "the classes file"), path.string());
}

ClassList ClassList::parse(std::string_view text, const std::string& source) {
  ClassList list;
  list.source = source;
  for_each_content_line(text, [&](std::size_t number, std::string_view line) {
    const std::string where = fmt::format("{}:{}", source, number);
    line = trim(line);
    const auto fields = split_whitespace(line);
    if (fields.size() < 2) fail(where, "expected 'index node [display name]', found " + printable(line, 80));
    std::size_t index = 0;
    const auto [end, error] = std::from_chars(fields[0].data(), fields[0].data() + fields[0].size(), index);
    if (error != std::errc() || end != fields[0].data() + fields[0].size())
      fail(where, fmt::format("class index {} is not a non-negative integer", quoted_name(fields[0])));
    if (index != list.classes.size())
      fail(where, fmt::format("expected class index {}, found {} (indices run 0, 1, 2, ... in order)",
                              list.classes.size(), index));
    const std::size_t name_start = static_cast<std::size_t>(fields[1].data() + fields[1].size() - line.data());
    list.classes.push_back({std::string(fields[1]), std::string(trim(line.substr(name_start))), number});
  });
  if (list.classes.empty()) fail(source, "no classes");
  return list;
}

std::string ClassList::to_text(const std::string& comment) const {
  std::string text;
  if (!comment.empty()) text += fmt::format("# {}\n", comment);
  for (std::size_t i = 0; i < classes.size(); ++i) {
    text += fmt::format("{}\t{}", i, classes[i].node);
    if (!classes[i].display_name.empty()) text += "\t" + classes[i].display_name;
    text += "\n";
  }
  return text;
}

std::vector<std::size_t> class_nodes(const Hierarchy& hierarchy, const ClassList& classes) {
  std::vector<std::size_t> nodes;
  std::unordered_map<std::size_t, std::size_t> class_of_node;
  for (std::size_t c = 0; c < classes.size(); ++c) {
    const std::string& name = classes.classes[c].node;
    const auto node = hierarchy.find(name);
    if (!node) {
      std::vector<std::string_view> names;
      for (std::size_t n = 0; n < hierarchy.size(); ++n) names.push_back(hierarchy.name(n));
      std::string message = fmt::format("class {} ({}) names node {}, which is not in the hierarchy {}",
                                        c, printable_name(classes.label(c)), quoted_name(name), hierarchy.source());
      const auto closest = closest_names(name, names, 3);
      if (!closest.empty()) {
        message += "; closest nodes:";
        for (std::size_t i = 0; i < closest.size(); ++i) message += (i ? ", " : " ") + printable_name(closest[i]);
      }
      fail(classes.where(c), message);
    }
    const auto [it, inserted] = class_of_node.emplace(*node, c);
    if (!inserted)
      fail(classes.where(c), fmt::format("class {} ({}) names node {}, already the node of class {} ({})", c,
                                         printable_name(classes.label(c)), quoted_name(name), it->second,
                                         printable_name(classes.label(it->second))));
    nodes.push_back(*node);
  }
  return nodes;
}

}  // namespace shrewd::semantics
