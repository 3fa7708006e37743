// Charts from JSON specs (shrewd plot, the experiment report): bars with error bars, lines, and
// specs that break the rules refused naming the file and the key.
#include "shrewd/eval/plot_spec.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <regex>

#include "shrewd/eval/svg_plot.hpp"
#include "support/error_of.hpp"

namespace shrewd::eval {
namespace {

using nlohmann::json;

std::size_t count(const std::string& text, const std::string& part) {
  std::size_t n = 0;
  for (auto at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) ++n;
  return n;
}

// The height of the bar whose tooltip starts with `title`.
double bar_height(const std::string& svg, const std::string& title) {
  std::smatch m;
  const std::regex bar("height=\"([0-9.]+)\" fill=\"[^\"]+\"><title>" + title);
  if (!std::regex_search(svg, m, bar)) return -1;
  return std::stod(m[1]);
}

TEST(PlotSpec, BarsDrawOneBarPerSeriesAndGroupWithErrorBarsAndALegend) {
  const json spec = json::parse(R"({"type": "bars", "title": "mAP & more", "y": {"label": "mAP", "min": 0, "max": 1},
    "x": {"label": "code length"}, "groups": ["K = 16", "K = 64"],
    "series": [{"label": "shrewd", "values": [0.5, 1.0], "errors": [0.1, null]},
               {"label": "dpsh", "values": [0.25, null]}]})");
  const std::string svg = render_plot_spec(spec, "spec.json");
  EXPECT_EQ(count(svg, "<title>"), 3u);  // the missing dpsh value draws no bar
  EXPECT_NE(svg.find("<title>shrewd, K = 16: 0.5"), std::string::npos);
  EXPECT_NE(svg.find("mAP &amp; more"), std::string::npos);
  EXPECT_NE(svg.find(">dpsh</text>"), std::string::npos);  // legend
  EXPECT_NE(svg.find(">K = 64</text>"), std::string::npos);
  EXPECT_NE(svg.find(">code length</text>"), std::string::npos);
  const double full = bar_height(svg, "shrewd, K = 64"), half = bar_height(svg, "shrewd, K = 16");
  ASSERT_GT(full, 0);
  EXPECT_NEAR(half, full / 2, 0.02);  // heights are proportional to the values on a 0..1 axis
  EXPECT_NEAR(bar_height(svg, "dpsh, K = 16"), full / 4, 0.02);
  EXPECT_EQ(count(svg, "stroke=\"#222\""), 3u);  // one error bar: the line and its two caps
}

TEST(PlotSpec, BarsWithoutARangeReachTheHighestErrorBar) {
  svg::BarChart chart;
  chart.groups = {"a"};
  chart.series = {{"s", {3.0}, {0.6}}};
  const std::string svg = svg::render(chart);
  EXPECT_NE(svg.find(">4</text>"), std::string::npos);  // 3 + 0.6 rounds up to the tick 4
  EXPECT_NE(svg.find(">0</text>"), std::string::npos);
}

TEST(PlotSpec, LinesDrawTheSeriesOfTheSpec) {
  const json spec = json::parse(R"({"type": "lines", "title": "PR", "legend": "top-right",
    "x": {"label": "recall", "min": 0, "max": 1}, "y": {"label": "precision"},
    "series": [{"label": "a", "x": [0, 0.5, 1], "y": [1, 0.8, 0.5], "markers": true, "point_labels": ["", "r=2", ""]},
               {"label": "b", "x": [0, 1], "y": [0.9, 0.4], "dashed": true}]})");
  const std::string svg = render_plot_spec(spec, "pr.json");
  EXPECT_EQ(count(svg, "<polyline"), 2u);
  EXPECT_NE(svg.find("stroke-dasharray"), std::string::npos);
  EXPECT_NE(svg.find(">r=2</text>"), std::string::npos);
  EXPECT_NE(svg.find(">precision</text>"), std::string::npos);
}

// The y tick labels of a chart, in order of appearance.
std::vector<double> y_ticks(const std::string& svg) {
  std::vector<double> ticks;
  const std::regex tick("text-anchor=\"end\">(-?[0-9.]+)</text>");
  for (auto it = std::sregex_iterator(svg.begin(), svg.end(), tick); it != std::sregex_iterator(); ++it)
    ticks.push_back(std::stod((*it)[1]));
  return ticks;
}

