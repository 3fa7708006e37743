#include "shrewd/eval/svg_plot.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>

namespace shrewd::eval::svg {

namespace {

// Okabe-Ito colours: distinguishable with the common forms of colour blindness.
constexpr const char* kColours[] = {"#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000"};
constexpr double kCharWidth = 7.3;  // average advance of the 12 px sans-serif font (DejaVu is wide)
constexpr const char* kFont = "DejaVu Sans, Helvetica, Arial, sans-serif";

std::string number(double v) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.2f", v);
  return buffer;
}

double text_width(std::string_view text, double font_size = 12) {
  return double(text.size()) * kCharWidth * font_size / 12.0;
}

void open_svg(std::ostringstream& out, int width, int height) {
  out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      << "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"" << width << "\" height=\"" << height
      << "\" viewBox=\"0 0 " << width << ' ' << height << "\" font-family=\"" << kFont << "\" font-size=\"12\">\n"
      << "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n";
}

void text(std::ostringstream& out, double x, double y, std::string_view content, std::string_view anchor = "start",
          std::string_view extra = "") {
  out << "<text x=\"" << number(x) << "\" y=\"" << number(y) << "\" text-anchor=\"" << anchor << '"';
  if (!extra.empty()) out << ' ' << extra;
  out << '>' << escape_xml(content) << "</text>\n";
}

struct Range {
  double low, high;
};

Range data_range(const LinePlot& plot, bool x_axis) {
  const Axis& axis = x_axis ? plot.x : plot.y;
  double low = INFINITY, high = -INFINITY;
  for (const Series& s : plot.series)
    for (double v : x_axis ? s.x : s.y)
      if (std::isfinite(v)) {
        low = std::min(low, v);
        high = std::max(high, v);
      }
  if (!std::isfinite(low)) low = 0, high = 1;
  if (axis.min) low = *axis.min;
  if (axis.max) high = *axis.max;
  if (low == high) {
    low -= 0.5;
    high += 0.5;
  }
  // Open ends snap outwards to the tick grid so that the frame starts and ends on a tick.
  const std::vector<double> ticks = nice_ticks(low, high, x_axis ? 8 : 6);
  if (ticks.size() > 1) {
    const double step = ticks[1] - ticks[0];
    if (!axis.min) low = std::floor(low / step + 1e-9) * step;
    if (!axis.max) high = std::ceil(high / step - 1e-9) * step;
  }
  return {low, high};
}

// The protocol at the foot of a figure, broken at spaces into lines that fit `width` pixels.
std::vector<std::string> protocol_lines(std::string_view protocol, double width) {
  std::vector<std::string> lines;
  std::string line;
  for (std::size_t start = 0; start < protocol.size();) {
    std::size_t end = protocol.find(' ', start);
    if (end == std::string_view::npos) end = protocol.size();
    const std::string word(protocol.substr(start, end - start));
    const std::string longer = line.empty() ? word : line + ' ' + word;
    if (!line.empty() && text_width(longer, 11) > width - 24) {
      lines.push_back(line);
      line = word;
    } else {
      line = longer;
    }
    start = end + 1;
  }
  if (!line.empty()) lines.push_back(line);
  return lines;
}

double protocol_height(const std::vector<std::string>& lines) { return lines.empty() ? 0 : 15 * double(lines.size()) + 8; }

// The protocol's lines below `bottom`, where the rest of the figure ends.
void protocol_text(std::ostringstream& out, double bottom, const std::vector<std::string>& lines) {
  for (std::size_t i = 0; i < lines.size(); ++i)
    text(out, 12, bottom + 15 + 15 * double(i), lines[i], "start", "font-size=\"11\" fill=\"#444\" class=\"protocol\"");
}

// A figure is at least this wide when it has a protocol, so that the protocol takes few lines.
constexpr double kProtocolMinWidth = 640;

std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  for (std::size_t end; (end = text.find('\n', start)) != std::string::npos; start = end + 1)
    lines.push_back(text.substr(start, end - start));
  lines.push_back(text.substr(start));
  return lines;
}

std::string short_number(double v) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.6g", v);
  return buffer;
}

}  // namespace

