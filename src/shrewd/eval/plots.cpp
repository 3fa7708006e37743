#include "shrewd/eval/plots.hpp"

#include <cstdio>
#include <fmt/format.h>

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
  return fmt::format("{} queries, {} database items, {}-bit codes", r.queries, r.database, r.bits);
}

// The line at the foot of every figure: what was ranked against what, and how ties were broken.
std::string protocol(const EvaluationReport& r, const std::string& ties) {
  return fmt::format("Protocol: {} queries against {} database items{}, {}-bit codes ranked by Hamming distance; "
                     "ties: {}",
                     r.queries, r.database, r.queries_in_database ? " (each query left out of its own ranking)" : "",
                     r.bits, ties);
}

constexpr const char* kBothTies = "tie-aware = expected over random orders within equal distances, index = by ascending database index";

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
  plot.legend = svg::Corner::Below;
  plot.protocol = protocol(r, "none involved (every item within the radius counts)");
  return svg::render(plot);
}

std::string hp_curve_svg(const EvaluationReport& r) {
  svg::LinePlot plot;
  plot.title = "Hierarchical precision HP@k";
  plot.subtitle = fmt::format("{}; mAHP@{}: {} (tie-aware)",
                              scope(r), r.options.cutoffs.ahp_at, fixed(r.hamming.tie_aware.mahp));
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
  plot.legend = svg::Corner::Below;
  plot.protocol = protocol(r, std::string(kBothTies) + (r.continuous ? "; cosine: by index" : ""));
  return svg::render(plot);
}

std::string per_class_svg(const EvaluationReport& r) {
  svg::Table table;
  const std::string radius = std::to_string(r.options.radius);
  table.title = "Per-class retrieval";
  table.subtitle = scope(r) + "; over the queries of each class; tie-aware unless marked 'index'";
  table.header = {"class", "name", "queries", fmt::format("mAP@{}", r.options.cutoffs.map_at),
                  "mAP (index)", fmt::format("mAHP@{}", r.options.cutoffs.ahp_at), fmt::format("P(r<={})", radius),
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
  table.protocol = protocol(r, kBothTies);
  return svg::render(table);
}

std::string mistakes_svg(const EvaluationReport& r) {
  const MistakeSummary &index = *r.hamming.index_ties.mistakes, &aware = *r.hamming.tie_aware.mistakes;
  svg::BarChart chart;
  chart.title = "Mistakes: class distance of the retrieved items";
  for (std::size_t i = 0; i < aware.at.size(); ++i)
    chart.groups.push_back(fmt::format("k = {}\nno mistake: {}%",
                                       aware.at[i], fixed(100 * aware.no_mistake_share[i], 1)));
  chart.subtitle = "severity: mean D^T of the items of another class; no mistake: share of queries (tie-aware)";
  chart.x_label = "k (retrieved items)";
  chart.y = {"class distance D^T (0 = same class, 1 = farthest)", 0.0, std::nullopt};
  auto series = [&](const std::string& label, const std::vector<double>& values) {
    return svg::BarSeries{label, values, {}};
  };
  chart.series.push_back(series("mean D^T of the top k, tie-aware", aware.mean_distance));
  chart.series.push_back(series("mean D^T of the top k, ties by index", index.mean_distance));
  chart.series.push_back(series("mistake severity, tie-aware", aware.severity));
  chart.series.push_back(series("mistake severity, ties by index", index.severity));
  chart.protocol = protocol(r, kBothTies);
  return svg::render(chart);
}

std::vector<std::filesystem::path> write_plots(const EvaluationReport& report, const std::filesystem::path& directory) {
  std::error_code error;
  std::filesystem::create_directories(directory, error);
  if (error) fail(directory.string(), "cannot create the plot directory: " + error.message());
  std::vector<std::pair<std::string, std::string>> figures = {{"pr_curve.svg", pr_curve_svg(report)},
                                                              {"hp_curve.svg", hp_curve_svg(report)},
                                                              {"per_class.svg", per_class_svg(report)}};
  if (report.hamming.tie_aware.mistakes) figures.push_back({"mistakes.svg", mistakes_svg(report)});
  std::vector<std::filesystem::path> written;
  for (const auto& [name, text] : figures) {
    write_text_file(directory / name, text);
    written.push_back(directory / name);
  }
  return written;
}

}  // namespace shrewd::eval
