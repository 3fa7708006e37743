#include "shrewd/eval/code_statistics.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>
#include <fmt/format.h>
#include <numeric>

#include "shrewd/common/error.hpp"
#include "shrewd/common/parallel.hpp"

namespace shrewd::eval {

namespace {

// Bit j of every code as a bitset over the items: co-occurrence counts become AND + popcount.
std::vector<std::uint64_t> bit_columns(CodeSpan codes, std::size_t& words_per_column) {
  words_per_column = (codes.count + 63) / 64;
  std::vector<std::uint64_t> columns(codes.bits * words_per_column, 0);
  for (std::size_t i = 0; i < codes.count; ++i)
    for (std::size_t j = 0; j < codes.bits; ++j)
      if (codes.bit(i, j)) columns[j * words_per_column + i / 64] |= std::uint64_t{1} << (i % 64);
  return columns;
}

void bit_balance_and_correlation(CodeSpan codes, int threads, CodeStatistics& s) {
  const std::size_t n = codes.count, bits = codes.bits;
  std::size_t words = 0;
  const std::vector<std::uint64_t> columns = bit_columns(codes, words);
  std::vector<std::size_t> ones(bits, 0);
  s.bit_mean.assign(bits, 0.0);
  for (std::size_t j = 0; j < bits; ++j) {
    for (std::size_t w = 0; w < words; ++w) ones[j] += std::size_t(std::popcount(columns[j * words + w]));
    s.bit_mean[j] = n ? double(ones[j]) / double(n) : 0.0;
  }
  std::vector<std::size_t> varying;
  for (std::size_t j = 0; j < bits; ++j)
    if (ones[j] > 0 && ones[j] < n) varying.push_back(j);
  s.constant_bits = bits - varying.size();

  // Sum of |correlation| per first bit of the pair, then added in order (thread-count independent).
  std::vector<double> row_sums(varying.size(), 0.0);
  parallel_for(varying.size(), threads, [&](std::size_t begin, std::size_t end) {
    for (std::size_t a = begin; a < end; ++a) {
      const std::uint64_t* ca = columns.data() + varying[a] * words;
      const double pa = s.bit_mean[varying[a]];
      for (std::size_t b = a + 1; b < varying.size(); ++b) {
        const std::uint64_t* cb = columns.data() + varying[b] * words;
        std::size_t both = 0;
        for (std::size_t w = 0; w < words; ++w) both += std::size_t(std::popcount(ca[w] & cb[w]));
        const double pb = s.bit_mean[varying[b]];
        const double covariance = double(both) / double(n) - pa * pb;
        row_sums[a] += std::abs(covariance) / std::sqrt(pa * (1 - pa) * pb * (1 - pb));
      }
    }
  });
  const double pairs = double(varying.size()) * double(varying.size() - (varying.empty() ? 0 : 1)) / 2;
  s.mean_abs_correlation = pairs > 0 ? std::accumulate(row_sums.begin(), row_sums.end(), 0.0) / pairs : 0.0;
}

std::size_t distinct_codes(CodeSpan codes) {
  std::vector<std::uint32_t> order(codes.count);
  std::iota(order.begin(), order.end(), 0u);
  const std::size_t bytes = codes.words_per_code() * sizeof(std::uint64_t);
  auto less = [&](std::uint32_t a, std::uint32_t b) { return std::memcmp(codes.code(a), codes.code(b), bytes) < 0; };
  std::sort(order.begin(), order.end(), less);
  std::size_t distinct = codes.count ? 1 : 0;
  for (std::size_t i = 1; i < order.size(); ++i)
    distinct += std::memcmp(codes.code(order[i - 1]), codes.code(order[i]), bytes) != 0;
  return distinct;
}

// Single labels: the sum of Hamming distances over the pairs of two classes is, bit by bit,
// ones x zeros across them, so every class-pair mean (and the within- and between-class means)
// follows exactly from per-class bit counts.
void class_distances(CodeSpan codes, const Labels& labels, CodeStatistics& s) {
  const std::size_t classes = static_cast<std::size_t>(labels.max_label() + 1), bits = codes.bits;
  std::vector<double> ones(classes * bits, 0.0);
  std::vector<double> members(classes, 0.0);
  for (std::size_t i = 0; i < codes.count; ++i) {
    const std::size_t c = static_cast<std::size_t>(labels.label(i));
    members[c] += 1;
    for (std::size_t j = 0; j < bits; ++j)
      if (codes.bit(i, j)) ones[c * bits + j] += 1;
  }
  for (double m : members) s.classes_present += m > 0;

  double within = 0, between = 0;
  s.label_classes = classes;
  s.class_pair_distance.assign(classes * classes, -1.0);
  for (std::size_t a = 0; a < classes; ++a)
    for (std::size_t b = a; b < classes; ++b) {
      const double pairs = a == b ? members[a] * (members[a] - 1) / 2 : members[a] * members[b];
      if (pairs <= 0) continue;
      double sum = 0;
      for (std::size_t j = 0; j < bits; ++j) {
        const double ones_a = ones[a * bits + j], ones_b = ones[b * bits + j];
        sum += a == b ? ones_a * (members[a] - ones_a) : ones_a * (members[b] - ones_b) + (members[a] - ones_a) * ones_b;
      }
      (a == b ? within : between) += sum;
      (a == b ? s.within_pairs : s.between_pairs) += pairs;
      s.class_pair_distance[a * classes + b] = s.class_pair_distance[b * classes + a] = sum / pairs;
    }
  s.mean_within_class = s.within_pairs > 0 ? within / s.within_pairs : 0.0;
  s.mean_between_class = s.between_pairs > 0 ? between / s.between_pairs : 0.0;
}

void multi_label_distances(CodeSpan codes, const Labels& labels, std::size_t sample, int threads,
                           CodeStatistics& s) {
  std::vector<std::size_t> items;
  const std::size_t n = codes.count;
  const std::size_t take = std::min(n, sample);
  for (std::size_t t = 0; t < take; ++t) items.push_back(t * n / take);
  s.pairs_sampled = take < n;
  s.pair_sample = take;
  std::vector<std::uint8_t> used(labels.columns(), 0);
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t c = 0; c < labels.columns(); ++c) used[c] |= labels.has_class(i, c);
  for (auto u : used) s.classes_present += u;