std::string escape_xml(std::string_view text) {
  std::string out;
  for (char c : text) switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  return out;
}

std::vector<double> nice_ticks(double low, double high, int count) {
  if (!(high > low) || count < 1) return {low};
  const double raw = (high - low) / count;
  const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
  double step = magnitude;
  for (double m : {1.0, 2.0, 5.0, 10.0})
    if (m * magnitude >= raw) {
      step = m * magnitude;
      break;
    }
  std::vector<double> ticks;
  for (double t = std::ceil(low / step - 1e-9) * step; t <= high + step * 1e-9; t += step)
    ticks.push_back(std::abs(t) < step * 1e-9 ? 0.0 : t);
  return ticks;
}

std::string format_tick(double value, double step) {
  const int decimals = step >= 1 ? 0 : int(std::ceil(-std::log10(step) - 1e-9));
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.*f", decimals, value);
  return buffer;
}

std::string render(const LinePlot& plot) {
  std::ostringstream out;
  const bool below = plot.legend == Corner::Below && !plot.series.empty();
  const double legend_height = below ? 18 * double(plot.series.size()) + 12 : 0;
  const double content_bottom = plot.height + legend_height;
  const std::vector<std::string> protocol = protocol_lines(plot.protocol, plot.width);
  open_svg(out, plot.width, int(std::ceil(content_bottom + protocol_height(protocol))));
  const Range xr = data_range(plot, true), yr = data_range(plot, false);
  const std::vector<double> xt = nice_ticks(xr.low, xr.high, 8), yt = nice_ticks(yr.low, yr.high, 6);
  const double xstep = xt.size() > 1 ? xt[1] - xt[0] : 1, ystep = yt.size() > 1 ? yt[1] - yt[0] : 1;
  // The y axis title sits left of the widest tick label.
  double widest_tick = 0;
  for (double t : yt) widest_tick = std::max(widest_tick, text_width(format_tick(t, ystep)));
  const double left = std::max(72.0, widest_tick + 44), right = 24, top = plot.subtitle.empty() ? 48 : 64, bottom = 58;
  const double x0 = left, x1 = plot.width - right, y0 = plot.height - bottom, y1 = top;

  const auto px = [&](double v) { return x0 + (v - xr.low) / (xr.high - xr.low) * (x1 - x0); };
  const auto py = [&](double v) { return y0 - (v - yr.low) / (yr.high - yr.low) * (y0 - y1); };

  text(out, plot.width / 2.0, 26, plot.title, "middle", "font-size=\"16\" font-weight=\"bold\"");
  if (!plot.subtitle.empty()) text(out, plot.width / 2.0, 45, plot.subtitle, "middle", "fill=\"#555\"");

  // Grid and ticks.
  out << "<g stroke=\"#e3e3e3\" stroke-width=\"1\">\n";
  for (double t : xt)
    out << "<line x1=\"" << number(px(t)) << "\" y1=\"" << number(y1) << "\" x2=\"" << number(px(t)) << "\" y2=\""
        << number(y0) << "\"/>\n";
  for (double t : yt)
    out << "<line x1=\"" << number(x0) << "\" y1=\"" << number(py(t)) << "\" x2=\"" << number(x1) << "\" y2=\""
        << number(py(t)) << "\"/>\n";
  out << "</g>\n<g stroke=\"#333\" stroke-width=\"1\">\n";
  for (double t : xt)
    out << "<line x1=\"" << number(px(t)) << "\" y1=\"" << number(y0) << "\" x2=\"" << number(px(t)) << "\" y2=\""
        << number(y0 + 5) << "\"/>\n";
  for (double t : yt)
    out << "<line x1=\"" << number(x0 - 5) << "\" y1=\"" << number(py(t)) << "\" x2=\"" << number(x0) << "\" y2=\""
        << number(py(t)) << "\"/>\n";
  out << "</g>\n";
  for (double t : xt) text(out, px(t), y0 + 19, format_tick(t, xstep), "middle");
  for (double t : yt) text(out, x0 - 9, py(t) + 4, format_tick(t, ystep), "end");
  out << "<rect x=\"" << number(x0) << "\" y=\"" << number(y1) << "\" width=\"" << number(x1 - x0) << "\" height=\""
      << number(y0 - y1) << "\" fill=\"none\" stroke=\"#333\"/>\n";

  // Axis labels.
  text(out, (x0 + x1) / 2, plot.height - 16, plot.x.label, "middle", "font-size=\"13\"");
  const double yc = (y0 + y1) / 2;
  text(out, 20, yc, plot.y.label, "middle",
       "font-size=\"13\" transform=\"rotate(-90 20 " + number(yc) + ")\"");

  // Series, clipped to the plotting area.
  out << "<defs><clipPath id=\"area\"><rect x=\"" << number(x0) << "\" y=\"" << number(y1 - 4) << "\" width=\""
      << number(x1 - x0) << "\" height=\"" << number(y0 - y1 + 8) << "\"/></clipPath></defs>\n"
      << "<g clip-path=\"url(#area)\">\n";
  for (std::size_t i = 0; i < plot.series.size(); ++i) {
    const Series& s = plot.series[i];
    const char* colour = kColours[i % std::size(kColours)];
    const std::size_t n = std::min(s.x.size(), s.y.size());
    out << "<polyline fill=\"none\" stroke=\"" << colour << "\" stroke-width=\"2\" stroke-linejoin=\"round\"";
    if (s.dashed) out << " stroke-dasharray=\"7 4\"";
    out << " points=\"";
    for (std::size_t p = 0; p < n; ++p) out << (p ? " " : "") << number(px(s.x[p])) << ',' << number(py(s.y[p]));
    out << "\"/>\n";
    if (s.markers)
      for (std::size_t p = 0; p < n; ++p)
        out << "<circle cx=\"" << number(px(s.x[p])) << "\" cy=\"" << number(py(s.y[p])) << "\" r=\"3.2\" fill=\""
            << colour << "\"/>\n";
  }
  out << "</g>\n";

  // Point labels beside their points, inside the frame, skipping any that would sit on the previous one.
  for (const Series& s : plot.series) {
    double last_x = -1e9, last_y = -1e9;
    for (std::size_t p = 0; p < std::min({s.x.size(), s.y.size(), s.point_labels.size()}); ++p) {
      if (s.point_labels[p].empty()) continue;
      const double lx = px(s.x[p]), ly = py(s.y[p]);
      if (lx < x0 - 1 || lx > x1 + 1 || ly < y1 - 1 || ly > y0 + 1) continue;
      if (std::hypot(lx - last_x, ly - last_y) < 16) continue;
      const bool flip_x = lx + 6 + text_width(s.point_labels[p], 10) > x1 - 2;
      const bool flip_y = ly - 16 < y1;
      text(out, flip_x ? lx - 6 : lx + 6, flip_y ? ly + 15 : ly - 6, s.point_labels[p], flip_x ? "end" : "start",
           "font-size=\"10\" fill=\"#333\"");
      last_x = lx;
      last_y = ly;
    }
  }

  // Legend: rows under the x axis label, or a box in the chosen corner.
  out << "<g class=\"legend\">\n";
  if (below) {
    for (std::size_t i = 0; i < plot.series.size(); ++i) {
      const double cy = plot.height + 6 + 18 * double(i);
      const char* colour = kColours[i % std::size(kColours)];
      out << "<line x1=\"" << number(x0) << "\" y1=\"" << number(cy) << "\" x2=\"" << number(x0 + 26) << "\" y2=\""
          << number(cy) << "\" stroke=\"" << colour << "\" stroke-width=\"2\""
          << (plot.series[i].dashed ? " stroke-dasharray=\"7 4\"" : "") << "/>\n";
      if (plot.series[i].markers)
        out << "<circle cx=\"" << number(x0 + 13) << "\" cy=\"" << number(cy) << "\" r=\"3.2\" fill=\"" << colour << "\"/>\n";
      text(out, x0 + 32, cy + 4, plot.series[i].label);
    }
  } else if (!plot.series.empty()) {
    double widest = 0;
    for (const Series& s : plot.series) widest = std::max(widest, text_width(s.label));
    const double row = 18, w = widest + 48, h = row * double(plot.series.size()) + 10;
    const bool at_left = plot.legend == Corner::TopLeft || plot.legend == Corner::BottomLeft;
    const bool at_top = plot.legend == Corner::TopLeft || plot.legend == Corner::TopRight;
    const double lx = at_left ? x0 + 10 : x1 - 10 - w, ly = at_top ? y1 + 10 : y0 - 10 - h;
    out << "<rect x=\"" << number(lx) << "\" y=\"" << number(ly) << "\" width=\"" << number(w) << "\" height=\""
        << number(h) << "\" fill=\"white\" fill-opacity=\"0.92\" stroke=\"#bbb\"/>\n";
    for (std::size_t i = 0; i < plot.series.size(); ++i) {
      const double cy = ly + 5 + row * (double(i) + 0.5);
      const char* colour = kColours[i % std::size(kColours)];
      out << "<line x1=\"" << number(lx + 8) << "\" y1=\"" << number(cy) << "\" x2=\"" << number(lx + 34)
          << "\" y2=\"" << number(cy) << "\" stroke=\"" << colour << "\" stroke-width=\"2\""
          << (plot.series[i].dashed ? " stroke-dasharray=\"7 4\"" : "") << "/>\n";
      if (plot.series[i].markers)
        out << "<circle cx=\"" << number(lx + 21) << "\" cy=\"" << number(cy) << "\" r=\"3.2\" fill=\"" << colour
            << "\"/>\n";
      text(out, lx + 40, cy + 4, plot.series[i].label);
    }
  }
  out << "</g>\n";
  protocol_text(out, content_bottom, protocol);
  out << "</svg>\n";
  return out.str();
}

