#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "shrewd/codes/code_matrix.hpp"
#include "shrewd/eval/labels.hpp"

namespace shrewd::eval {

// Statistics of a set of codes (method.md section 8) that expose degenerate solutions.
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
  bool pairs_sampled = false;          // multi-labels: pairs among an evenly spread sample only
  std::size_t pair_sample = 0;         // the sample size when pairs_sampled
  bool looks_like_classifier = false;
  std::string warning;                 // empty unless looks_like_classifier
};

// For multi-labels "same class" means at least one shared label; the pair means are then taken
// over the items of an evenly spaced sample of at most `multi_label_sample` items.
CodeStatistics code_statistics(CodeSpan codes, const Labels& labels, int threads = 0,
                               std::size_t multi_label_sample = 4096);

}  // namespace shrewd::eval
