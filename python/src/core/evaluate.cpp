// shrewd._core.evaluate: the figures of `shrewd eval --json`, from arrays in memory.
#include <cstring>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <pybind11/stl.h>
#include <pybind11/stl/filesystem.h>

#include "arrays.hpp"
#include "bindings.hpp"
#include "shrewd/codes/code_npy.hpp"
#include "shrewd/eval/inputs.hpp"
#include "shrewd/eval/plots.hpp"
#include "shrewd/eval/report.hpp"

namespace shrewd::python {

namespace {

// Codes as the packbits array the command line would read (uint8 is packbits in the package; one
// element per bit comes as bool, int8 or float32 and is packed here).
NpyArray packed_codes(const py::object& array, const std::string& name) {
  NpyArray npy = npy_from_array(array, name);
  if (npy.dtype == DType::UInt8) return npy;
  const CodeMatrix codes = codes_from_npy(npy, CodeLayout::Detect);
  const auto bytes = codes.packed_bytes();
  npy.dtype = DType::UInt8;
  npy.shape = {codes.size(), codes.bytes_per_code()};
  npy.bytes.resize(bytes.size());
  std::memcpy(npy.bytes.data(), bytes.data(), bytes.size());
  return npy;
}

struct EvaluateArguments {
  py::object query_codes, query_labels, database_codes, database_labels;
  py::object similarity, query_features, database_features;  // None: not given
  std::optional<semantics::Hierarchy> hierarchy;
  std::optional<semantics::ClassList> classes;
  std::string hierarchy_measure;
  bool queries_in_database = false;
  std::optional<std::size_t> map_at, ahp_at;
  std::optional<std::vector<std::size_t>> precision_at;
  std::size_t radius = 2;
  int threads = 0;
  std::optional<std::filesystem::path> plots;
};

// The report as `shrewd eval --json` writes it (a JSON text), and the plots written, if asked for.
std::string evaluate(const EvaluateArguments& a) {
  eval::EvalOptions options;
  if (a.map_at) options.cutoffs.map_at = *a.map_at;
  if (a.ahp_at) options.cutoffs.ahp_at = *a.ahp_at;
  if (a.precision_at) options.cutoffs.precision_at = *a.precision_at;
  options.radius = a.radius;
  options.threads = a.threads;
  options.cutoffs.validate();

  eval::EvalArrays arrays;
  arrays.query_codes = packed_codes(a.query_codes, "query_codes");
  arrays.query_labels = npy_from_array(a.query_labels, "query_labels");
  arrays.database_codes = packed_codes(a.database_codes, "db_codes");
  arrays.database_labels = npy_from_array(a.database_labels, "db_labels");
  if (!a.similarity.is_none()) arrays.similarity = npy_from_array(a.similarity, "similarity");
  if (!a.query_features.is_none()) arrays.query_features = npy_from_array(a.query_features, "query_features");
  if (!a.database_features.is_none()) arrays.database_features = npy_from_array(a.database_features, "db_features");
  arrays.classes = a.classes;
  arrays.hierarchy = a.hierarchy;
  arrays.hierarchy_measure = a.hierarchy_measure;
  arrays.hierarchy_option = "hierarchy";
  arrays.queries_in_database = a.queries_in_database;
  arrays.code_layout = CodeLayout::Packed;

  py::gil_scoped_release release;
  const eval::EvalInputs inputs = eval::eval_inputs_from_arrays(arrays);
  eval::EvaluationReport report = eval::evaluate(inputs, options);
  if (a.classes) report.files["classes"] = a.classes->source;
  if (a.hierarchy) {
    report.files["hierarchy"] = a.hierarchy->source();
    report.files["hierarchy_measure"] = a.hierarchy_measure;
  }
  nlohmann::json json = eval::report_json(report);
  if (a.plots)
    for (const auto& path : eval::write_plots(report, *a.plots)) json["plots"].push_back(path.string());
  return json.dump();
}

}  // namespace

void bind_evaluate(py::module_& m) {
  m.def(
      "_evaluate",
      [](py::object query_codes, py::object query_labels, py::object db_codes, py::object db_labels,
         py::object similarity, std::optional<semantics::Hierarchy> hierarchy,
         std::optional<semantics::ClassList> classes, std::string hierarchy_measure, py::object query_features,
         py::object db_features, bool queries_in_db, std::optional<std::size_t> map_at,
         std::optional<std::size_t> ahp_at, std::optional<std::vector<std::size_t>> precision_at, std::size_t radius,
         int threads, std::optional<std::filesystem::path> plots) {
        return evaluate({query_codes, query_labels, db_codes, db_labels, similarity, query_features, db_features,
                         std::move(hierarchy), std::move(classes), std::move(hierarchy_measure), queries_in_db, map_at,
                         ahp_at, std::move(precision_at), radius, threads, std::move(plots)});
      },
      py::arg("query_codes"), py::arg("query_labels"), py::arg("db_codes"), py::arg("db_labels"),
      py::arg("similarity"), py::arg("hierarchy"), py::arg("classes"), py::arg("hierarchy_measure"),
      py::arg("query_features"), py::arg("db_features"), py::arg("queries_in_db"), py::arg("map_at"),
      py::arg("ahp_at"), py::arg("precision_at"), py::arg("radius"), py::arg("threads"), py::arg("plots"),
      "The JSON text of `shrewd eval --json` for these arrays; shrewd.evaluate wraps it.");
}

}  // namespace shrewd::python
