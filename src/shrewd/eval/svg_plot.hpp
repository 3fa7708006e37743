#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

// A small SVG plotting helper: line plots with axes, ticks, grid, labels and a legend, and
// plain tables. Output is self-contained SVG 1.1 text that browsers and rsvg-convert render.
namespace shrewd::eval::svg {

struct Series {
  std::string label;
  std::vector<double> x, y;
  bool markers = false;
  bool dashed = false;
  std::vector<std::string> point_labels;  // optional text beside each point ("" for none)
};

// An axis range end left empty is taken from the data and rounded outwards to a tick.
struct Axis {
  std::string label;
  std::optional<double> min, max;
};

// Where the legend goes: a corner inside the plotting area, or Below it (off the curves).
enum class Corner { TopLeft, TopRight, BottomLeft, BottomRight, Below };

struct LinePlot {
  std::string title;
  std::string subtitle;
  Axis x, y;
  std::vector<Series> series;
  Corner legend = Corner::BottomLeft;
  std::string protocol;  // at the foot, wrapped to the width: what was measured on what (queries, database, bits, ties)
  int width = 760, height = 500;  // Below: the legend's rows and the protocol line add to the height
};

struct Table {
  std::string title;
  std::string subtitle;
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
  std::vector<bool> numeric;  // per column: right-aligned
  std::string protocol;       // a line at the foot, as for LinePlot
};

// Grouped bars: one group per category along the x axis (`groups`), one bar per series in each
// group, with an optional error bar of +- errors[g]. A NaN value draws no bar. The y axis starts at
// 0 unless y.min says otherwise or fit_y asks for a range fitted to the bars and their error bars
// (so that small differences show; y.min / y.max still fix their end). The axis starts and ends
// on a labelled tick; the legend
// sits right of the bars. Each bar's tooltip gives its value and error. A group name may have more
// lines ('\n'): the first names the group, the others are notes under it.
struct BarSeries {
  std::string label;
  std::vector<double> values;  // one per group
  std::vector<double> errors;  // empty, or one per group (NaN or 0: no error bar)
};

struct BarChart {
  std::string title;
  std::string subtitle;
  std::string x_label;
  Axis y;
  std::vector<std::string> groups;
  std::vector<BarSeries> series;
  bool fit_y = false;
  std::string protocol;  // a line at the foot, as for LinePlot
  int height = 420;  // the width follows from the number of bars; the protocol line adds to it
};

std::string render(const LinePlot& plot);
std::string render(const Table& table);
std::string render(const BarChart& chart);

// Round tick values (steps of 1, 2 or 5 times a power of ten) covering [low, high], about `count` of them.
std::vector<double> nice_ticks(double low, double high, int count);
// A tick value printed with just the decimals its step needs.
std::string format_tick(double value, double step);
std::string escape_xml(std::string_view text);

}  // namespace shrewd::eval::svg
