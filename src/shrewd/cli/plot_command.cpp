// shrewd plot: draws a chart described in JSON (eval/plot_spec.hpp) as SVG, with the plotter the
// evaluation's own plots use; scripts/experiment-report.sh draws its charts with it.
#include <iostream>
#include <nlohmann/json.hpp>

#include "shrewd/cli/commands.hpp"
#include "shrewd/common/atomic_file.hpp"
#include "shrewd/common/error.hpp"
#include "shrewd/common/read_file.hpp"
#include "shrewd/eval/plot_spec.hpp"

namespace shrewd::cli {
namespace {

struct PlotArgs {
  std::filesystem::path spec, out;
};

void run_plot(const PlotArgs& a) {
  nlohmann::json spec;
  try {
    spec = nlohmann::json::parse(read_file(a.spec, "the plot spec"));
  } catch (const nlohmann::json::exception& e) {
    fail(a.spec.string(), std::string("not valid JSON: ") + e.what());
  }
  write_text_file(a.out, eval::render_plot_spec(spec, a.spec.string()));
  std::cout << "wrote " << a.out.string() << "\n";
}

}  // namespace

void add_plot_command(CLI::App& app) {
  auto a = std::make_shared<PlotArgs>();
  auto* plot = app.add_subcommand("plot", "Draw a bar or line chart described in JSON as SVG (spec keys: docs/experiments.md)");
  plot->add_option("--spec", a->spec, "chart spec .json: type bars|lines, title, axes, groups/series")
      ->required()->check(CLI::ExistingFile);
  plot->add_option("--out", a->out, "the .svg to write")->required();
  plot->callback([a] { run_plot(*a); });
}

}  // namespace shrewd::cli
