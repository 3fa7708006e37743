#include "shrewd/eval/plot_spec.hpp"

#include <cmath>
#include <fmt/format.h>
#include <limits>
#include <nlohmann/json.hpp>

#include "shrewd/common/error.hpp"
#include "shrewd/eval/svg_plot.hpp"

namespace shrewd::eval {
namespace {

using nlohmann::json;

struct Reader {
  const std::string& where;

  [[noreturn]] void bad(const std::string& key, const std::string& problem) const { fail(where, key + ": " + problem); }

  std::string text(const json& object, const char* key, const std::string& path) const {
    if (!object.contains(key)) return {};
    const auto& value = object.at(key);
    if (!value.is_string()) bad(path + key, "must be a string");
    return value.get<std::string>();
  }
  bool flag(const json& object, const char* key, const std::string& path) const {
    if (!object.contains(key)) return false;
    if (!object.at(key).is_boolean()) bad(path + key, "must be true or false");
    return object.at(key).get<bool>();
  }
  std::optional<double> number(const json& object, const char* key, const std::string& path) const {
    if (!object.contains(key) || object.at(key).is_null()) return std::nullopt;
    if (!object.at(key).is_number()) bad(path + key, "must be a number");
    return object.at(key).get<double>();
  }
  int size(const json& object, const char* key, int fallback) const {
    const auto value = number(object, key, "");
    if (!value) return fallback;
    if (*value < 100 || *value > 10000 || *value != std::floor(*value)) bad(key, "must be a whole number of pixels, 100..10000");
    return int(*value);
  }
  // An array of numbers; null becomes NaN when `nulls` (a missing value), else is an error.
  std::vector<double> numbers(const json& object, const char* key, const std::string& path, bool nulls) const {
    std::vector<double> values;
    if (!object.contains(key)) return values;
    const auto& array = object.at(key);
    if (!array.is_array()) bad(path + key, "must be an array of numbers");
    for (std::size_t i = 0; i < array.size(); ++i) {
      if (array[i].is_null() && nulls) values.push_back(std::numeric_limits<double>::quiet_NaN());
      else if (array[i].is_number()) values.push_back(array[i].get<double>());
      else bad(fmt::format("{}{}[{}]", path, key, i), nulls ? "must be a number or null" : "must be a number");
    }
    return values;
  }
  std::vector<std::string> texts(const json& object, const char* key, const std::string& path) const {
    std::vector<std::string> values;
    if (!object.contains(key)) return values;
    const auto& array = object.at(key);
    if (!array.is_array()) bad(path + key, "must be an array of strings");
    for (std::size_t i = 0; i < array.size(); ++i) {
      if (!array[i].is_string()) bad(fmt::format("{}{}[{}]", path, key, i), "must be a string");
      values.push_back(array[i].get<std::string>());
    }
    return values;
  }
  svg::Axis axis(const json& spec, const char* key) const {
    svg::Axis axis;
    if (!spec.contains(key)) return axis;
    const auto& object = spec.at(key);
    const std::string path = std::string(key) + ".";
    if (!object.is_object()) bad(key, "must be an object {\"label\", \"min\", \"max\"}");
    axis.label = text(object, "label", path);
    axis.min = number(object, "min", path);
    axis.max = number(object, "max", path);
    if (axis.min && axis.max && !(*axis.max > *axis.min)) bad(key, "max must be above min");
    return axis;
  }
  const json& series(const json& spec) const {
    if (!spec.contains("series") || !spec.at("series").is_array()) bad("series", "must be an array of objects");
    for (std::size_t i = 0; i < spec.at("series").size(); ++i)
      if (!spec.at("series")[i].is_object()) bad(fmt::format("series[{}]", i), "must be an object");
    return spec.at("series");
  }
};

svg::BarChart bar_chart(const json& spec, const Reader& r) {
  svg::BarChart chart;
  chart.title = r.text(spec, "title", "");
  chart.subtitle = r.text(spec, "subtitle", "");
  chart.x_label = r.axis(spec, "x").label;
  chart.y = r.axis(spec, "y");
  chart.fit_y = spec.contains("y") && r.flag(spec.at("y"), "fit", "y.");
  chart.protocol = r.text(spec, "protocol", "");
  chart.height = r.size(spec, "height", chart.height);
  chart.groups = r.texts(spec, "groups", "");
  if (chart.groups.empty()) r.bad("groups", "a bar chart needs at least one group");
  const auto& series = r.series(spec);
  for (std::size_t i = 0; i < series.size(); ++i) {
    const std::string path = fmt::format("series[{}].", i);
    svg::BarSeries s;
    s.label = r.text(series[i], "label", path);
    s.values = r.numbers(series[i], "values", path, true);
    s.errors = r.numbers(series[i], "errors", path, true);
    if (s.values.size() != chart.groups.size())
      r.bad(path + "values", fmt::format("{} values for {} groups", s.values.size(), chart.groups.size()));
    if (!s.errors.empty() && s.errors.size() != chart.groups.size())
      r.bad(path + "errors", fmt::format("{} errors for {} groups", s.errors.size(), chart.groups.size()));
    chart.series.push_back(std::move(s));
  }
  return chart;
}

svg::LinePlot line_plot(const json& spec, const Reader& r) {
  svg::LinePlot plot;
  plot.title = r.text(spec, "title", "");
  plot.subtitle = r.text(spec, "subtitle", "");
  plot.x = r.axis(spec, "x");
  plot.y = r.axis(spec, "y");
  plot.protocol = r.text(spec, "protocol", "");
  plot.width = r.size(spec, "width", plot.width);
  plot.height = r.size(spec, "height", plot.height);
  const auto legend = r.text(spec, "legend", "");
  if (legend == "top-left") plot.legend = svg::Corner::TopLeft;
  else if (legend == "top-right") plot.legend = svg::Corner::TopRight;
  else if (legend == "bottom-right") plot.legend = svg::Corner::BottomRight;
  else if (legend.empty() || legend == "bottom-left") plot.legend = svg::Corner::BottomLeft;
  else if (legend == "below") plot.legend = svg::Corner::Below;
  else r.bad("legend", fmt::format("'{}' is not top-left, top-right, bottom-left, bottom-right or below", legend));
  const auto& series = r.series(spec);
  for (std::size_t i = 0; i < series.size(); ++i) {
    const std::string path = fmt::format("series[{}].", i);
    svg::Series s;
    s.label = r.text(series[i], "label", path);
    s.x = r.numbers(series[i], "x", path, false);
    s.y = r.numbers(series[i], "y", path, false);
    if (s.x.size() != s.y.size())
      r.bad(path + "y", fmt::format("{} y values for {} x values", s.y.size(), s.x.size()));
    s.markers = r.flag(series[i], "markers", path);
    s.dashed = r.flag(series[i], "dashed", path);
    s.point_labels = r.texts(series[i], "point_labels", path);
    plot.series.push_back(std::move(s));
  }
  return plot;
}

}  // namespace

std::string render_plot_spec(const json& spec, const std::string& where) {
  const Reader r{where};
  if (!spec.is_object()) fail(where, "a plot spec must be a JSON object");
  const auto type = r.text(spec, "type", "");
  if (type == "bars") return svg::render(bar_chart(spec, r));
  if (type == "lines") return svg::render(line_plot(spec, r));
  r.bad("type",
        type.empty() ? "missing (\"bars\" or \"lines\")" : fmt::format("'{}' is not \"bars\" or \"lines\"", type));
}

}  // namespace shrewd::eval
