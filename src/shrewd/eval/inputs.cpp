#include "shrewd/eval/inputs.hpp"

#include <algorithm>
#include <cstring>
#include <fmt/format.h>

#include "shrewd/codes/code_npy.hpp"
#include "shrewd/common/error.hpp"
#include "shrewd/semantics/class_list.hpp"
#include "shrewd/semantics/hierarchy.hpp"
#include "shrewd/semantics/target_distances.hpp"

namespace shrewd::eval {

bool same_file(const std::filesystem::path& a, const std::filesystem::path& b) {
  std::error_code error;
  return !a.empty() && !b.empty() && std::filesystem::equivalent(a, b, error) && !error;
}

namespace {

void require(const std::filesystem::path& path, const std::string& option) {
  if (path.empty()) fail(option, "is required");
}

void check_count(const Labels& labels, const CodeMatrix& codes, const std::string& codes_source) {
  if (labels.size() != codes.size())
    fail(labels.source(), fmt::format("has {} labels but {} holds {} codes",
                                      labels.size(), codes_source, codes.size()));
}

void check_features(const Features& features, const CodeMatrix& codes, const std::string& codes_source) {
  if (features.rows != codes.size())
    fail(features.source, fmt::format("has {} rows but {} holds {} codes", features.rows, codes_source, codes.size()));
  if (features.columns != codes.bits())
    fail(features.source, fmt::format("has {} columns but the codes have {} bits (expected the continuous outputs z, "
                                      "[N, K])", features.columns, codes.bits()));
}

Features features_from_npy(const NpyArray& array) {
  Features f;
  f.source = array.source;
  f.values = npy_matrix_f32(array, f.rows, f.columns);
  return f;
}

// With the queries inside the database, query i must be database item i: same code, same label.
void check_queries_in_database(const EvalInputs& in, const EvalArrays& arrays) {
  const std::size_t bytes = in.query_codes.bytes_per_code();
  for (std::size_t i = 0; i < in.query_codes.size(); ++i) {
    if (std::memcmp(in.query_codes.code_bytes(i), in.database_codes.code_bytes(i), bytes) != 0)
      fail(arrays.query_codes.source, fmt::format("query {} is meant to be database item {} of {} but their codes "
                                                  "differ", i, i, arrays.database_codes.source));
    bool same_label;
    if (in.query_labels.is_multi())
      same_label = std::equal(in.query_labels.label_set(i), in.query_labels.label_set(i) + in.query_labels.words(),
                              in.database_labels.label_set(i));
    else
      same_label = in.query_labels.label(i) == in.database_labels.label(i);
    if (!same_label)
      fail(arrays.query_labels.source, fmt::format("query {} is meant to be database item {} but its label differs "
                                                   "from {}", i, i, arrays.database_labels.source));
  }
}

}  // namespace

EvalInputs load_eval_inputs(const EvalPaths& paths) {
  require(paths.query_codes, "--query-codes");
  require(paths.query_labels, "--query-labels");
  require(paths.database_codes, "--db-codes");
  require(paths.database_labels, "--db-labels");
  if (!paths.similarity.empty() && !paths.hierarchy.empty())
    fail("--similarity", "give either --similarity or --hierarchy, not both");
  if (!paths.hierarchy.empty() && paths.classes.empty())
    fail("--hierarchy", "needs --classes (the class list that maps label i to a hierarchy node)");
  if (paths.query_features.empty() != paths.database_features.empty())
    fail(paths.query_features.empty() ? "--db-features" : "--query-features",
         "the binarisation gap needs both --query-features and --db-features");

  EvalArrays arrays;
  arrays.query_codes = read_npy(paths.query_codes);
  arrays.database_codes = read_npy(paths.database_codes);
  arrays.query_labels = read_npy(paths.query_labels);
  arrays.database_labels = read_npy(paths.database_labels);
  if (!paths.classes.empty()) arrays.classes = semantics::ClassList::load(paths.classes);
  if (!paths.hierarchy.empty()) arrays.hierarchy = semantics::Hierarchy::load(paths.hierarchy);
  arrays.hierarchy_measure = paths.hierarchy_measure;
  if (!paths.similarity.empty()) arrays.similarity = read_npy(paths.similarity);
  if (!paths.query_features.empty()) {
    arrays.query_features = read_npy(paths.query_features);
    arrays.database_features = read_npy(paths.database_features);
  }
  arrays.queries_in_database = paths.queries_in_database ||
                               (same_file(paths.query_codes, paths.database_codes) &&
                                same_file(paths.query_labels, paths.database_labels));
  arrays.code_layout = paths.code_layout;
  return eval_inputs_from_arrays(arrays);
}

EvalInputs eval_inputs_from_arrays(const EvalArrays& arrays) {
  EvalInputs in;
  in.query_codes = codes_from_npy(arrays.query_codes, arrays.code_layout);
  in.database_codes = codes_from_npy(arrays.database_codes, arrays.code_layout);
  if (in.query_codes.bits() != in.database_codes.bits())
    fail(arrays.database_codes.source, fmt::format("database codes have {} bits but the query codes {} have {}",
                                                   in.database_codes.bits(), arrays.query_codes.source,
                                                   in.query_codes.bits()));
  in.query_labels = labels_from_npy(arrays.query_labels);
  in.database_labels = labels_from_npy(arrays.database_labels);
  check_count(in.query_labels, in.query_codes, arrays.query_codes.source);
  check_count(in.database_labels, in.database_codes, arrays.database_codes.source);

  in.queries_in_database = arrays.queries_in_database;
  if (in.queries_in_database) {
    if (in.query_codes.size() > in.database_codes.size())
      fail(arrays.query_codes.source, fmt::format("with the queries inside the database, query i is database item i, "
                                                  "but there are {} queries and only {} database items",
                                                  in.query_codes.size(), in.database_codes.size()));
    if (in.query_labels.is_multi() == in.database_labels.is_multi()) check_queries_in_database(in, arrays);
  }

  // Class names and the class similarity matrix.
  std::vector<float> similarity;
  std::size_t classes = 0;
  std::string against;
  if (arrays.classes) {
    const semantics::ClassList& list = *arrays.classes;
    for (std::size_t c = 0; c < list.size(); ++c) in.class_names.push_back(list.label(c));
    classes = list.size();
    against = "the class list " + list.source;
    if (arrays.hierarchy) {
      const semantics::Hierarchy& hierarchy = *arrays.hierarchy;
      const auto nodes = semantics::class_nodes(hierarchy, list);
      const auto measure = semantics::parse_hierarchy_measure(arrays.hierarchy_measure);
      similarity = semantics::similarities_from_distances(semantics::hierarchy_distances(hierarchy, nodes, measure));
      against = fmt::format("the class list {} on the hierarchy {} ({})",
                            list.source, hierarchy.source(), semantics::hierarchy_measure_name(measure));
    }
  }
  if (arrays.similarity) {
    std::size_t matrix_classes = 0;
    similarity = similarity_matrix_from_npy(*arrays.similarity, matrix_classes);
    if (classes && matrix_classes != classes)
      fail(arrays.similarity->source, fmt::format("is {} x {} but the class list {} has {} classes",
                                                  matrix_classes, matrix_classes, arrays.classes->source, classes));
    classes = matrix_classes;
    against = "the similarity matrix " + arrays.similarity->source;
  }
  if (in.query_labels.is_multi() && arrays.classes && in.query_labels.columns() != classes)
    fail(arrays.query_labels.source, fmt::format("has {} label columns but the class list {} has {} classes",
                                                 in.query_labels.columns(), arrays.classes->source, classes));
  if (in.query_labels.is_multi() && arrays.hierarchy)
    fail(arrays.hierarchy_option, fmt::format("hierarchical similarity needs single labels, but {} holds multi-labels",
                                              arrays.query_labels.source));
  if (!in.query_labels.is_multi()) {
    // The class count sets the size of C x C tables: check every label before anything is sized.
    const std::string bound = classes ? against : "the classes allowed without --classes or --similarity";
    const std::string hint = classes ? "" : "give the class list with --classes for more";
    const std::size_t limit = classes ? classes : kMaxClassesWithoutList;
    in.query_labels.check_classes(limit, bound, hint);
    in.database_labels.check_classes(limit, bound, hint);
    in.class_similarity = similarity;
  }
  in.relevance = make_relevance(in.query_labels, in.database_labels, std::move(similarity),
                                in.query_labels.is_multi() ? 0 : classes, against);

  if (arrays.query_features) {
    in.query_features = features_from_npy(*arrays.query_features);
    in.database_features = features_from_npy(*arrays.database_features);
    check_features(*in.query_features, in.query_codes, arrays.query_codes.source);
    check_features(*in.database_features, in.database_codes, arrays.database_codes.source);
  }
  return in;
}

}  // namespace shrewd::eval