std::string render(const Table& table) {
  const std::size_t columns = table.header.size();
  std::vector<double> widths(columns, 0);
  for (std::size_t c = 0; c < columns; ++c) {
    widths[c] = text_width(table.header[c]) * 1.12;  // bold is wider
    for (const auto& row : table.rows)
      if (c < row.size()) widths[c] = std::max(widths[c], text_width(row[c]));
    widths[c] += 24;
  }
  double total = 0;
  for (double w : widths) total += w;
  const double margin = 20, row_height = 22, top = table.subtitle.empty() ? 44 : 62;
  const double width = std::max({total + 2 * margin, std::max(text_width(table.title, 16), text_width(table.subtitle)) + 2 * margin,
                                table.protocol.empty() ? 0.0 : kProtocolMinWidth});
  const double height = top + row_height * double(table.rows.size() + 1) + margin;
  const std::vector<std::string> protocol = protocol_lines(table.protocol, width);

  std::ostringstream out;
  open_svg(out, int(std::ceil(width)), int(std::ceil(height + protocol_height(protocol))));
  text(out, margin, 26, table.title, "start", "font-size=\"16\" font-weight=\"bold\"");
  if (!table.subtitle.empty()) text(out, margin, 45, table.subtitle, "start", "fill=\"#555\"");

  auto draw_row = [&](const std::vector<std::string>& cells, double y, bool header) {
    double x = margin;
    for (std::size_t c = 0; c < columns; ++c) {
      const bool right = c < table.numeric.size() && table.numeric[c];
      const std::string cell = c < cells.size() ? cells[c] : "";
      text(out, right ? x + widths[c] - 10 : x + 10, y + 15, cell, right ? "end" : "start",
           header ? "font-weight=\"bold\"" : "");
      x += widths[c];
    }
  };
  for (std::size_t r = 0; r < table.rows.size(); ++r)
    if (r % 2 == 1)
      out << "<rect x=\"" << number(margin) << "\" y=\"" << number(top + row_height * double(r + 1)) << "\" width=\""
          << number(total) << "\" height=\"" << number(row_height) << "\" fill=\"#f2f5f9\"/>\n";
  draw_row(table.header, top, true);
  out << "<line x1=\"" << number(margin) << "\" y1=\"" << number(top + row_height) << "\" x2=\"" << number(margin + total)
      << "\" y2=\"" << number(top + row_height) << "\" stroke=\"#333\"/>\n";
  for (std::size_t r = 0; r < table.rows.size(); ++r) draw_row(table.rows[r], top + row_height * double(r + 1), false);
  protocol_text(out, height - 6, protocol);
  out << "</svg>\n";
  return out.str();
}

