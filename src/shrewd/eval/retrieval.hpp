#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "shrewd/codes/code_matrix.hpp"
#include "shrewd/eval/mistakes.hpp"
#include "shrewd/eval/query_scores.hpp"
#include "shrewd/eval/relevance.hpp"

namespace shrewd::eval {

struct EvalOptions {
  Cutoffs cutoffs;
  std::size_t radius = 2;            // precision within Hamming radius r
  bool queries_in_database = false;  // query i is database item i: left out of its own ranking
  int threads = 0;                   // 0: all hardware threads
  // Score the mistakes (mistakes.hpp): meant for single labels with class similarities, where
  // 1 - gain is the class distance D^T and a non-relevant item is another class.
  bool mistakes = false;
};

// Means over the queries of one ranking convention.
struct RankingSummary {
  double map = 0;                     // mAP@map_at
  double mahp = 0;                    // mAHP@ahp_at
  std::vector<double> precision_at;   // mean P@k, parallel to Cutoffs::precision_at
  std::vector<double> recall_at;      // mean R@k
  std::vector<double> hp_curve;       // mean HP@k, k = 1..ahp_at
  std::vector<double> average_precision, ahp;  // per query: AP@map_at, AHP@ahp_at
  std::optional<MistakeSummary> mistakes;      // with EvalOptions::mistakes (Hamming ranking)
};

// Precision and recall of the Hamming ball of one radius, averaged over queries; a query whose
// ball holds no candidate scores precision 0 and is counted in empty_share.
struct RadiusPoint {
  std::size_t radius = 0;
  double precision = 0;
  double recall = 0;
  double empty_share = 0;
};

struct HammingResults {
  RankingSummary index_ties;  // ties broken by ascending database index
  RankingSummary tie_aware;   // expected value over random orders within equal distances
  RadiusPoint at_radius;      // at EvalOptions::radius
  std::vector<RadiusPoint> pr_curve;       // radius 0..K
  std::vector<double> radius_precision;    // per query, at EvalOptions::radius
  std::vector<std::uint8_t> empty_ball;    // per query
  std::size_t queries_without_relevant = 0;
  double seconds = 0;                      // wall time of the evaluation
};

// Ranks the database by Hamming distance for every query (counting by distance: one histogram
// pass, then only the candidates up to the deepest cutoff are placed) and scores both tie
// conventions, the radius precision and the PR curve.
HammingResults evaluate_hamming(CodeSpan queries, CodeSpan database, const Relevance& relevance,
                                const EvalOptions& options);

// Continuous outputs z, one row per item.
struct Features {
  std::string source;
  std::size_t rows = 0, columns = 0;
  std::vector<float> values;  // rows x columns, finite
};

Features load_features(const std::filesystem::path& path);

// Ranks the database by cosine similarity of the continuous outputs (ties by ascending database
// index; a zero vector has cosine 0 with everything) and scores P@k, R@k, mAP and mAHP.
RankingSummary evaluate_cosine(const Features& queries, const Features& database, const Relevance& relevance,
                               const EvalOptions& options, double* seconds = nullptr);

}  // namespace shrewd::eval
