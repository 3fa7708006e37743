#include "shrewd/serve/serve_setup.hpp"

#include "shrewd/common/error.hpp"
#include "shrewd/common/npy.hpp"
#include "shrewd/common/read_file.hpp"
#include "shrewd/index/open_index.hpp"
#include "shrewd/semantics/class_list.hpp"
#include "shrewd/semantics/hierarchy.hpp"
#include "shrewd/semantics/target_distances.hpp"
#include "shrewd/serve/node_names.hpp"

namespace shrewd::serve {

using nlohmann::json;

namespace {

// The hierarchy as nested {"name", "children"}; nodes that are classes also carry "class" (the
// label) and "display" (the class's name for people), other nodes "display" from `node_names`
// where it has one. A DAG node appears under each parent.
json tree_json(const semantics::Hierarchy& hierarchy, std::size_t node, const std::vector<std::ptrdiff_t>& class_of,
               const semantics::ClassList* classes, const std::vector<std::string>& node_names, std::size_t& budget) {
  json out = {{"name", hierarchy.name(node)}};
  if (class_of[node] >= 0) {
    out["class"] = class_of[node];
    if (classes) out["display"] = classes->label(std::size_t(class_of[node]));
  } else if (!node_names[node].empty()) {
    out["display"] = node_names[node];
  }
  json children = json::array();
  for (const std::size_t child : hierarchy.children(node)) {
    if (budget == 0) break;
    --budget;
    children.push_back(tree_json(hierarchy, child, class_of, classes, node_names, budget));
  }
  if (!children.empty()) out["children"] = std::move(children);
  return out;
}

json read_json_file(const std::filesystem::path& path) {
  json parsed = json::parse(read_file(path, "the evaluation report"), nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded() || !parsed.is_object()) fail(path.string(), "is not a JSON object (expected `shrewd eval --json` output)");
  return parsed;
}

}  // namespace

IndexLoader index_file_loader(const std::filesystem::path& path) {
  return [path] {
    // copied into memory: only a reload changes what is served, whatever happens to the file
    std::shared_ptr<const OpenedIndex> opened = open_index(path, {.residence = FileResidence::copied});
    LoadedIndex loaded;
    loaded.index = opened;
    loaded.codes = opened->file().codes();
    loaded.ids = opened->file().ids();
    loaded.deleted = opened->file().deleted_bitmap();
    loaded.owner = opened;
    loaded.source = path.string();
    loaded.kind = opened->method();
    return loaded;
  };
}

void load_catalog_files(const CatalogFiles& files, ItemCatalog& catalog) {
  if (files.images) catalog.images = ImageSet::from_npy(*files.images);
  if (files.labels) catalog.labels = read_npy_labels(*files.labels);
  std::optional<semantics::ClassList> classes;
  if (files.classes) {
    classes = semantics::ClassList::load(*files.classes);
    catalog.class_names.clear();
    for (std::size_t i = 0; i < classes->size(); ++i) catalog.class_names.push_back(classes->label(i));
  }
  if (files.hierarchy) {
    if (!classes) fail("--hierarchy", "needs --classes: the classes file names each label's node in the hierarchy");
    const auto hierarchy = semantics::Hierarchy::load(*files.hierarchy);
    const auto nodes = semantics::class_nodes(hierarchy, *classes);
    const auto distances =
        semantics::hierarchy_distances(hierarchy, nodes, semantics::parse_hierarchy_measure(files.hierarchy_measure));
    const std::size_t count = nodes.size();
    catalog.class_similarity.assign(count, std::vector<double>(count));
    for (std::size_t a = 0; a < count; ++a)
      for (std::size_t b = 0; b < count; ++b) catalog.class_similarity[a][b] = 1.0 - double(distances[a * count + b]);
    std::vector<std::ptrdiff_t> class_of(hierarchy.size(), -1);
    for (std::size_t label = 0; label < count; ++label) class_of[nodes[label]] = std::ptrdiff_t(label);
    const auto node_names = files.wordnet ? wordnet_node_names(hierarchy, *files.wordnet)
                                          : std::vector<std::string>(hierarchy.size());
    std::size_t budget = 5000;  // nodes shown; WordNet-sized trees are cut there
    catalog.hierarchy = tree_json(hierarchy, hierarchy.root(), class_of, &*classes, node_names, budget);
    catalog.hierarchy_source = files.hierarchy->string();
  }
  if (files.evaluation) {
    catalog.evaluation = read_json_file(*files.evaluation);
    catalog.evaluation_source = files.evaluation->string();
  }
  catalog.validate();
}

}  // namespace shrewd::serve
