#pragma once

#include <cstddef>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "shrewd/eval/code_statistics.hpp"
#include "shrewd/eval/inputs.hpp"
#include "shrewd/eval/retrieval.hpp"

namespace shrewd::eval {

// Figures of the queries that carry one class (multi-labels: each of their labels).
struct ClassRow {
  std::size_t class_id = 0;
  std::string name;
  std::size_t queries = 0;
  double map_index_ties = 0, map_tie_aware = 0;
  double mahp_index_ties = 0, mahp_tie_aware = 0;
  double radius_precision = 0, empty_share = 0;
  std::optional<double> map_continuous;
};

// Everything `shrewd eval` reports.
struct EvaluationReport {
  std::map<std::string, std::string> files;  // option -> path
  std::size_t queries = 0, database = 0, bits = 0;
  bool queries_in_database = false;
  std::string relevance;
  EvalOptions options;
  HammingResults hamming;
  std::optional<RankingSummary> continuous;  // cosine ranking of the continuous outputs
  double continuous_seconds = 0;
  CodeStatistics database_statistics;
  std::optional<CodeStatistics> query_statistics;  // absent when the queries are database items
  std::vector<ClassRow> per_class;
  std::string mistakes_note;  // why the mistake metrics are absent; empty when they are reported
};

EvaluationReport evaluate(const EvalInputs& inputs, const EvalOptions& options);

std::vector<ClassRow> per_class_rows(const Relevance& relevance, const HammingResults& hamming,
                                     const RankingSummary* continuous, const std::vector<std::string>& names);

// The readable table printed by `shrewd eval`.
std::string format_report(const EvaluationReport& report);
// Every figure, for --json (schema in docs/evaluation.md).
nlohmann::json report_json(const EvaluationReport& report);

}  // namespace shrewd::eval
