// shrewd.Hierarchy, shrewd.ClassList, shrewd.wordnet_hierarchy, shrewd.class_similarity: the
// class hierarchies of `shrewd hierarchy build|similarity` and their matrices as numpy arrays.
#include <filesystem>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include <fmt/format.h>
#include <pybind11/stl.h>
#include <pybind11/stl/filesystem.h>

#include "arrays.hpp"
#include "bindings.hpp"
#include "shrewd/common/atomic_file.hpp"
#include "shrewd/common/error.hpp"
#include "shrewd/semantics/class_list.hpp"
#include "shrewd/semantics/hierarchy.hpp"
#include "shrewd/semantics/target_distances.hpp"
#include "shrewd/semantics/wordnet.hpp"
#include "shrewd/semantics/wordnet_hierarchy.hpp"

namespace shrewd::python {

namespace {

using semantics::ClassEntry;
using semantics::ClassList;
using semantics::Hierarchy;
using semantics::HierarchyEdge;

std::size_t node_of(const Hierarchy& hierarchy, const std::string& name) {
  const auto node = hierarchy.find(name);
  if (!node) throw py::key_error(fmt::format("{}: no node named '{}'", hierarchy.source(), name));
  return *node;
}

ClassList class_list_of(const std::vector<std::string>& nodes, const std::vector<std::string>& names) {
  if (!names.empty() && names.size() != nodes.size())
    fail("names", fmt::format("{} names given for {} classes", names.size(), nodes.size()));
  ClassList list;
  list.source = "classes";
  for (std::size_t c = 0; c < nodes.size(); ++c) list.classes.push_back({nodes[c], names.empty() ? "" : names[c], 0});
  if (list.classes.empty()) fail("classes", "no classes");
  return list;
}

py::array_t<float> square(std::vector<float> values, std::size_t n) {
  return move_to_numpy(std::move(values), {py::ssize_t(n), py::ssize_t(n)});
}

std::vector<float> class_distances(const Hierarchy& hierarchy, const ClassList& classes, const std::string& measure) {
  const auto parsed = semantics::parse_hierarchy_measure(measure);
  const auto nodes = semantics::class_nodes(hierarchy, classes);
  py::gil_scoped_release release;
  return semantics::hierarchy_distances(hierarchy, nodes, parsed);
}

}  // namespace

void bind_hierarchy(py::module_& m) {
  py::class_<Hierarchy>(m, "Hierarchy",
                        "A class hierarchy: a rooted tree or DAG of named nodes ('parent child' lines), as read by "
                        "`shrewd hierarchy show` and `shrewd eval --hierarchy`.")
      .def_static("load", &Hierarchy::load, py::arg("path"), "Reads a file of 'parent child' lines.")
      .def_static("parse", &Hierarchy::parse, py::arg("text"), py::arg("source") = "hierarchy",
                  "Reads 'parent child' lines from a string; `source` names it in errors.")
      .def_static(
          "from_edges",
          [](const std::vector<std::pair<std::string, std::string>>& edges, const std::string& source) {
            std::vector<HierarchyEdge> list;
            for (const auto& [parent, child] : edges) list.push_back({parent, child, 0});
            return Hierarchy::from_edges(std::move(list), source);
          },
          py::arg("edges"), py::arg("source") = "hierarchy", "A hierarchy from (parent, child) pairs.")
      .def("__len__", &Hierarchy::size)
      .def_property_readonly("source", &Hierarchy::source)
      .def_property_readonly("root", [](const Hierarchy& h) { return h.name(h.root()); })
      .def_property_readonly("nodes",
                             [](const Hierarchy& h) {
                               std::vector<std::string> names;
                               for (std::size_t n = 0; n < h.size(); ++n) names.push_back(h.name(n));
                               return names;
                             })
      .def_property_readonly("edges",
                             [](const Hierarchy& h) {
                               std::vector<std::pair<std::string, std::string>> edges;
                               for (const auto& e : h.edges()) edges.emplace_back(e.parent, e.child);
                               return edges;
                             })
      .def("is_tree", &Hierarchy::is_tree)
      .def("__contains__", [](const Hierarchy& h, const std::string& name) { return h.find(name).has_value(); })
      .def("height", [](const Hierarchy& h, const std::string& name) { return h.height(node_of(h, name)); },
           py::arg("node"), "0 for a leaf, else 1 + the largest height of its children.")
      .def("depth", [](const Hierarchy& h, const std::string& name) { return h.depth(node_of(h, name)); },
           py::arg("node"), "The longest path from the root.")
      .def("parents",
           [](const Hierarchy& h, const std::string& name) {
             std::vector<std::string> names;
             for (std::size_t p : h.parents(node_of(h, name))) names.push_back(h.name(p));
             return names;
           },
           py::arg("node"))
      .def("children",
           [](const Hierarchy& h, const std::string& name) {
             std::vector<std::string> names;
             for (std::size_t c : h.children(node_of(h, name))) names.push_back(h.name(c));
             return names;
           },
           py::arg("node"))
      .def("to_text", &Hierarchy::to_text, "'parent child' lines, one per edge.")
      .def("write", [](const Hierarchy& h, const std::filesystem::path& path) { write_text_file(path, h.to_text()); },
           py::arg("path"), "Writes the 'parent child' file, atomically.")
      .def("__repr__", [](const Hierarchy& h) {
        return fmt::format("<shrewd.Hierarchy {}: {} nodes, {} edges, root {}, height {}>", h.source(), h.size(),
                           h.edges().size(), h.name(h.root()), h.height(h.root()));
      });

  py::class_<ClassList>(m, "ClassList",
                        "The classes of a dataset: label i -> node i of a hierarchy (a WordNet id, a sense name like "
                        "dog.n.01 or any node name) and a display name.")
      .def(py::init(&class_list_of), py::arg("nodes"), py::arg("names") = std::vector<std::string>{},
           "Classes 0, 1, ... on these nodes, with optional display names.")
      .def_static("load", &ClassList::load, py::arg("path"), "Reads a classes file: 'index node [display name]'.")
      .def_static("parse", &ClassList::parse, py::arg("text"), py::arg("source") = "classes")
      .def("__len__", &ClassList::size)
      .def_readonly("source", &ClassList::source)
      .def_property_readonly("nodes",
                             [](const ClassList& l) {
                               std::vector<std::string> nodes;
                               for (const auto& c : l.classes) nodes.push_back(c.node);
                               return nodes;
                             })
      .def_property_readonly("names",
                             [](const ClassList& l) {
                               std::vector<std::string> names;
                               for (std::size_t c = 0; c < l.size(); ++c) names.push_back(l.label(c));
                               return names;
                             },
                             "Display names (the node where a class has none).")
      .def("to_text", &ClassList::to_text, py::arg("comment") = "")
      .def("write",
           [](const ClassList& l, const std::filesystem::path& path, const std::string& comment) {
             write_text_file(path, l.to_text(comment));
           },
           py::arg("path"), py::arg("comment") = "", "Writes the classes file, atomically.")
      .def("__repr__", [](const ClassList& l) { return fmt::format("<shrewd.ClassList {}: {} classes>", l.source, l.size()); });

  m.def(
      "wordnet_hierarchy",
      [](const ClassList& classes, const std::filesystem::path& wordnet) {
        semantics::WordNetHierarchy built = [&] {
          py::gil_scoped_release release;
          return semantics::build_wordnet_hierarchy(semantics::WordNet::load(wordnet), classes);
        }();
        return std::make_tuple(std::move(built.hierarchy), std::move(built.classes));
      },
      py::arg("classes"), py::arg("wordnet") = std::filesystem::path("/usr/share/wordnet"),
      "The minimal WordNet tree over the classes' synsets, as `shrewd hierarchy build`: (Hierarchy, the resolved "
      "ClassList whose nodes are the hierarchy's).");

  m.def(
      "class_distances",
      [](const Hierarchy& hierarchy, const ClassList& classes, const std::string& measure) {
        return square(class_distances(hierarchy, classes, measure), classes.size());
      },
      py::arg("hierarchy"), py::arg("classes"), py::arg("measure") = "lcs-height",
      "C x C target distances D in [0, 1] between the classes (float32): lcs-height or wu-palmer.");
  m.def(
      "class_similarity",
      [](const Hierarchy& hierarchy, const ClassList& classes, const std::string& measure) {
        return square(semantics::similarities_from_distances(class_distances(hierarchy, classes, measure)),
                      classes.size());
      },
      py::arg("hierarchy"), py::arg("classes"), py::arg("measure") = "lcs-height",
      "C x C class similarities s = 1 - D (float32), as `shrewd hierarchy similarity` writes them.");
}

}  // namespace shrewd::python
