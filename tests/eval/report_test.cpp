#include <gtest/gtest.h>

#include <cstdio>
#include <regex>

#include "shrewd/eval/plots.hpp"
#include "shrewd/eval/report.hpp"
#include "shrewd/eval/svg_plot.hpp"
#include "support/temp_dir.hpp"
#include "test_helpers.hpp"

namespace shrewd::eval {
namespace {

EvalInputs small_inputs(bool with_features) {
  EvalInputs in;
  in.query_codes = testing::codes8({0x00, 0x0F, 0xF0});
  in.database_codes = testing::codes8({0x00, 0x01, 0x03, 0x0F, 0x1F, 0xF0, 0xF1});
  in.query_labels = testing::single({0, 1, 2});
  in.database_labels = testing::single({0, 0, 1, 1, 1, 2, 2});
  in.relevance = make_relevance(in.query_labels, in.database_labels);
  in.class_names = {"cat", "dog", "car"};
  if (with_features) {
    in.query_features = Features{"qz", 3, 8, std::vector<float>(24, 0.0f)};
    in.database_features = Features{"dz", 7, 8, std::vector<float>(56, 0.0f)};
    for (std::size_t i = 0; i < 24; ++i) in.query_features->values[i] = in.query_codes.bit(i / 8, i % 8) ? 0.9f : -0.7f;
    for (std::size_t i = 0; i < 56; ++i)
      in.database_features->values[i] = in.database_codes.bit(i / 8, i % 8) ? 0.8f : -0.6f;
  }
  return in;
}

EvalOptions small_options() {
  EvalOptions options;
  options.cutoffs = {5, 4, {1, 3}};
  options.radius = 1;
  options.threads = 1;
  return options;
}

TEST(Report, JsonCarriesEveryFigureAndSaysWhichTieConventionIsWhich) {
  const EvaluationReport r = evaluate(small_inputs(true), small_options());
  const nlohmann::json j = report_json(r);
  EXPECT_EQ(j["queries"], 3);
  EXPECT_EQ(j["hamming"]["index_ties"]["map"].get<double>(), r.hamming.index_ties.map);
  EXPECT_EQ(j["hamming"]["tie_aware"]["mahp"].get<double>(), r.hamming.tie_aware.mahp);
  EXPECT_EQ(j["hamming"]["tie_aware"]["hp_curve"].size(), 4u);
  EXPECT_EQ(j["hamming"]["pr_curve"].size(), 9u);
  EXPECT_EQ(j["hamming"]["radius"]["radius"], 1);
  EXPECT_TRUE(j["ties"]["tie_aware"].get<std::string>().find("random orders") != std::string::npos);
  EXPECT_TRUE(j["ties"]["index_ties"].get<std::string>().find("ascending database index") != std::string::npos);
  EXPECT_NEAR(j["continuous"]["gap_vs_tie_aware"]["map"].get<double>(),
              r.continuous->map - r.hamming.tie_aware.map, 1e-15);
  EXPECT_EQ(j["per_class"].size(), 3u);
  EXPECT_EQ(j["per_class"][1]["name"], "dog");
  EXPECT_EQ(j["code_statistics"]["database"]["distinct_codes"], 7);
}

TEST(Report, ContinuousOutputsWithTheSignsOfTheCodesHaveNoGapToIndexTies) {
  const EvaluationReport r = evaluate(small_inputs(true), small_options());
  // Features whose signs are the code bits but with two magnitudes: cosine order = Hamming order.
  EXPECT_DOUBLE_EQ(r.continuous->map, r.hamming.index_ties.map);
}

TEST(Report, TableNamesBothTieConventionsAndTheRadius) {
  const std::string text = format_report(evaluate(small_inputs(false), small_options()));
  EXPECT_NE(text.find("ties by index"), std::string::npos);
  EXPECT_NE(text.find("tie-aware"), std::string::npos);
  EXPECT_NE(text.find("mAP@5"), std::string::npos);
  EXPECT_NE(text.find("mAHP@4"), std::string::npos);
  EXPECT_NE(text.find("radius 1"), std::string::npos);
  EXPECT_NE(text.find("dog"), std::string::npos);
}

TEST(Report, SemanticAlignmentOfTheDatabaseCodesWithAClassSimilarity) {
  EvalInputs in = small_inputs(false);
  EXPECT_FALSE(report_json(evaluate(in, small_options()))["code_statistics"]["database"].contains("semantic_alignment"));
  // cat-dog 0.8, cat-car 0, dog-car 0.2. Database class distances by hand: cat-dog 19/6, cat-car 9/2,
  // dog-car 13/2; against 1 - similarity 0.2, 1.0, 0.8: ranks 1 2 3 vs 1 3 2 -> Spearman 0.5.
  in.class_similarity = {1.0f, 0.8f, 0.0f, 0.8f, 1.0f, 0.2f, 0.0f, 0.2f, 1.0f};
  const EvaluationReport r = evaluate(in, small_options());
  const nlohmann::json alignment = report_json(r)["code_statistics"]["database"]["semantic_alignment"];
  EXPECT_EQ(alignment["class_pairs"], 3);
  EXPECT_NEAR(alignment["spearman"].get<double>(), 0.5, 1e-12);
  EXPECT_NEAR(alignment["pearson"].get<double>(), 0.6363, 1e-3);
  EXPECT_TRUE(r.query_statistics && r.query_statistics->semantic_alignment);
  EXPECT_NE(format_report(r).find("semantic alignment: Spearman"), std::string::npos);
}

TEST(Plots, WritesThreeSvgFiles) {
  shrewd::testing::TempDir dir;
  const auto written = write_plots(evaluate(small_inputs(true), small_options()), dir / "plots");
  ASSERT_EQ(written.size(), 3u);
  for (const auto& path : written) {
    const std::string svg = shrewd::testing::read_bytes(path);
    EXPECT_EQ(svg.rfind("<?xml", 0), 0u) << path;
    EXPECT_NE(svg.find("</svg>"), std::string::npos) << path;
  }
  EXPECT_NE(shrewd::testing::read_bytes(dir / "plots" / "per_class.svg").find("car"), std::string::npos);
}

// Inputs with a class similarity: cat-dog 0.8, cat-car 0, dog-car 0.2 (D^T 0.2, 1, 0.8).
EvalInputs inputs_with_distances() {
  EvalInputs in = small_inputs(false);
  in.class_similarity = {1.0f, 0.8f, 0.0f, 0.8f, 1.0f, 0.2f, 0.0f, 0.2f, 1.0f};
  in.relevance = make_relevance(in.query_labels, in.database_labels, in.class_similarity, 3, "s.npy");
  return in;
}

TEST(Report, MistakesInTableAndJsonWithClassDistances) {
  const EvaluationReport r = evaluate(inputs_with_distances(), small_options());
  ASSERT_TRUE(r.hamming.tie_aware.mistakes.has_value());
  const nlohmann::json j = report_json(r);
  EXPECT_EQ(j["mistakes"]["reported"], true);
  EXPECT_EQ(j["mistakes"]["at"], nlohmann::json({1, 3, 4, 5}));
  const auto& aware = *r.hamming.tie_aware.mistakes;
  EXPECT_EQ(j["hamming"]["tie_aware"]["mistakes"]["mean_distance"]["3"].get<double>(), aware.mean_distance[1]);
  EXPECT_EQ(j["hamming"]["index_ties"]["mistakes"]["no_mistake_share"]["1"].get<double>(),
            r.hamming.index_ties.mistakes->no_mistake_share[0]);
  // k = 1: every query's nearest item is its own class (distance 0), so nobody made a mistake yet.
  EXPECT_TRUE(j["hamming"]["index_ties"]["mistakes"]["severity"]["1"].is_null());
  const std::string text = format_report(r);
  EXPECT_NE(text.find("mistake severity"), std::string::npos);
  EXPECT_NE(text.find("queries without mistake"), std::string::npos);
}

TEST(Report, MistakesAreNotReportedWithoutClassDistancesAndTheReportSaysWhy) {
  const EvaluationReport r = evaluate(small_inputs(false), small_options());
  EXPECT_FALSE(r.hamming.index_ties.mistakes.has_value());
  const nlohmann::json j = report_json(r);
  EXPECT_EQ(j["mistakes"]["reported"], false);
  EXPECT_NE(j["mistakes"]["reason"].get<std::string>().find("--hierarchy"), std::string::npos);
  EXPECT_FALSE(j["hamming"]["tie_aware"].contains("mistakes"));
  EXPECT_NE(format_report(r).find("Mistake severity: not reported"), std::string::npos);
}

// The bottom of the plotting frame (the frame is the only unfilled rectangle with a dark stroke).
double frame_bottom(const std::string& svg) {
  std::smatch m;
  const std::regex frame("<rect x=\"[0-9.]+\" y=\"([0-9.]+)\" width=\"[0-9.]+\" height=\"([0-9.]+)\" fill=\"none\" stroke=\"#333\"/>");
  if (!std::regex_search(svg, m, frame)) return -1;
  return std::stod(m[1]) + std::stod(m[2]);
}

TEST(Plots, CurveLegendsSitBelowThePlottingArea) {
  const EvaluationReport r = evaluate(small_inputs(true), small_options());
  for (const std::string& svg : {hp_curve_svg(r), pr_curve_svg(r)}) {
    const double bottom = frame_bottom(svg);
    ASSERT_GT(bottom, 0);
    const auto legend = svg.find("<g class=\"legend\">");
    ASSERT_NE(legend, std::string::npos);
    const std::string part = svg.substr(legend, svg.find("</g>", legend) - legend);
    const std::regex y("<text x=\"[0-9.]+\" y=\"([0-9.]+)\"");
    std::size_t labels = 0;
    for (auto it = std::sregex_iterator(part.begin(), part.end(), y); it != std::sregex_iterator(); ++it, ++labels)
      EXPECT_GT(std::stod((*it)[1]), bottom + 20) << "a legend label inside or next to the frame";
    EXPECT_GE(labels, 1u);
  }
  EXPECT_NE(hp_curve_svg(r).find(">continuous outputs, cosine</text>"), std::string::npos);
}

// The protocol at the foot of a figure: its lines joined with spaces.
std::string protocol_of(const std::string& svg) {
  std::string joined;
  const std::regex line("class=\"protocol\">([^<]*)</text>");
  for (auto it = std::sregex_iterator(svg.begin(), svg.end(), line); it != std::sregex_iterator(); ++it)
  {
    if (!joined.empty()) joined += ' ';
    joined += (*it)[1].str();
  }
  return joined;
}

TEST(Plots, EveryFigureStatesTheProtocol) {
  const EvaluationReport r = evaluate(inputs_with_distances(), small_options());
  for (const std::string& svg : {pr_curve_svg(r), hp_curve_svg(r), per_class_svg(r), mistakes_svg(r)}) {
    const std::string protocol = protocol_of(svg);
    EXPECT_EQ(protocol.rfind("Protocol: 3 queries against 7 database items, 8-bit codes ranked by Hamming distance; ties: ", 0), 0u)
        << protocol;
  }
  EXPECT_NE(protocol_of(pr_curve_svg(r)).find("ties: none involved"), std::string::npos);
  EXPECT_NE(protocol_of(per_class_svg(r)).find("tie-aware = expected over random orders within equal distances, index = "
                                               "by ascending database index"), std::string::npos);
}

TEST(Plots, MistakesFigureWithClassDistances) {
  shrewd::testing::TempDir dir;
  const EvaluationReport r = evaluate(inputs_with_distances(), small_options());
  const auto written = write_plots(r, dir / "plots");
  ASSERT_EQ(written.size(), 4u);
  const std::string svg = shrewd::testing::read_bytes(dir / "plots" / "mistakes.svg");
  EXPECT_NE(svg.find(">k = 3</text>"), std::string::npos);
  EXPECT_NE(svg.find(">mistake severity, tie-aware</text>"), std::string::npos);
  EXPECT_NE(svg.find(">class distance D^T (0 = same class, 1 = farthest)</text>"), std::string::npos);
  EXPECT_NE(svg.find(">k (retrieved items)</text>"), std::string::npos);
  const double distance = r.hamming.tie_aware.mistakes->mean_distance[1];
  char title[96];
  std::snprintf(title, sizeof title, "<title>mean D^T of the top k, tie-aware, k = 3: %.6g</title>", distance);
  EXPECT_NE(svg.find(title), std::string::npos) << title;
}

TEST(SvgPlot, NiceTicksAreRoundAndCoverTheRange) {
  const auto unit = svg::nice_ticks(0, 1, 5);
  ASSERT_EQ(unit.size(), 6u);
  EXPECT_EQ(unit.front(), 0.0);
  EXPECT_NEAR(unit[1], 0.2, 1e-12);
  EXPECT_NEAR(unit.back(), 1.0, 1e-12);
  const auto ticks = svg::nice_ticks(1, 250, 8);
  ASSERT_FALSE(ticks.empty());
  EXPECT_EQ(ticks.front(), 50);
  EXPECT_EQ(ticks.back(), 250);
  EXPECT_EQ(svg::format_tick(0.4, 0.2), "0.4");
  EXPECT_EQ(svg::format_tick(150, 50), "150");
  EXPECT_EQ(svg::format_tick(0.05, 0.05), "0.05");
}

TEST(SvgPlot, TextIsEscaped) {
  svg::LinePlot plot;
  plot.title = "a < b & \"c\"";
  svg::Series series;
  series.label = "s";
  series.x = series.y = {0, 1};
  plot.series.push_back(series);
  const std::string out = svg::render(plot);
  EXPECT_NE(out.find("a &lt; b &amp; &quot;c&quot;"), std::string::npos);
  EXPECT_EQ(out.find("a < b"), std::string::npos);
}

}  // namespace
}  // namespace shrewd::eval
