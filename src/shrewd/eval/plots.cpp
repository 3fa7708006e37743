#include "shrewd/eval/plots.hpp"

#include <cstdio>

#include "shrewd/common/atomic_file.hpp"
#include "shrewd/common/error.hpp"
#include "shrewd/eval/svg_plot.hpp"

namespace shrewd::eval {

namespace {

std::string fixed(double v, int decimals = 4) {
  char buffer[48];
  std::snprintf(buffer, sizeof buffer, "%.*f", decimals, v);
  return buffer;
}

std::string scope(const EvaluationReport& r) {
  return std::to_string(r.queries) + " queries, " + std::to_string(r.database) + " database items, " +
         std::to_string(r.bits) + "-bit codes";
}

}  // namespace

std::string pr_curve_svg(const EvaluationReport& r) {
  svg::Series ball;
  ball.label = "Hamming ball of radius r (labels: r)";
  ball.markers = true;
  for (const RadiusPoint& p : r.hamming.pr_curve) {
    ball.x.push_back(p.recall);
    ball.y.push_back(p.precision);
    ball.point_labels.push_back(std::to_string(p.radius));
  }
  svg::LinePlot plot;
  plot.title = "Precision-recall by Hamming radius";
  plot.subtitle = scope(r) + "; mean over queries, an empty ball counts as precision 0";
  plot.x = {"recall (mean over queries)", 0.0, 1.0};
  plot.y = {"precision (mean over queries)", 0.0, 1.0};
  plot.series.push_back(std::move(ball));
  plot.legend = svg::Corner::BottomLeft;
  return svg::render(plot);
}

std::string hp_curve_svg(const EvaluationReport& r) {
  svg::LinePlot plot;
  plot.title = "Hierarchical precision HP@k";
  plot.subtitle = scope(r) + "; mAHP@" + std::to_string(r.options.cutoffs.ahp_at) + ": " +
                  fixed(r.hamming.tie_aware.mahp) + " (tie-aware)";
  plot.x = {"k (retrieved items)", 1.0, double(r.options.cutoffs.ahp_at)};
  plot.y = {"mean HP@k", std::nullopt, 1.0};
  auto series = [&](const std::string& label, const RankingSummary& s, bool dashed) {
    svg::Series line;
    line.label = label;
    line.dashed = dashed;
    for (std::size_t k = 0; k < s.hp_curve.size(); ++k) {
      line.x.push_back(double(k + 1));
      line.y.push_back(s.hp_curve[k]);
    }
    return line;
  };
  plot.series.push_back(series("Hamming, tie-aware (expected over tie orders)", r.hamming.tie_aware, false));
  plot.series.push_back(series("Hamming, ties by database index", r.hamming.index_ties, true));
  if (r.continuous) plot.series.push_back(series("continuous outputs, cosine", *r.continuous, false));
  return svg::render(plot);
}

std::string per_class_svg(const EvaluationReport& r) {
  svg::Table table;
  const std::string radius = std::to_string(r.options.radius);
  table.title = "Per-class retrieval";
  table.subtitle = scope(r) + "; over the queries of each class; tie-aware unless marked 'index'";
  table.header = {"class", "name", "queries", "mAP@" + std::to_string(r.options.cutoffs.map_at),
                  "mAP (index)", "mAHP@" + std::to_string(r.options.cutoffs.ahp_at), "P(r<=" + radius + ")",
                  "empty balls"};
  table.numeric = {true, false, true, true, true, true, true, true};
  const bool continuous = r.continuous.has_value();
  if (continuous) {
    table.header.push_back("mAP cosine");
    table.numeric.push_back(true);
  }
  for (const ClassRow& c : r.per_class) {
    std::vector<std::string> row = {std::to_string(c.class_id),    c.name,
                                    std::to_string(c.queries),     fixed(c.map_tie_aware),
                                    fixed(c.map_index_ties),       fixed(c.mahp_tie_aware),
                                    fixed(c.radius_precision),     fixed(100 * c.empty_share, 1) + "%"};
    if (continuous) row.push_back(c.map_continuous ? fixed(*c.map_continuous) : "");
    table.rows.push_back(std::move(row));
  }
  return svg::render(table);
}

std::vector<std::filesystem::path> write_plots(const EvaluationReport& report, const std::filesystem::path& directory) {
  std::error_code error;
  std::filesystem::create_directories(directory, error);
  if (error) fail(directory.string(), "cannot create the plot directory: " + error.message());
  const std::vector<std::pair<std::string, std::string>> figures = {{"pr_curve.svg", pr_curve_svg(report)},
                                                                    {"hp_curve.svg", hp_curve_svg(report)},
                                                                    {"per_class.svg", per_class_svg(report)}};
  std::vector<std::filesystem::path> written;
  for (const auto& [name, text] : figures) {
    write_text_file(directory / name, text);
    written.push_back(directory / name);
  }
  return written;
}

}  // namespace shrewd::eval
