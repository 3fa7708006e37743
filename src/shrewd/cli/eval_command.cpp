// `shrewd eval`: retrieval metrics of docs/method.md §8 for query and database codes.
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "shrewd/cli/shared_options.hpp"
#include "shrewd/cli/commands.hpp"
#include "shrewd/common/atomic_file.hpp"
#include "shrewd/eval/inputs.hpp"
#include "shrewd/eval/plots.hpp"
#include "shrewd/eval/report.hpp"

namespace shrewd::cli {
namespace {

struct EvalCommandOptions {
  eval::EvalPaths paths;
  eval::EvalOptions options;
  std::string json;
  std::string plots;
};

void run_eval(const EvalCommandOptions& o) {
  o.options.cutoffs.validate();
  const eval::EvalInputs inputs = eval::load_eval_inputs(o.paths);
  eval::EvaluationReport report = eval::evaluate(inputs, o.options);
  const std::vector<std::pair<std::string, std::filesystem::path>> files = {
      {"query_codes", o.paths.query_codes},         {"query_labels", o.paths.query_labels},
      {"db_codes", o.paths.database_codes},         {"db_labels", o.paths.database_labels},
      {"similarity", o.paths.similarity},           {"hierarchy", o.paths.hierarchy},
      {"classes", o.paths.classes},                 {"query_features", o.paths.query_features},
      {"db_features", o.paths.database_features}};
  for (const auto& [name, path] : files)
    if (!path.empty()) report.files[name] = path.string();
  if (!o.paths.hierarchy.empty()) report.files["hierarchy_measure"] = o.paths.hierarchy_measure;

  std::cout << eval::format_report(report);
  if (!o.json.empty()) {
    write_text_file(o.json, eval::report_json(report).dump(2) + "\n");
    std::cout << "wrote " << o.json << "\n";
  }
  if (!o.plots.empty())
    for (const auto& path : eval::write_plots(report, o.plots)) std::cout << "wrote " << path.string() << "\n";
}

}  // namespace

void add_eval_command(CLI::App& app) {
  auto o = std::make_shared<EvalCommandOptions>();
  CLI::App* cmd = app.add_subcommand(
      "eval", "Retrieval metrics (mAP@k, mAHP@K, P@k, R@k, mistake severity, radius precision, PR curve), code "
              "statistics, plots");
  cmd->add_option("--query-codes", o->paths.query_codes, "query codes .npy (uint8 packbits [N, K/8], bool, int8 +-1 or float32)")
      ->required();
  cmd->add_option("--query-labels", o->paths.query_labels, "query labels .npy: integer [N] or multi-hot 0/1 [N, C]")
      ->required();
  cmd->add_option("--db-codes", o->paths.database_codes, "database codes .npy")->required();
  cmd->add_option("--db-labels", o->paths.database_labels, "database labels .npy")->required();
  auto* hierarchy = cmd->add_option("--hierarchy", o->paths.hierarchy,
                                    "class hierarchy ('parent child' lines): s = 1 - height(lcs)/height(root)");
  cmd->add_option("--classes", o->paths.classes,
                  "class list 'index node [name]': label i -> hierarchy node; also names the classes");
  cmd->add_option("--hierarchy-measure", o->paths.hierarchy_measure, "lcs-height (docs/method.md section 2.3) or wu-palmer")
      ->capture_default_str();
  auto* similarity = cmd->add_option("--similarity", o->paths.similarity,
                                     "class similarity matrix .npy, float32 [C, C] in [0, 1] (e.g. shrewd hierarchy similarity)");
  hierarchy->excludes(similarity);
  cmd->add_option("--query-features", o->paths.query_features,
                  "continuous query outputs z, float32 [N, K]: binarisation gap (with --db-features)");
  cmd->add_option("--db-features", o->paths.database_features, "continuous database outputs z, float32 [N, K]");
  add_code_layout_flags(*cmd, o->paths.code_layout);
  cmd->add_flag("--queries-in-db", o->paths.queries_in_database,
                "query i is database item i (implied when query and database files are the same): left out of its "
                "own ranking and ideal sum");
  cmd->add_option("--map-at", o->options.cutoffs.map_at, "k of mAP@k")
      ->check(count_of_at_least_one())
      ->capture_default_str();
  cmd->add_option("--ahp-at", o->options.cutoffs.ahp_at, "K of mAHP@K (HP@1..HP@K, trapezoid rule)")
      ->capture_default_str();
  cmd->add_option("--precision-at", o->options.cutoffs.precision_at, "cutoffs k of P@k and R@k")
      ->delimiter(',')
      ->capture_default_str();
  cmd->add_option("--radius", o->options.radius, "Hamming radius of the ball precision")->capture_default_str();
  cmd->add_option("--threads", o->options.threads, "worker threads (0: all cores)")->capture_default_str();
  cmd->add_option("--json", o->json, "write every figure to this JSON file (atomically)");
  cmd->add_option("--plots", o->plots,
                  "write pr_curve.svg, hp_curve.svg, per_class.svg (and mistakes.svg with class distances) into this "
                  "directory");
  cmd->callback([o] { run_eval(*o); });
}

}  // namespace shrewd::cli
