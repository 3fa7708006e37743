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
            "chart.json: legend: 'middle' is not top-left, top-right, bottom-left or bottom-right");
  EXPECT_EQ(error(R"({"type": "lines", "y": {"min": 1, "max": 0}, "series": []})"), "chart.json: y: max must be above min");
}

}  // namespace
}  // namespace shrewd::eval
