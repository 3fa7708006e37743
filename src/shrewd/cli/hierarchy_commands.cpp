// `shrewd hierarchy build|show|similarity|lookup`: class hierarchies from WordNet and the class
// similarity matrices derived from them.
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fmt/format.h>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "shrewd/cli/commands.hpp"
#include "shrewd/common/atomic_file.hpp"
#include "shrewd/common/npy.hpp"
#include "shrewd/common/seconds_since.hpp"
#include "shrewd/semantics/class_list.hpp"
#include "shrewd/semantics/hierarchy.hpp"
#include "shrewd/semantics/target_distances.hpp"
#include "shrewd/semantics/wordnet.hpp"
#include "shrewd/semantics/wordnet_hierarchy.hpp"

namespace shrewd::cli {

namespace {

using namespace shrewd::semantics;

const std::string default_wordnet = "/usr/share/wordnet";

struct BuildOptions {
  std::string wordnet = default_wordnet;
  std::string classes;
  std::string out;
  std::string classes_out;
};

void run_build(const BuildOptions& options) {
  const WordNet wordnet = WordNet::load(options.wordnet);
  const ClassList classes = ClassList::load(options.classes);
  const WordNetHierarchy built = build_wordnet_hierarchy(wordnet, classes);
  write_text_file(options.out, built.hierarchy.to_text());
  if (!options.classes_out.empty())
    write_text_file(options.classes_out,
                    built.classes.to_text(fmt::format("index <TAB> node in {} <TAB> display name; written by shrewd "
                                                      "hierarchy build from {}",
                                                      std::filesystem::path(options.out).filename().string(),
                                                      std::filesystem::path(options.classes).filename().string())));
  std::size_t own_leaves = 0;
  for (const auto& entry : built.classes.classes) own_leaves += entry.node.ends_with(own_leaf_suffix);
  const auto& h = built.hierarchy;
  std::cout << options.out << ": " << classes.size() << " classes, " << h.size() << " nodes, " << h.edges().size()
            << " edges, height " << h.height(h.root()) << ", " << own_leaves << " class(es) with a leaf of their own\n";
  if (!options.classes_out.empty()) std::cout << options.classes_out << ": resolved classes\n";
}

struct ShowOptions {
  std::string hierarchy;
  std::string classes;
  std::string wordnet;
};

void run_show(const ShowOptions& options) {
  const Hierarchy hierarchy = Hierarchy::load(options.hierarchy);
  std::vector<std::string> class_label(hierarchy.size());
  if (!options.classes.empty()) {
    const ClassList classes = ClassList::load(options.classes);
    const auto nodes = class_nodes(hierarchy, classes);
    for (std::size_t c = 0; c < nodes.size(); ++c)
      class_label[nodes[c]] = fmt::format("[class {}: {}]", c, classes.label(c));
  }
  std::optional<WordNet> wordnet;
  if (!options.wordnet.empty()) {
    wordnet = WordNet::load(options.wordnet);
    check_wordnet_nodes(hierarchy, *wordnet);
  }

  std::size_t leaves = 0;
  for (std::size_t n = 0; n < hierarchy.size(); ++n) leaves += hierarchy.is_leaf(n);
  std::cout << options.hierarchy << ": " << hierarchy.size() << " nodes, " << hierarchy.edges().size() << " edges, "
            << leaves << " leaves, " << (hierarchy.is_tree() ? "a tree" : "a DAG") << ", height "
            << hierarchy.height(hierarchy.root()) << "\n";

  hierarchy.write_indented(std::cout, [&](std::size_t node) {
    std::string note;
    std::uint32_t offset = 0;
    if (wordnet && WordNet::parse_id(hierarchy.name(node), offset))
      if (const Synset* synset = wordnet->find(offset)) note += " " + wordnet->sense_name(*synset);
    if (!class_label[node].empty()) note += " " + class_label[node];
    return note;
  });
}

struct SimilarityOptions {
  std::string hierarchy;
  std::string classes;
  std::string out;
  std::string measure = "lcs-height";
};

void run_similarity(const SimilarityOptions& options) {
  const HierarchyMeasure measure = parse_hierarchy_measure(options.measure);
  const Hierarchy hierarchy = Hierarchy::load(options.hierarchy);
  const ClassList classes = ClassList::load(options.classes);
  const auto nodes = class_nodes(hierarchy, classes);
  const auto similarities = similarities_from_distances(hierarchy_distances(hierarchy, nodes, measure));
  write_npy<float>(options.out, similarities, {classes.size(), classes.size()});
  std::cout << options.out << ": float32 [" << classes.size() << ", " << classes.size() << "] similarities ("
            << hierarchy_measure_name(measure) << ", s = 1 - D)\n";
}

struct LookupOptions {
  std::string wordnet = default_wordnet;
  std::vector<std::string> names;
};

void run_lookup(const LookupOptions& options) {
  const auto start = std::chrono::steady_clock::now();
  const WordNet wordnet = WordNet::load(options.wordnet);
  const double seconds = seconds_since(start);
  std::fprintf(stderr, "loaded %zu noun synsets, %zu lemmas from %s in %.3f s\n", wordnet.synset_count(),
               wordnet.lemma_count(), options.wordnet.c_str(), seconds);
  for (const std::string& name : options.names) {
    const Synset& synset = wordnet.resolve(name);
    std::cout << WordNet::id(synset.offset) << " " << wordnet.sense_name(synset) << "\n  lemmas:";
    for (const auto lemma : synset.lemmas) std::cout << " " << lemma;
    std::cout << "\n  gloss: " << synset.gloss << "\n";
    for (const auto& [label, list] : {std::pair{"hypernyms", synset.hypernyms},
                                      std::pair{"instance hypernyms", synset.instance_hypernyms}}) {
      if (list.empty()) continue;
      std::cout << "  " << label << ":";
      for (const std::uint32_t parent : list)
        std::cout << " " << WordNet::id(parent) << " " << wordnet.sense_name(wordnet.synset(parent));
      std::cout << "\n";
    }
  }
}

}  // namespace

void add_hierarchy_commands(CLI::App& app) {
  CLI::App* group = app.add_subcommand("hierarchy", "Class hierarchies from WordNet and class similarities");
  group->require_subcommand(1);

  auto build_options = std::make_shared<BuildOptions>();
  CLI::App* build = group->add_subcommand("build", "Build the minimal WordNet tree over a list of classes");
  build->add_option("--wordnet", build_options->wordnet, "WordNet 3.0 database directory")
      ->capture_default_str();
  build->add_option("--classes", build_options->classes, "classes file: index <TAB> synset [<TAB> display name]")
      ->required();
  build->add_option("--out", build_options->out, "hierarchy file to write ('parent child' lines)")->required();
  build->add_option("--classes-out", build_options->classes_out,
                    "write the resolved classes file (nodes of the hierarchy, display names filled in)");
  build->callback([build_options] { run_build(*build_options); });

  auto show_options = std::make_shared<ShowOptions>();
  CLI::App* show = group->add_subcommand("show", "Print a hierarchy as an indented tree with node heights");
  show->add_option("hierarchy", show_options->hierarchy, "hierarchy file ('parent child' lines)")->required();
  show->add_option("--classes", show_options->classes, "classes file: label the class nodes");
  show->add_option("--wordnet", show_options->wordnet, "WordNet directory: check WordNet ids, print their sense names");
  show->callback([show_options] { run_show(*show_options); });

  auto similarity_options = std::make_shared<SimilarityOptions>();
  CLI::App* similarity = group->add_subcommand("similarity", "Write the C x C class similarity matrix s = 1 - D");
  similarity->add_option("--hierarchy", similarity_options->hierarchy, "hierarchy file")->required();
  similarity->add_option("--classes", similarity_options->classes, "classes file (nodes of the hierarchy)")
      ->required();
  similarity->add_option("--out", similarity_options->out, "output .npy, float32 [C, C]")->required();
  similarity->add_option("--measure", similarity_options->measure, "lcs-height or wu-palmer")
      ->capture_default_str();
  similarity->callback([similarity_options] { run_similarity(*similarity_options); });

  auto lookup_options = std::make_shared<LookupOptions>();
  CLI::App* lookup = group->add_subcommand("lookup", "Print WordNet noun synsets: id, lemmas, gloss, hypernyms");
  lookup->add_option("names", lookup_options->names, "synset names (dog.n.01) or ids (n02084071)")->required();
  lookup->add_option("--wordnet", lookup_options->wordnet, "WordNet 3.0 database directory")->capture_default_str();
  lookup->callback([lookup_options] { run_lookup(*lookup_options); });
}

}  // namespace shrewd::cli
