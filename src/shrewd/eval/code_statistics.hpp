#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "shrewd/codes/code_matrix.hpp"
#include "shrewd/eval/labels.hpp"

namespace shrewd::eval {

// Do the codes' distances follow the semantics (the method's first aim)? Over the pairs of
// different classes present in the codes: the correlation between the mean Hamming distance of
// their codes and the target distance 1 - similarity(a, b) (similarity: C x C, row-major).
struct SemanticAlignment {
  std::size_t class_pairs = 0;
  double pearson = 0;
  double spearman = 0;  // Pearson of the ranks, ties given their mean rank
};

// Statistics of a set of codes (docs/method.md §8.10) that expose degenerate solutions.
struct CodeStatistics {
  std::size_t count = 0, bits = 0;
  std::vector<double> bit_mean;        // fraction of codes with bit j set
  double mean_abs_correlation = 0;     // mean |Pearson correlation| over pairs of non-constant bits
  std::size_t constant_bits = 0;       // bits that never or always fire (left out of the correlation)
  std::size_t distinct_codes = 0;
  std::size_t classes_present = 0;     // classes with at least one item
  double mean_within_class = 0;        // mean Hamming distance over pairs of the same class
  double mean_between_class = 0;       // ... over pairs of different classes
  double within_pairs = 0, between_pairs = 0;  // the number of pairs behind each mean
  // Single labels: C x C (C = label_classes), mean Hamming distance between the codes of class a
  // and those of class b (pairs of distinct items; -1 where a class has too few items). Empty for
  // multi-labels.
  std::size_t label_classes = 0;
  std::vector<double> class_pair_distance;
  bool pairs_sampled = false;          // multi-labels: pairs among an evenly spread sample only
  std::size_t pair_sample = 0;         // the sample size when pairs_sampled
  bool looks_like_classifier = false;
  std::string warning;                 // empty unless looks_like_classifier
  std::optional<SemanticAlignment> semantic_alignment;  // set by eval::evaluate given a class similarity
};

// For multi-labels "same class" means at least one shared label; the pair means are then taken
// over the items of an evenly spaced sample of at most `multi_label_sample` items.
CodeStatistics code_statistics(CodeSpan codes, const Labels& labels, int threads = 0,
                               std::size_t multi_label_sample = 4096);

// semantic_alignment(statistics, similarity, C): nullopt when there are fewer than 3 class pairs or either side is constant (e.g. flat labels,
// where every pair of classes is equally far apart, or codes that put all classes alike).
std::optional<SemanticAlignment> semantic_alignment(const CodeStatistics& statistics,
                                                    std::span<const float> similarity, std::size_t classes);

}  // namespace shrewd::eval
