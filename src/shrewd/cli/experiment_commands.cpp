// Helpers for experiments: text-embed (weakly supervised targets from WordNet glosses) and
// select-classes (rows of .npy files whose label is in a class set, for the zero-shot protocol).
#include <cmath>
#include <cstdio>
#include <fmt/format.h>
#include <iostream>
#include <set>
#include <sstream>

#include "shrewd/cli/commands.hpp"
#include "shrewd/common/error.hpp"
#include "shrewd/common/npy.hpp"
#include "shrewd/formats/label_file.hpp"
#include "shrewd/semantics/class_list.hpp"
#include "shrewd/semantics/text_embedding.hpp"
#include "shrewd/semantics/wordnet.hpp"

namespace shrewd::cli {
namespace {

std::set<std::int64_t> parse_class_set(const std::string& text) {
  std::set<std::int64_t> classes;
  std::stringstream in(text);
  for (std::string item; std::getline(in, item, ',');) {
    try {
      std::size_t used = 0;
      const long long value = std::stoll(item, &used);
      if (used != item.size() || value < 0) throw std::invalid_argument(item);
      classes.insert(value);
    } catch (const std::exception&) {
      fail("--class-ids", fmt::format("'{}' is not a class index (expected e.g. 7,8,9)", item));
    }
  }
  if (classes.empty()) fail("--class-ids", "names no class");
  return classes;
}

struct TextEmbedArgs {
  std::filesystem::path classes, wordnet = "/usr/share/wordnet", out, labels, items_out;
  std::size_t dims = 8;
  int hypernym_levels = 2;
  bool examples = false, show = false;
};

void run_text_embed(const TextEmbedArgs& a) {
  const auto wordnet = semantics::WordNet::load(a.wordnet);
  const auto classes = semantics::ClassList::load(a.classes);
  std::vector<std::vector<std::string>> documents;
  semantics::SynsetDocumentOptions options{a.hypernym_levels, a.examples};
  for (std::size_t c = 0; c < classes.size(); ++c) {
    try {
      documents.push_back(semantics::synset_document(wordnet, semantics::class_synset(wordnet, classes.classes[c].node), options));
    } catch (const Error& e) {
      fail(classes.where(c), e.what());
    }
  }
  std::size_t dims = a.dims;
  const auto embedding = semantics::embed_documents(documents, dims);
  if (dims < a.dims)
    std::cerr << "text-embed: " << dims << " dimensions (the rank of the TF-IDF matrix) instead of " << a.dims << "\n";
  write_npy<float>(a.out, embedding, {classes.size(), dims});
  std::cout << "wrote " << a.out.string() << ": " << classes.size() << " classes x " << dims << " dimensions\n";
  if (a.show) {
    std::cout << "cosine similarity of the class embeddings:\n";
    for (std::size_t i = 0; i < classes.size(); ++i) {
      std::printf("%-14s", classes.label(i).substr(0, 13).c_str());
      for (std::size_t j = 0; j < classes.size(); ++j) {
        double dot = 0;
        for (std::size_t k = 0; k < dims; ++k) dot += double(embedding[i * dims + k]) * embedding[j * dims + k];
        std::printf(" %5.2f", dot);
      }
      std::printf("\n");
    }
  }
  if (!a.labels.empty()) {
    const auto labels = formats::read_label_file(a.labels);
    std::vector<float> items(labels.size() * dims);
    for (std::size_t i = 0; i < labels.size(); ++i) {
      if (labels[i] < 0 || std::size_t(labels[i]) >= classes.size())
        fail(a.labels.string(), fmt::format("label {} of item {} is not a class of {}",
                                            labels[i], i, a.classes.string()));
      std::copy_n(embedding.begin() + std::ptrdiff_t(labels[i] * dims), dims, items.begin() + std::ptrdiff_t(i * dims));
    }
    write_npy<float>(a.items_out, items, {labels.size(), dims});
    std::cout << "wrote " << a.items_out.string() << ": " << labels.size() << " items x " << dims << " dimensions\n";
  }
}

struct SelectArgs {
  std::filesystem::path labels, labels_out;
  std::string class_ids;
  std::vector<std::filesystem::path> inputs, outputs;
};

void run_select(const SelectArgs& a) {
  if (a.inputs.size() != a.outputs.size()) fail("--in/--out", "give one --out for every --in");
  const auto keep = parse_class_set(a.class_ids);
  const auto labels = formats::read_label_file(a.labels);
  std::vector<std::size_t> rows;
  std::vector<std::int64_t> kept_labels;
  for (std::size_t i = 0; i < labels.size(); ++i)
    if (keep.contains(labels[i])) {
      rows.push_back(i);
      kept_labels.push_back(labels[i]);
    }
  if (rows.empty()) fail(a.labels.string(), "no item has one of the classes " + a.class_ids);
  for (std::size_t f = 0; f < a.inputs.size(); ++f) {
    const auto array = read_npy(a.inputs[f]);
    if (array.shape.empty() || array.rows() != labels.size())
      fail(a.inputs[f].string(), fmt::format("has shape {} but {} labels {} items",
                                             array.shape_text(), a.labels.string(), labels.size()));
    const std::size_t row_bytes = array.bytes.size() / array.rows();
    std::vector<std::byte> out(rows.size() * row_bytes);
    for (std::size_t r = 0; r < rows.size(); ++r)
      std::copy_n(array.bytes.begin() + std::ptrdiff_t(rows[r] * row_bytes), row_bytes, out.begin() + std::ptrdiff_t(r * row_bytes));
    auto shape = array.shape;
    shape[0] = rows.size();
    write_npy(a.outputs[f], array.dtype, shape, out.data());
  }
  if (!a.labels_out.empty()) write_npy<std::int64_t>(a.labels_out, kept_labels, {kept_labels.size()});
  std::cout << "kept " << rows.size() << " of " << labels.size() << " items (classes " << a.class_ids << ")\n";
}

}  // namespace

void add_experiment_commands(CLI::App& app) {
  auto t = std::make_shared<TextEmbedArgs>();
  auto* embed = app.add_subcommand("text-embed",
                                   "Class embeddings from WordNet lemmas and glosses (TF-IDF + truncated SVD); "
                                   "optionally per-item target embeddings for weakly supervised training");
  embed->add_option("--classes", t->classes, "classes file (index node [name]); nodes: WordNet ids or sense names")
      ->required()->check(CLI::ExistingFile);
  embed->add_option("--wordnet", t->wordnet, "WordNet 3.0 database directory")->capture_default_str();
  embed->add_option("--dims", t->dims, "embedding dimensions (capped at the TF-IDF matrix rank)")->capture_default_str();
  embed->add_option("--hypernym-levels", t->hypernym_levels, "also use the words of hypernyms up to this many levels")
      ->capture_default_str();
  embed->add_flag("--examples", t->examples, "keep the quoted example sentences of the glosses");
  embed->add_option("--out", t->out, "class embeddings: float32 [C, D] .npy")->required();
  auto* labels = embed->add_option("--labels", t->labels, "item labels: .npy or IDX1 file (e.g. train-labels-idx1-ubyte.gz)")
                     ->check(CLI::ExistingFile);
  embed->add_option("--items-out", t->items_out, "item target embeddings: float32 [N, D] .npy")->needs(labels);
  labels->needs(embed->get_option("--items-out"));
  embed->add_flag("--show", t->show, "print the cosine similarities between the classes");
  embed->callback([t] { run_text_embed(*t); });

  auto s = std::make_shared<SelectArgs>();
  auto* select = app.add_subcommand("select-classes", "Keep the rows of .npy files whose label is in a class set");
  select->add_option("--labels", s->labels, "labels: .npy or IDX1 file")->required()->check(CLI::ExistingFile);
  select->add_option("--class-ids", s->class_ids, "class indices to keep, e.g. 7,8,9 (--classes names a classes file elsewhere)")
      ->required();
  select->add_option("--in", s->inputs, "input .npy (rows = items), repeatable")->check(CLI::ExistingFile);
  select->add_option("--out", s->outputs, "output .npy for the --in of the same position, repeatable");
  select->add_option("--labels-out", s->labels_out, "the kept labels, int64 .npy");
  select->callback([s] { run_select(*s); });
}

}  // namespace shrewd::cli