std::string render(const BarChart& chart) {
  // The y range: from 0 (or y.min) to the highest bar plus its error (or y.max), snapped to ticks;
  // fit_y: from the lowest to the highest bar with their errors, with a margin.
  double low = chart.fit_y ? INFINITY : chart.y.min.value_or(0.0), high = chart.fit_y ? -INFINITY : low;
  for (const BarSeries& s : chart.series)
    for (std::size_t g = 0; g < s.values.size(); ++g) {
      if (!std::isfinite(s.values[g])) continue;
      const double error = g < s.errors.size() && std::isfinite(s.errors[g]) ? s.errors[g] : 0.0;
      high = std::max(high, s.values[g] + error);
      low = std::min(low, s.values[g] - error);
    }
  if (chart.fit_y && std::isfinite(low)) {
    const double margin = high > low ? 0.15 * (high - low) : std::max(0.05 * std::abs(high), 1e-3);
    low = low >= 0 ? std::max(0.0, low - margin) : low - margin;
    high += margin;
  }
  if (!std::isfinite(low)) low = 0, high = 1;
  if (chart.y.min) low = *chart.y.min;
  if (chart.y.max) high = *chart.y.max;
  if (!(high > low)) high = low + 1;
  std::vector<double> yt = nice_ticks(low, high, 6);
  const double ystep = yt.size() > 1 ? yt[1] - yt[0] : 1;
  if (yt.size() > 1) {  // open ends snap outwards to the step, so that the axis starts and ends on a labelled tick
    if (!chart.y.min) low = std::floor(low / ystep + 1e-9) * ystep;
    if (!chart.y.max) high = std::ceil(high / ystep - 1e-9) * ystep;
    yt.clear();
    for (double t = std::ceil(low / ystep - 1e-9) * ystep; t <= high + ystep * 1e-9; t += ystep)
      yt.push_back(std::abs(t) < ystep * 1e-9 ? 0.0 : t);
  }
  double widest_tick = 0;  // the y axis title sits left of the widest tick label
  for (double t : yt) widest_tick = std::max(widest_tick, text_width(format_tick(t, ystep)));

  // Group labels may have several lines ('\n'); the bottom margin grows with them.
  std::size_t label_lines = 1;
  for (const std::string& g : chart.groups) label_lines = std::max(label_lines, split_lines(g).size());
  const double bar = 22, group_gap = 26, left = std::max(72.0, widest_tick + 44), top = chart.subtitle.empty() ? 48 : 64,
               bottom = 58 + 14 * double(label_lines - 1);
  double widest = 0;
  for (const BarSeries& s : chart.series) widest = std::max(widest, text_width(s.label));
  const double legend_width = chart.series.empty() ? 0 : widest + 40;
  const double groups = double(std::max<std::size_t>(chart.groups.size(), 1));
  const double group_width = double(std::max<std::size_t>(chart.series.size(), 1)) * bar + group_gap;
  const double x0 = left, x1 = x0 + groups * group_width;
  const double title_width = std::max(text_width(chart.title, 16), text_width(chart.subtitle)) + 40;
  const int width = int(std::ceil(std::max({x1 + 24 + legend_width + 16, title_width,
                                            chart.protocol.empty() ? 0.0 : kProtocolMinWidth})));
  const std::vector<std::string> protocol = protocol_lines(chart.protocol, width);
  const double y0 = chart.height - bottom, y1 = top;

  const auto py = [&](double v) { return y0 - (std::clamp(v, low, high) - low) / (high - low) * (y0 - y1); };

  std::ostringstream out;
  open_svg(out, width, int(std::ceil(chart.height + protocol_height(protocol))));
  text(out, width / 2.0, 26, chart.title, "middle", "font-size=\"16\" font-weight=\"bold\"");
  if (!chart.subtitle.empty()) text(out, width / 2.0, 45, chart.subtitle, "middle", "fill=\"#555\"");

  out << "<g stroke=\"#e3e3e3\" stroke-width=\"1\">\n";
  for (double t : yt)
    out << "<line x1=\"" << number(x0) << "\" y1=\"" << number(py(t)) << "\" x2=\"" << number(x1) << "\" y2=\""
        << number(py(t)) << "\"/>\n";
  out << "</g>\n<g stroke=\"#333\" stroke-width=\"1\">\n";
  for (double t : yt)
    out << "<line x1=\"" << number(x0 - 5) << "\" y1=\"" << number(py(t)) << "\" x2=\"" << number(x0) << "\" y2=\""
        << number(py(t)) << "\"/>\n";
  out << "</g>\n";
  for (double t : yt) text(out, x0 - 9, py(t) + 4, format_tick(t, ystep), "end");

  for (std::size_t g = 0; g < chart.groups.size(); ++g) {
    const double gx = x0 + group_gap / 2 + double(g) * group_width;
    const std::vector<std::string> label = split_lines(chart.groups[g]);
    for (std::size_t l = 0; l < label.size(); ++l)
      text(out, gx + (group_width - group_gap) / 2, y0 + 19 + 14 * double(l), label[l], "middle",
           l ? "font-size=\"11\" fill=\"#555\"" : "");
    for (std::size_t i = 0; i < chart.series.size(); ++i) {
      const BarSeries& s = chart.series[i];
      if (g >= s.values.size() || !std::isfinite(s.values[g])) continue;
      const char* colour = kColours[i % std::size(kColours)];
      const double bx = gx + double(i) * bar, top_y = py(std::max(s.values[g], low)), base = py(std::max(low, 0.0));
      const double y_top = std::min(top_y, base), h = std::abs(base - top_y);
      const double error = g < s.errors.size() && std::isfinite(s.errors[g]) ? s.errors[g] : 0.0;
      out << "<rect x=\"" << number(bx) << "\" y=\"" << number(y_top) << "\" width=\"" << number(bar - 4)
          << "\" height=\"" << number(h) << "\" fill=\"" << colour << "\"><title>"
          << escape_xml(s.label + ", " + split_lines(chart.groups[g]).front() + ": " + short_number(s.values[g]) +
                        (error > 0 ? " ± " + short_number(error) : ""))
          << "</title></rect>\n";
      if (error > 0) {
        const double cx = bx + (bar - 4) / 2;
        out << "<line x1=\"" << number(cx) << "\" y1=\"" << number(py(s.values[g] + error)) << "\" x2=\"" << number(cx)
            << "\" y2=\"" << number(py(s.values[g] - error)) << "\" stroke=\"#222\" stroke-width=\"1.2\"/>\n";
        for (double v : {s.values[g] + error, s.values[g] - error})
          out << "<line x1=\"" << number(cx - 4) << "\" y1=\"" << number(py(v)) << "\" x2=\"" << number(cx + 4)
              << "\" y2=\"" << number(py(v)) << "\" stroke=\"#222\" stroke-width=\"1.2\"/>\n";
      }
    }
  }
  out << "<rect x=\"" << number(x0) << "\" y=\"" << number(y1) << "\" width=\"" << number(x1 - x0) << "\" height=\""
      << number(y0 - y1) << "\" fill=\"none\" stroke=\"#333\"/>\n";
  text(out, (x0 + x1) / 2, chart.height - 16, chart.x_label, "middle", "font-size=\"13\"");
  const double yc = (y0 + y1) / 2;
  text(out, 20, yc, chart.y.label, "middle", "font-size=\"13\" transform=\"rotate(-90 20 " + number(yc) + ")\"");

  for (std::size_t i = 0; i < chart.series.size(); ++i) {
    const double lx = x1 + 24, ly = y1 + 4 + 18 * double(i);
    out << "<rect x=\"" << number(lx) << "\" y=\"" << number(ly) << "\" width=\"12\" height=\"12\" fill=\""
        << kColours[i % std::size(kColours)] << "\"/>\n";
    text(out, lx + 18, ly + 11, chart.series[i].label);
  }
  protocol_text(out, chart.height, protocol);
  out << "</svg>\n";
  return out.str();
}

}  // namespace shrewd::eval::svg