  struct Sums {
    double within = 0, between = 0, within_pairs = 0, between_pairs = 0;
  };
  std::vector<Sums> per_item(take);
  const std::size_t words = labels.words(), code_words = codes.words_per_code();
  parallel_for(take, threads, [&](std::size_t begin, std::size_t end) {
    for (std::size_t a = begin; a < end; ++a)
      for (std::size_t b = a + 1; b < take; ++b) {
        const std::uint64_t *la = labels.label_set(items[a]), *lb = labels.label_set(items[b]);
        bool shared = false;
        for (std::size_t w = 0; w < words; ++w) shared |= (la[w] & lb[w]) != 0;
        int distance = 0;
        for (std::size_t w = 0; w < code_words; ++w)
          distance += std::popcount(codes.code(items[a])[w] ^ codes.code(items[b])[w]);
        Sums& sum = per_item[a];
        (shared ? sum.within : sum.between) += distance;
        (shared ? sum.within_pairs : sum.between_pairs) += 1;
      }
  });
  Sums total;
  for (const Sums& p : per_item) {
    total.within += p.within;
    total.between += p.between;
    total.within_pairs += p.within_pairs;
    total.between_pairs += p.between_pairs;
  }
  s.within_pairs = total.within_pairs;
  s.between_pairs = total.between_pairs;
  s.mean_within_class = total.within_pairs > 0 ? total.within / total.within_pairs : 0.0;
  s.mean_between_class = total.between_pairs > 0 ? total.between / total.between_pairs : 0.0;
}

double pearson(const std::vector<double>& x, const std::vector<double>& y) {
  const double n = double(x.size());
  const double mx = std::accumulate(x.begin(), x.end(), 0.0) / n, my = std::accumulate(y.begin(), y.end(), 0.0) / n;
  double sxy = 0, sxx = 0, syy = 0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) * (x[i] - mx);
    syy += (y[i] - my) * (y[i] - my);
  }
  return sxx > 0 && syy > 0 ? sxy / std::sqrt(sxx * syy) : std::nan("");
}

std::vector<double> ranks(const std::vector<double>& x) {
  std::vector<std::size_t> order(x.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return x[a] < x[b]; });
  std::vector<double> rank(x.size());
  for (std::size_t i = 0; i < order.size();) {
    std::size_t end = i;
    while (end < order.size() && x[order[end]] == x[order[i]]) ++end;
    for (std::size_t t = i; t < end; ++t) rank[order[t]] = double(i + end - 1) / 2;
    i = end;
  }
  return rank;
}

}  // namespace

std::optional<SemanticAlignment> semantic_alignment(const CodeStatistics& statistics,
                                                    std::span<const float> similarity, std::size_t classes) {
  if (similarity.size() != classes * classes)
    fail("semantic_alignment", fmt::format("the similarity matrix has {} values, not {} x {}",
                                           similarity.size(), classes, classes));
  const std::vector<double>& codes = statistics.class_pair_distance;
  const std::size_t known = statistics.label_classes;
  if (known > classes)
    fail("semantic_alignment", fmt::format("the codes have labels up to class {} but the similarity matrix has only "
                                           "{} classes", known - 1, classes));
  std::vector<double> code_distance, target_distance;
  for (std::size_t a = 0; a < known; ++a)
    for (std::size_t b = a + 1; b < known; ++b)
      if (codes[a * known + b] >= 0) {
        code_distance.push_back(codes[a * known + b]);
        target_distance.push_back(1.0 - double(similarity[a * classes + b]));
      }
  if (code_distance.size() < 3) return std::nullopt;
  SemanticAlignment alignment;
  alignment.class_pairs = code_distance.size();
  alignment.pearson = pearson(code_distance, target_distance);
  alignment.spearman = pearson(ranks(code_distance), ranks(target_distance));
  if (std::isnan(alignment.pearson) || std::isnan(alignment.spearman)) return std::nullopt;
  return alignment;
}

CodeStatistics code_statistics(CodeSpan codes, const Labels& labels, int threads, std::size_t multi_label_sample) {
  if (labels.size() != codes.count)
    fail(labels.source(), fmt::format("has {} labels but there are {} codes", labels.size(), codes.count));
  CodeStatistics s;
  s.count = codes.count;
  s.bits = codes.bits;
  bit_balance_and_correlation(codes, threads, s);
  s.distinct_codes = distinct_codes(codes);
  if (labels.is_multi())
    multi_label_distances(codes, labels, multi_label_sample, threads, s);
  else
    class_distances(codes, labels, s);

  // A classifier squeezed into K bits puts each class on (about) one code: few distinct codes,
  // about one per class, although there are many more items than classes.
  if (s.classes_present > 0 && s.distinct_codes <= 2 * s.classes_present && s.count >= 10 * s.classes_present) {
    s.looks_like_classifier = true;
    s.warning = fmt::format("{} distinct codes for {} classes and {} items: the codes look like a classifier's output "
                            "(about one code per class), the trivial solution that class-only metrics such as mAP "
                            "reward; check mAHP and the per-class table", s.distinct_codes, s.classes_present, s.count);
  }
  return s;
}

}  // namespace shrewd::eval
