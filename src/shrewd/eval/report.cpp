#include "shrewd/eval/report.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fmt/format.h>
#include <sstream>

namespace shrewd::eval {

namespace {

constexpr const char* kIndexTies = "ties broken by ascending database index (deterministic)";
constexpr const char* kTieAware =
    "expected value over uniformly random orders within each group of equal Hamming distance";

std::string fixed(double v, int decimals = 4) {
  char buffer[48];
  std::snprintf(buffer, sizeof buffer, "%.*f", decimals, v);
  return buffer;
}

std::string signed_fixed(double v) {
  char buffer[48];
  std::snprintf(buffer, sizeof buffer, "%+.4f", v);
  return buffer;
}

std::string percent(double share) { return fixed(100.0 * share, 1) + "%"; }

std::string pad(const std::string& s, std::size_t width, bool right = false) {
  if (s.size() >= width) return s;
  return right ? std::string(width - s.size(), ' ') + s : s + std::string(width - s.size(), ' ');
}

// One row per ranking figure, parallel across the conventions.
struct FigureRow {
  std::string name;
  double index_ties, tie_aware;
  std::optional<double> continuous;
};

std::vector<FigureRow> figure_rows(const EvaluationReport& r) {
  const Cutoffs& c = r.options.cutoffs;
  const RankingSummary &a = r.hamming.index_ties, &b = r.hamming.tie_aware;
  const RankingSummary* z = r.continuous ? &*r.continuous : nullptr;
  auto opt = [&](auto get) { return z ? std::optional<double>(get(*z)) : std::nullopt; };
  std::vector<FigureRow> rows;
  rows.push_back({fmt::format("mAP@{}", c.map_at), a.map, b.map, opt([](auto& s) { return s.map; })});
  rows.push_back({fmt::format("mAHP@{}", c.ahp_at), a.mahp, b.mahp, opt([](auto& s) { return s.mahp; })});
  for (std::size_t i = 0; i < c.precision_at.size(); ++i)
    rows.push_back({fmt::format("P@{}", c.precision_at[i]), a.precision_at[i], b.precision_at[i],
                    opt([&](auto& s) { return s.precision_at[i]; })});
  for (std::size_t i = 0; i < c.precision_at.size(); ++i)
    rows.push_back({fmt::format("R@{}", c.precision_at[i]), a.recall_at[i], b.recall_at[i],
                    opt([&](auto& s) { return s.recall_at[i]; })});
  return rows;
}

nlohmann::json ranking_json(const RankingSummary& s, const Cutoffs& c) {
  nlohmann::json j;
  j["map"] = s.map;
  j["mahp"] = s.mahp;
  for (std::size_t i = 0; i < c.precision_at.size(); ++i) {
    j["precision_at"][std::to_string(c.precision_at[i])] = s.precision_at[i];
    j["recall_at"][std::to_string(c.precision_at[i])] = s.recall_at[i];
  }
  j["hp_curve"] = s.hp_curve;
  if (s.mistakes) {
    const MistakeSummary& m = *s.mistakes;
    for (std::size_t i = 0; i < m.at.size(); ++i) {
      const std::string k = std::to_string(m.at[i]);
      j["mistakes"]["mean_distance"][k] = m.mean_distance[i];
      j["mistakes"]["severity"][k] = std::isnan(m.severity[i]) ? nlohmann::json() : nlohmann::json(m.severity[i]);
      j["mistakes"]["no_mistake_share"][k] = m.no_mistake_share[i];
    }
  }
  return j;
}

// The mistake metrics at every depth under both conventions.
void format_mistakes(std::ostringstream& out, const EvaluationReport& r) {
  if (!r.hamming.index_ties.mistakes) {
    if (!r.mistakes_note.empty()) out << "\nMistake severity: " << r.mistakes_note << "\n";
    return;
  }
  const MistakeSummary &a = *r.hamming.index_ties.mistakes, &b = *r.hamming.tie_aware.mistakes;
  auto severity = [](double v) { return std::isnan(v) ? std::string("-") : fixed(v); };
  out << "\nMistakes: D^T = 1 - class similarity between the query's class and each retrieved item's class;\n"
      << "a mistake is a retrieved item of another class (severity: mean D^T of the mistakes, over the queries\n"
      << "that made one; '-': none did)\n"
      << pad("", 8) << pad("mean D^T of the top k", 24, true) << pad("mistake severity", 24, true)
      << pad("queries without mistake", 26, true) << "\n"
      << pad("k", 8) << pad("by index", 12, true) << pad("tie-aware", 12, true) << pad("by index", 12, true)
      << pad("tie-aware", 12, true) << pad("by index", 14, true) << pad("tie-aware", 12, true) << "\n";
  for (std::size_t i = 0; i < a.at.size(); ++i)
    out << pad(std::to_string(a.at[i]), 8) << pad(fixed(a.mean_distance[i]), 12, true)
        << pad(fixed(b.mean_distance[i]), 12, true) << pad(severity(a.severity[i]), 12, true)
        << pad(severity(b.severity[i]), 12, true) << pad(percent(a.no_mistake_share[i]), 14, true)
        << pad(percent(b.no_mistake_share[i]), 12, true) << "\n";
}

nlohmann::json gap_json(const RankingSummary& continuous, const RankingSummary& binary, const Cutoffs& c) {
  nlohmann::json j;
  j["map"] = continuous.map - binary.map;
  j["mahp"] = continuous.mahp - binary.mahp;
  for (std::size_t i = 0; i < c.precision_at.size(); ++i) {
    j["precision_at"][std::to_string(c.precision_at[i])] = continuous.precision_at[i] - binary.precision_at[i];
    j["recall_at"][std::to_string(c.precision_at[i])] = continuous.recall_at[i] - binary.recall_at[i];
  }
  return j;
}

nlohmann::json statistics_json(const CodeStatistics& s) {
  nlohmann::json j;
  j["count"] = s.count;
  j["bits"] = s.bits;
  j["bit_mean"] = s.bit_mean;
  j["mean_abs_correlation"] = s.mean_abs_correlation;
  j["constant_bits"] = s.constant_bits;
  j["distinct_codes"] = s.distinct_codes;
  j["classes_present"] = s.classes_present;
  j["mean_hamming_within_class"] = s.mean_within_class;
  j["mean_hamming_between_class"] = s.mean_between_class;
  j["within_class_pairs"] = s.within_pairs;
  j["between_class_pairs"] = s.between_pairs;
  j["pairs_sampled"] = s.pairs_sampled;
  if (s.pairs_sampled) j["pair_sample_items"] = s.pair_sample;
  j["looks_like_classifier"] = s.looks_like_classifier;
  j["warning"] = s.warning;
  if (s.semantic_alignment)
    j["semantic_alignment"] = {{"class_pairs", s.semantic_alignment->class_pairs},
                               {"pearson", s.semantic_alignment->pearson},
                               {"spearman", s.semantic_alignment->spearman}};
  return j;
}

void bit_balance(const CodeStatistics& s, double& mean, double& low, double& high) {
  mean = 0;
  low = 1;
  high = 0;
  for (double v : s.bit_mean) {
    mean += v;
    low = std::min(low, v);
    high = std::max(high, v);
  }
  mean = s.bit_mean.empty() ? 0 : mean / double(s.bit_mean.size());
}

}  // namespace

std::vector<ClassRow> per_class_rows(const Relevance& relevance, const HammingResults& hamming,
                                     const RankingSummary* continuous, const std::vector<std::string>& names) {
  std::vector<ClassRow> rows(relevance.class_count());
  std::vector<double> continuous_sum(rows.size(), 0.0);
  std::vector<std::size_t> empty(rows.size(), 0);
  std::vector<std::size_t> classes;
  for (std::size_t q = 0; q < relevance.query_count(); ++q) {
    relevance.query_classes(q, classes);
    for (std::size_t c : classes) {
      ClassRow& row = rows[c];
      ++row.queries;
      row.map_index_ties += hamming.index_ties.average_precision[q];
      row.map_tie_aware += hamming.tie_aware.average_precision[q];
      row.mahp_index_ties += hamming.index_ties.ahp[q];
      row.mahp_tie_aware += hamming.tie_aware.ahp[q];
      row.radius_precision += hamming.radius_precision[q];
      empty[c] += hamming.empty_ball[q];
      if (continuous) continuous_sum[c] += continuous->average_precision[q];
    }
  }
  std::vector<ClassRow> out;
  for (std::size_t c = 0; c < rows.size(); ++c) {
    ClassRow& row = rows[c];
    if (row.queries == 0) continue;
    const double n = double(row.queries);
    row.class_id = c;
    row.name = c < names.size() ? names[c] : "";
    row.map_index_ties /= n;
    row.map_tie_aware /= n;
    row.mahp_index_ties /= n;
    row.mahp_tie_aware /= n;
    row.radius_precision /= n;
    row.empty_share = double(empty[c]) / n;
    if (continuous) row.map_continuous = continuous_sum[c] / n;
    out.push_back(row);
  }
  return out;
}

EvaluationReport evaluate(const EvalInputs& inputs, const EvalOptions& options) {
  EvaluationReport r;
  r.options = options;
  r.options.queries_in_database = inputs.queries_in_database;
  r.queries = inputs.query_codes.size();
  r.database = inputs.database_codes.size();
  r.bits = inputs.database_codes.bits();
  r.queries_in_database = inputs.queries_in_database;
  r.relevance = inputs.relevance->description();
  r.options.mistakes = !inputs.class_similarity.empty();
  if (inputs.query_labels.is_multi())
    r.mistakes_note = "not reported for multi-labels (an item may share some labels and not others, so 'another "
                      "class' is not defined)";
  else if (!r.options.mistakes)
    r.mistakes_note = "not reported: it needs class distances (--hierarchy with --classes, or --similarity); with "
                      "plain labels every mistake is at distance 1 and the mean distance is 1 - P@k";
  r.hamming = evaluate_hamming(inputs.query_codes, inputs.database_codes, *inputs.relevance, r.options);
  if (inputs.query_features)
    r.continuous = evaluate_cosine(*inputs.query_features, *inputs.database_features, *inputs.relevance, r.options,
                                   &r.continuous_seconds);
  r.database_statistics = code_statistics(inputs.database_codes, inputs.database_labels, options.threads);
  if (!inputs.queries_in_database)
    r.query_statistics = code_statistics(inputs.query_codes, inputs.query_labels, options.threads);
  if (!inputs.class_similarity.empty()) {
    const std::size_t classes = inputs.relevance->class_count();
    r.database_statistics.semantic_alignment =
        semantic_alignment(r.database_statistics, inputs.class_similarity, classes);
    if (r.query_statistics)
      r.query_statistics->semantic_alignment =
          semantic_alignment(*r.query_statistics, inputs.class_similarity, classes);
  }
  r.per_class = per_class_rows(*inputs.relevance, r.hamming, r.continuous ? &*r.continuous : nullptr,
                               inputs.class_names);
  return r;
}

std::string format_report(const EvaluationReport& r) {
  std::ostringstream out;
  out << "shrewd eval: " << r.queries << " queries against " << r.database << " database items, " << r.bits
      << "-bit codes\n";
  out << "relevance: " << r.relevance << "\n";
  if (r.queries_in_database) out << "queries are database items: each query is left out of its own ranking\n";
  if (r.hamming.queries_without_relevant)
    out << "queries without any relevant database item: " << r.hamming.queries_without_relevant
        << " (they score 0 in mAP and recall)\n";
  out << "\nRanking by Hamming distance. Columns:\n"
      << "  ties by index  " << kIndexTies << "\n"
      << "  tie-aware      " << kTieAware << "\n";
  if (r.continuous)
    out << "  cosine         the continuous outputs ranked by cosine similarity (ties by index)\n"
        << "  gap            cosine minus tie-aware: what binarisation costs\n";
  out << "\n" << pad("metric", 14) << pad("ties by index", 15, true) << pad("tie-aware", 12, true);
  if (r.continuous) out << pad("cosine", 10, true) << pad("gap", 10, true);
  out << "\n";
  for (const FigureRow& row : figure_rows(r)) {
    out << pad(row.name, 14) << pad(fixed(row.index_ties), 15, true) << pad(fixed(row.tie_aware), 12, true);
    if (row.continuous)
      out << pad(fixed(*row.continuous), 10, true) << pad(signed_fixed(*row.continuous - row.tie_aware), 10, true);
    out << "\n";
  }
  format_mistakes(out, r);

  const RadiusPoint& b = r.hamming.at_radius;
  out << "\nHamming ball of radius " << b.radius << " (no ties involved): precision " << fixed(b.precision)
      << ", recall " << fixed(b.recall) << ", empty balls " << percent(b.empty_share)
      << " of queries (an empty ball scores precision 0)\n";
  out << "PR curve by radius (full curve in the JSON):\n  " << pad("radius", 8) << pad("precision", 11, true)
      << pad("recall", 10, true) << pad("empty", 9, true) << "\n";
  for (const RadiusPoint& p : r.hamming.pr_curve) {
    out << "  " << pad(std::to_string(p.radius), 8) << pad(fixed(p.precision), 11, true)
        << pad(fixed(p.recall), 10, true) << pad(percent(p.empty_share), 9, true) << "\n";
    if (p.recall >= 0.9999 || p.radius >= 12) break;
  }

  out << "\nCode statistics" << pad("", 20) << pad("database", 12, true);
  if (r.query_statistics) out << pad("queries", 12, true);
  out << "\n";
  auto stat = [&](const std::string& name, auto get) {
    out << pad(name, 35) << pad(get(r.database_statistics), 12, true);
    if (r.query_statistics) out << pad(get(*r.query_statistics), 12, true);
    out << "\n";
  };
  stat("codes", [](const CodeStatistics& s) { return std::to_string(s.count); });
  stat("distinct codes", [](const CodeStatistics& s) { return std::to_string(s.distinct_codes); });
  stat("classes present", [](const CodeStatistics& s) { return std::to_string(s.classes_present); });
  stat("bit mean: average", [](const CodeStatistics& s) { double m, l, h; bit_balance(s, m, l, h); return fixed(m, 3); });
  stat("bit mean: lowest", [](const CodeStatistics& s) { double m, l, h; bit_balance(s, m, l, h); return fixed(l, 3); });
  stat("bit mean: highest", [](const CodeStatistics& s) { double m, l, h; bit_balance(s, m, l, h); return fixed(h, 3); });
  stat("constant bits", [](const CodeStatistics& s) { return std::to_string(s.constant_bits); });
  stat("mean |correlation| between bits", [](const CodeStatistics& s) { return fixed(s.mean_abs_correlation, 3); });
  stat("mean Hamming within class", [](const CodeStatistics& s) { return fixed(s.mean_within_class, 2); });
  stat("mean Hamming between classes", [](const CodeStatistics& s) { return fixed(s.mean_between_class, 2); });
  if (r.database_statistics.semantic_alignment) {
    auto alignment = [](double SemanticAlignment::*figure) {
      return [figure](const CodeStatistics& s) {
        return s.semantic_alignment ? fixed((*s.semantic_alignment).*figure, 3) : std::string("-");
      };
    };
    stat("semantic alignment: Spearman", alignment(&SemanticAlignment::spearman));
    stat("semantic alignment: Pearson", alignment(&SemanticAlignment::pearson));
    out << "(semantic alignment: correlation over the " << r.database_statistics.semantic_alignment->class_pairs
        << " pairs of classes between the mean Hamming distance of their codes and 1 - class similarity)\n";
  }
  if (r.database_statistics.pairs_sampled)
    out << "(multi-labels: pair distances over an evenly spread sample of " << r.database_statistics.pair_sample
        << " items; 'within' = sharing a label)\n";
  for (const CodeStatistics* s : {&r.database_statistics, r.query_statistics ? &*r.query_statistics : nullptr})
    if (s && s->looks_like_classifier) out << "WARNING (" << (s == &r.database_statistics ? "database" : "queries")
                                           << "): " << s->warning << "\n";

  if (!r.per_class.empty() && r.per_class.size() <= 40) {
    out << "\nPer class (queries of the class; mAP/mAHP tie-aware)\n"
        << "  " << pad("class", 24) << pad("queries", 9, true) << pad("mAP", 9, true) << pad("mAHP", 9, true)
        << pad(fmt::format("P(r<={})", b.radius), 10, true) << pad("empty", 8, true) << "\n";
    for (const ClassRow& c : r.per_class) {
      std::string name = c.name.empty() ? std::to_string(c.class_id) : fmt::format("{} {}", c.class_id, c.name);
      if (name.size() > 23) name = name.substr(0, 22) + "~";
      out << "  " << pad(name, 24) << pad(std::to_string(c.queries), 9, true) << pad(fixed(c.map_tie_aware), 9, true)
          << pad(fixed(c.mahp_tie_aware), 9, true) << pad(fixed(c.radius_precision), 10, true)
          << pad(percent(c.empty_share), 8, true) << "\n";
    }
  } else if (!r.per_class.empty()) {
    out << "\nPer-class figures for " << r.per_class.size() << " classes: see the JSON or --plots\n";
  }
  out << "\nevaluation took " << fixed(r.hamming.seconds, 2) << " s (Hamming)";
  if (r.continuous) out << " + " << fixed(r.continuous_seconds, 2) << " s (cosine)";
  out << " with " << (r.options.threads > 0 ? std::to_string(r.options.threads) : std::string("all")) << " threads\n";
  return out.str();
}

nlohmann::json report_json(const EvaluationReport& r) {
  const Cutoffs& c = r.options.cutoffs;
  nlohmann::json j;
  j["format"] = "shrewd-eval-1";
  j["files"] = r.files;
  j["queries"] = r.queries;
  j["database"] = r.database;
  j["bits"] = r.bits;
  j["queries_in_database"] = r.queries_in_database;
  j["relevance"] = r.relevance;
  j["options"] = {{"map_at", c.map_at}, {"ahp_at", c.ahp_at}, {"precision_at", c.precision_at},
                  {"radius", r.options.radius}, {"threads", r.options.threads}};
  j["ties"] = {{"index_ties", kIndexTies}, {"tie_aware", kTieAware}};
  j["queries_without_relevant"] = r.hamming.queries_without_relevant;
  if (const auto& m = r.hamming.index_ties.mistakes)
    j["mistakes"] = {{"reported", true},
                     {"at", m->at},
                     {"distance", "D^T = 1 - class similarity of the query's class and the item's class"},
                     {"mistake", "a retrieved item of another class"},
                     {"severity", "mean D^T of the mistakes in the top k, averaged over the queries that made one "
                                  "(null: none did)"}};
  else
    j["mistakes"] = {{"reported", false}, {"reason", r.mistakes_note}};

  nlohmann::json& h = j["hamming"];
  h["index_ties"] = ranking_json(r.hamming.index_ties, c);
  h["tie_aware"] = ranking_json(r.hamming.tie_aware, c);
  const RadiusPoint& b = r.hamming.at_radius;
  h["radius"] = {{"radius", b.radius}, {"precision", b.precision}, {"recall", b.recall}, {"empty_share", b.empty_share}};
  for (const RadiusPoint& p : r.hamming.pr_curve)
    h["pr_curve"].push_back(
        {{"radius", p.radius}, {"precision", p.precision}, {"recall", p.recall}, {"empty_share", p.empty_share}});
  h["seconds"] = r.hamming.seconds;

  if (r.continuous) {
    nlohmann::json& z = j["continuous"];
    z["ranking"] = "cosine similarity of the continuous outputs, ties by ascending database index";
    z["metrics"] = ranking_json(*r.continuous, c);
    z["gap_vs_index_ties"] = gap_json(*r.continuous, r.hamming.index_ties, c);
    z["gap_vs_tie_aware"] = gap_json(*r.continuous, r.hamming.tie_aware, c);
    z["gap_definition"] = "continuous minus binary";
    z["seconds"] = r.continuous_seconds;
  }

  j["code_statistics"]["database"] = statistics_json(r.database_statistics);
  if (r.query_statistics) j["code_statistics"]["queries"] = statistics_json(*r.query_statistics);

  j["per_class"] = nlohmann::json::array();
  for (const ClassRow& row : r.per_class) {
    nlohmann::json e = {{"class", row.class_id},
                        {"name", row.name},
                        {"queries", row.queries},
                        {"map_index_ties", row.map_index_ties},
                        {"map_tie_aware", row.map_tie_aware},
                        {"mahp_index_ties", row.mahp_index_ties},
                        {"mahp_tie_aware", row.mahp_tie_aware},
                        {"radius_precision", row.radius_precision},
                        {"empty_share", row.empty_share}};
    if (row.map_continuous) e["map_continuous"] = *row.map_continuous;
    j["per_class"].push_back(e);
  }
  return j;
}

}  // namespace shrewd::eval
