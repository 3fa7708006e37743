#pragma once

#include <string>

#include <nlohmann/json_fwd.hpp>

namespace shrewd::eval {

// A chart described in JSON, drawn by the SVG plotter (svg_plot.hpp); `shrewd plot` and the
// experiment report use it. Common keys: "type" ("bars" or "lines"), "title", "subtitle",
// "x"/"y" axes {"label", "min", "max"} (for bars only the y range and the x label count), "height".
//   bars:  "groups": [names along x], "series": [{"label", "values": [..], "errors": [..]}], one
//          value (null: no bar) and optionally one error (null or 0: none) per group.
//   lines: "series": [{"label", "x": [..], "y": [..], "markers", "dashed", "point_labels"}],
//          "legend": "top-left" | "top-right" | "bottom-left" | "bottom-right", "width".
// A spec that breaks these rules is an Error naming `where` and the key.
std::string render_plot_spec(const nlohmann::json& spec, const std::string& where);

}  // namespace shrewd::eval
