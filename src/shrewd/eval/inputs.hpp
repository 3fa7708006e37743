#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "shrewd/codes/code_matrix.hpp"
#include "shrewd/codes/code_npy.hpp"
#include "shrewd/eval/labels.hpp"
#include "shrewd/eval/relevance.hpp"
#include "shrewd/eval/retrieval.hpp"
#include "shrewd/semantics/class_list.hpp"
#include "shrewd/semantics/hierarchy.hpp"

namespace shrewd::eval {

// The files of an evaluation (the options of `shrewd eval`). Empty paths are absent.
struct EvalPaths {
  std::filesystem::path query_codes, query_labels, database_codes, database_labels;
  std::filesystem::path similarity;                // float32 [C, C] class similarities in [0, 1]
  std::filesystem::path hierarchy, classes;        // 'parent child' tree + 'index node [name]' class list
  std::string hierarchy_measure = "lcs-height";    // or "wu-palmer" (see semantics/target_distances.hpp)
  std::filesystem::path query_features, database_features;  // float32 [N, K] continuous outputs
  bool queries_in_database = false;  // query i is database item i (implied when the files are the same)
  CodeLayout code_layout = CodeLayout::Detect;  // of uint8 code files: --unpacked / --packed
};

// Everything loaded and checked against everything else; each Error names the file at fault.
struct EvalInputs {
  CodeMatrix query_codes{8}, database_codes{8};
  Labels query_labels, database_labels;
  std::unique_ptr<Relevance> relevance;
  std::optional<Features> query_features, database_features;
  std::vector<std::string> class_names;  // from --classes; empty otherwise
  std::vector<float> class_similarity;   // single labels with --hierarchy or --similarity: C x C
  bool queries_in_database = false;
};

EvalInputs load_eval_inputs(const EvalPaths& paths);

// The same evaluation from arrays in memory (the Python package), as load_eval_inputs reads them
// from the files: each array's `source` names it in errors where the command line names the file.
struct EvalArrays {
  NpyArray query_codes, query_labels, database_codes, database_labels;
  std::optional<NpyArray> similarity;                    // float32/float64 [C, C] in [0, 1]
  std::optional<semantics::ClassList> classes;           // label i -> hierarchy node; class names
  std::optional<semantics::Hierarchy> hierarchy;         // needs classes
  std::string hierarchy_measure = "lcs-height";
  std::string hierarchy_option = "--hierarchy";          // names the hierarchy in option errors
  std::optional<NpyArray> query_features, database_features;  // float32 [N, K]
  bool queries_in_database = false;
  CodeLayout code_layout = CodeLayout::Detect;
};

EvalInputs eval_inputs_from_arrays(const EvalArrays& arrays);

// True when both paths name the same existing file.
bool same_file(const std::filesystem::path& a, const std::filesystem::path& b);

}  // namespace shrewd::eval
