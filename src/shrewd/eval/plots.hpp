#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "shrewd/eval/report.hpp"

namespace shrewd::eval {

// The figures of --plots, as SVG text.
std::string pr_curve_svg(const EvaluationReport& report);
std::string hp_curve_svg(const EvaluationReport& report);
std::string per_class_svg(const EvaluationReport& report);
// Needs the mistake metrics (EvaluationReport with class distances).
std::string mistakes_svg(const EvaluationReport& report);

// Writes pr_curve.svg, hp_curve.svg, per_class.svg and, with the mistake metrics, mistakes.svg into
// `directory` (created if missing), each atomically; returns the paths written.
std::vector<std::filesystem::path> write_plots(const EvaluationReport& report, const std::filesystem::path& directory);

}  // namespace shrewd::eval