TEST(PlotSpec, FittedBarsShowSmallDifferencesWithStdErrorBarsAxisTitlesAndProtocol) {
  const json spec = json::parse(R"({"type": "bars", "title": "mAP", "x": {"label": "code length"},
    "y": {"label": "mAP@1000", "fit": true}, "groups": ["K = 16", "K = 64"],
    "protocol": "Protocol: 10000 queries, 60000 database items; ties by database index",
    "series": [{"label": "shrewd", "values": [0.91, 0.93], "errors": [null, 0.004]},
               {"label": "csq", "values": [0.905, 0.92], "errors": [null, 0.002]}]})");
  const std::string svg = render_plot_spec(spec, "spec.json");
  const std::vector<double> ticks = y_ticks(svg);
  ASSERT_GE(ticks.size(), 3u);
  // The axis spans about the bars (0.9..0.934), not 0..1: the lowest tick is far above 0.
  EXPECT_GT(ticks.front(), 0.85);
  EXPECT_LE(ticks.front(), 0.901);
  EXPECT_GE(ticks.back(), 0.934);
  EXPECT_LT(ticks.back(), 0.96);
  // The lowest bar is short but visible, the highest nearly the full height.
  const double low = bar_height(svg, "csq, K = 16"), high = bar_height(svg, "shrewd, K = 64");
  EXPECT_GT(low, 0);
  EXPECT_GT(high, 3 * low);
  // Error bars carry the seeds' std in the tooltip and are drawn (a line and two caps each).
  EXPECT_NE(svg.find("<title>shrewd, K = 64: 0.93 ± 0.004</title>"), std::string::npos);
  EXPECT_NE(svg.find("<title>csq, K = 64: 0.92 ± 0.002</title>"), std::string::npos);
  EXPECT_EQ(count(svg, "stroke=\"#222\""), 6u);
  EXPECT_NE(svg.find(">code length</text>"), std::string::npos);
  EXPECT_NE(svg.find(">mAP@1000</text>"), std::string::npos);
  EXPECT_NE(svg.find("class=\"protocol\">Protocol: 10000 queries, 60000 database items; ties by database index</text>"),
            std::string::npos);
}

TEST(PlotSpec, FittedBarsKeepAGivenMaximumAndStartOnALabelledTick) {
  const json spec = json::parse(R"({"type": "bars", "y": {"label": "mAP", "fit": true, "max": 1}, "groups": ["K = 64"],
    "series": [{"label": "a", "values": [0.912]}, {"label": "b", "values": [0.999], "errors": [0.001]}]})");
  const std::vector<double> ticks = y_ticks(render_plot_spec(spec, "spec.json"));
  ASSERT_GE(ticks.size(), 3u);
  EXPECT_EQ(ticks.back(), 1.0);  // not above the given maximum
  EXPECT_LT(ticks.front(), 0.912);
  EXPECT_GT(ticks.front(), 0.85);
  // The frame's lower edge is the first tick: its label says where the axis starts.
  const std::string svg = render_plot_spec(spec, "spec.json");
  std::smatch frame, first;
  ASSERT_TRUE(std::regex_search(svg, frame, std::regex("y=\"([0-9.]+)\" width=\"[0-9.]+\" height=\"([0-9.]+)\" fill=\"none\" stroke=\"#333\"")));
  ASSERT_TRUE(std::regex_search(svg, first, std::regex("y=\"([0-9.]+)\" text-anchor=\"end\">")));
  EXPECT_NEAR(std::stod(first[1]) - 4, std::stod(frame[1]) + std::stod(frame[2]), 0.01);
}

TEST(PlotSpec, LinesCanPutTheLegendBelowThePlottingArea) {
  const json spec = json::parse(R"({"type": "lines", "legend": "below", "height": 400, "protocol": "P",
    "series": [{"label": "first", "x": [0, 1], "y": [0, 1]}, {"label": "second", "x": [0, 1], "y": [1, 0]}]})");
  const std::string svg = render_plot_spec(spec, "lines.json");
  std::smatch m;
  ASSERT_TRUE(std::regex_search(svg, m, std::regex("height=\"([0-9]+)\" viewBox")));
  EXPECT_GT(std::stoi(m[1]), 400);  // the legend rows and the protocol line are added below
  ASSERT_TRUE(std::regex_search(svg, m, std::regex("y=\"([0-9.]+)\" text-anchor=\"start\">second</text>")));
  EXPECT_GT(std::stod(m[1]), 400.0);  // below the frame, which ends at height - 58
}

TEST(PlotSpec, RefusesBadSpecsNamingTheFileAndTheKey) {
  const auto error = [](const char* text) {
    return testing::error_of([&] { render_plot_spec(json::parse(text), "chart.json"); });
  };
  EXPECT_EQ(error(R"([1, 2])"), "chart.json: a plot spec must be a JSON object");
  EXPECT_EQ(error(R"({"title": "x"})"), "chart.json: type: missing (\"bars\" or \"lines\")");
  EXPECT_EQ(error(R"({"type": "pie"})"), "chart.json: type: 'pie' is not \"bars\" or \"lines\"");
  EXPECT_EQ(error(R"({"type": "bars", "series": []})"), "chart.json: groups: a bar chart needs at least one group");
  EXPECT_EQ(error(R"({"type": "bars", "groups": ["a", "b"], "series": [{"label": "s", "values": [1]}]})"),
            "chart.json: series[0].values: 1 values for 2 groups");
  EXPECT_EQ(error(R"({"type": "bars", "groups": ["a"], "series": [{"values": ["high"]}]})"),
            "chart.json: series[0].values[0]: must be a number or null");
  EXPECT_EQ(error(R"({"type": "lines", "series": [{"x": [1, 2], "y": [1]}]})"),
            "chart.json: series[0].y: 1 y values for 2 x values");
  EXPECT_EQ(error(R"({"type": "lines", "legend": "middle", "series": []})"),
            "chart.json: legend: 'middle' is not top-left, top-right, bottom-left, bottom-right or below");
  EXPECT_EQ(error(R"({"type": "bars", "groups": ["a"], "y": {"fit": 1}, "series": []})"),
            "chart.json: y.fit: must be true or false");
  EXPECT_EQ(error(R"({"type": "lines", "y": {"min": 1, "max": 0}, "series": []})"), "chart.json: y: max must be above min");
}

}  // namespace
}  // namespace shrewd::eval
