#pragma once

#include <string>

#include <nlohmann/json_fwd.hpp>

namespace shrewd::eval {

// A chart described in JSON, drawn by the SVG plotter (svg_plot.hpp); `shrewd plot` and the
// experiment report use it. Common keys: "type" ("bars" or "lines"), "title", "subtitle",
// "protocol" (a line at the foot), "x"/"y" axes {"label", "min", "max"} (for bars only the y range
// and the x label count), "height".
//   bars:  "groups": [names along x], "series": [{"label", "values": [..], "errors": [..]}], one
//          value (null: no bar) and optionally one error (null or 0: none) per group;
//          "y": {"fit": true} fits the y range to the bars and error bars instead of starting at 0
//          (a "min" or "max" given beside it still fixes that end).
//   lines: "series": [{"label", "x": [..], "y": [..], "markers", "dashed", "point_labels"}],
//          "legend": "top-left" | "top-right" | "bottom-left" | "bottom-right" | "below", "width".
// A spec that breaks these rules is an Error naming `where` and the key.
std::string render_plot_spec(const nlohmann::json& spec, const std::string& where);

}  // namespace shrewd::eval
