#include "shrewd/semantics/text_embedding.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <map>
#include <set>

#include "shrewd/common/error.hpp"
#include "shrewd/semantics/wordnet.hpp"

namespace shrewd::semantics {
namespace {

const std::set<std::string, std::less<>>& stop_words() {
  static const std::set<std::string, std::less<>> words{
      "a",    "an",   "and",  "are",  "as",   "at",   "be",    "by",   "for",   "from", "has",  "have",
      "in",   "is",   "it",   "its",  "of",   "on",   "or",    "that", "the",   "their", "them", "they",
      "this", "to",   "was",  "were", "which", "with", "who",  "whose", "used", "usually", "often",
      "especially", "etc", "any", "some", "one", "into", "over", "under", "up", "out", "but", "not",
      "no",   "so",   "than", "such", "other", "these", "those", "can", "may", "also", "very"};
  return words;
}

std::string without_quoted_examples(std::string_view gloss) {
  std::string text;
  bool quoted = false;
  for (char c : gloss) {
    if (c == '"') quoted = !quoted;
    else if (!quoted) text += c;
  }
  return text;
}

void append_words(std::vector<std::string>& document, std::string_view text) {
  auto words = tokenize(text);
  document.insert(document.end(), words.begin(), words.end());
}

}  // namespace

std::vector<std::string> tokenize(std::string_view text) {
  std::vector<std::string> words;
  std::string word;
  auto flush = [&] {
    if (word.size() >= 2 && !stop_words().contains(word)) words.push_back(word);
    word.clear();
  };
  for (char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u)) word += static_cast<char>(std::tolower(u));
    else flush();
  }
  flush();
  return words;
}

TfidfMatrix tfidf(const std::vector<std::vector<std::string>>& documents) {
  TfidfMatrix m;
  m.rows = documents.size();
  std::map<std::string, std::size_t> document_frequency;
  for (const auto& document : documents) {
    std::set<std::string> seen(document.begin(), document.end());
    for (const auto& word : seen) ++document_frequency[word];
  }
  std::map<std::string, std::size_t> column;
  for (const auto& [word, _] : document_frequency) {
    column[word] = m.vocabulary.size();
    m.vocabulary.push_back(word);
  }
  const auto n = static_cast<double>(m.rows);
  m.values.assign(m.rows * m.columns(), 0.0);
  for (std::size_t r = 0; r < m.rows; ++r) {
    double* row = m.values.data() + r * m.columns();
    for (const auto& word : documents[r]) row[column[word]] += 1.0;
    double norm = 0;
    for (const auto& [word, df] : document_frequency) {
      double& v = row[column[word]];
      v *= std::log((1 + n) / (1 + static_cast<double>(df))) + 1;
      norm += v * v;
    }
    if (norm > 0)
      for (std::size_t c = 0; c < m.columns(); ++c) row[c] /= std::sqrt(norm);
  }
  return m;
}

SymmetricEigen symmetric_eigen(std::vector<double> a, std::size_t n) {
  if (a.size() != n * n) fail("symmetric_eigen", "matrix size does not match n x n");
  std::vector<double> v(n * n, 0.0);
  for (std::size_t i = 0; i < n; ++i) v[i * n + i] = 1.0;
  auto at = [n](std::vector<double>& m, std::size_t r, std::size_t c) -> double& { return m[r * n + c]; };
  double total = 0;
  for (double x : a) total += x * x;
  for (int sweep = 0; sweep < 100; ++sweep) {
    double off = 0;
    for (std::size_t p = 0; p < n; ++p)
      for (std::size_t q = p + 1; q < n; ++q) off += at(a, p, q) * at(a, p, q);
    if (off <= 1e-24 * std::max(total, 1e-300)) break;
    for (std::size_t p = 0; p < n; ++p) {
      for (std::size_t q = p + 1; q < n; ++q) {
        const double apq = at(a, p, q);
        if (std::abs(apq) < 1e-300) continue;
        // The rotation in the (p, q) plane that zeroes a_pq.
        const double theta = (at(a, q, q) - at(a, p, p)) / (2 * apq);
        const double t = (theta >= 0 ? 1.0 : -1.0) / (std::abs(theta) + std::sqrt(theta * theta + 1));
        const double c = 1 / std::sqrt(t * t + 1), s = t * c;
        for (std::size_t k = 0; k < n; ++k) {
          const double kp = at(a, k, p), kq = at(a, k, q);
          at(a, k, p) = c * kp - s * kq;
          at(a, k, q) = s * kp + c * kq;
        }
        for (std::size_t k = 0; k < n; ++k) {
          const double pk = at(a, p, k), qk = at(a, q, k);
          at(a, p, k) = c * pk - s * qk;
          at(a, q, k) = s * pk + c * qk;
        }
        for (std::size_t k = 0; k < n; ++k) {
          const double kp = at(v, k, p), kq = at(v, k, q);
          at(v, k, p) = c * kp - s * kq;
          at(v, k, q) = s * kp + c * kq;
        }
      }
    }
  }
  std::vector<std::size_t> order(n);
  for (std::size_t i = 0; i < n; ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](std::size_t x, std::size_t y) { return at(a, x, x) > at(a, y, y); });
  SymmetricEigen result;
  result.values.resize(n);
  result.vectors.resize(n * n);
  for (std::size_t j = 0; j < n; ++j) {
    result.values[j] = at(a, order[j], order[j]);
    for (std::size_t k = 0; k < n; ++k) result.vectors[k * n + j] = at(v, k, order[j]);
  }
  return result;
}

TruncatedSvd truncated_svd(const std::vector<double>& m, std::size_t rows, std::size_t columns, std::size_t rank) {
  if (m.size() != rows * columns) fail("truncated_svd", "matrix size does not match rows x columns");
  const bool by_rows = rows <= columns;
  const std::size_t n = by_rows ? rows : columns;
  std::vector<double> gram(n * n, 0.0);
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = i; j < n; ++j) {
      double sum = 0;
      if (by_rows) {
        for (std::size_t k = 0; k < columns; ++k) sum += m[i * columns + k] * m[j * columns + k];
      } else {
        for (std::size_t k = 0; k < rows; ++k) sum += m[k * columns + i] * m[k * columns + j];
      }
      gram[i * n + j] = gram[j * n + i] = sum;
    }
  const auto eigen = symmetric_eigen(std::move(gram), n);
  const double largest = n > 0 ? std::sqrt(std::max(eigen.values[0], 0.0)) : 0.0;
  TruncatedSvd svd;
  for (std::size_t j = 0; j < std::min(rank, n); ++j) {
    const double sigma = std::sqrt(std::max(eigen.values[j], 0.0));
    if (sigma <= 1e-10 * largest || sigma == 0) break;
    svd.singular_values.push_back(sigma);
  }
  svd.rank = svd.singular_values.size();
  svd.left.assign(rows * svd.rank, 0.0);
  for (std::size_t j = 0; j < svd.rank; ++j) {
    for (std::size_t i = 0; i < rows; ++i) {
      double value;
      if (by_rows) {
        value = eigen.vectors[i * n + j];
      } else {  // u_j = A v_j / sigma_j
        value = 0;
        for (std::size_t k = 0; k < columns; ++k) value += m[i * columns + k] * eigen.vectors[k * n + j];
        value /= svd.singular_values[j];
      }
      svd.left[i * svd.rank + j] = value;
    }
    std::size_t biggest = 0;
    for (std::size_t i = 1; i < rows; ++i)
      if (std::abs(svd.left[i * svd.rank + j]) > std::abs(svd.left[biggest * svd.rank + j])) biggest = i;
    if (svd.left[biggest * svd.rank + j] < 0)
      for (std::size_t i = 0; i < rows; ++i) svd.left[i * svd.rank + j] = -svd.left[i * svd.rank + j];
  }
  return svd;
}

std::vector<float> embed_documents(const std::vector<std::vector<std::string>>& documents, std::size_t& dimensions) {
  const auto matrix = tfidf(documents);
  if (matrix.columns() == 0) fail("text embedding", "the documents have no words");
  const auto svd = truncated_svd(matrix.values, matrix.rows, matrix.columns(), dimensions);
  dimensions = svd.rank;
  std::vector<float> out(matrix.rows * dimensions);
  for (std::size_t i = 0; i < matrix.rows; ++i) {
    double norm = 0;
    for (std::size_t j = 0; j < dimensions; ++j) {
      const double v = svd.left[i * dimensions + j] * svd.singular_values[j];
      norm += v * v;
    }
    norm = norm > 0 ? std::sqrt(norm) : 1.0;
    for (std::size_t j = 0; j < dimensions; ++j)
      out[i * dimensions + j] = static_cast<float>(svd.left[i * dimensions + j] * svd.singular_values[j] / norm);
  }
  return out;
}

std::vector<std::string> synset_document(const WordNet& wordnet, const Synset& synset,
                                         const SynsetDocumentOptions& options) {
  std::vector<std::string> document;
  std::vector<const Synset*> level{&synset};
  std::set<std::uint32_t> seen{synset.offset};
  for (int depth = 0; depth <= options.hypernym_levels && !level.empty(); ++depth) {
    std::vector<const Synset*> next;
    for (const Synset* s : level) {
      for (auto lemma : s->lemmas) append_words(document, lemma);  // '_' splits words
      append_words(document, options.include_examples ? std::string(s->gloss) : without_quoted_examples(s->gloss));
      for (auto list : {s->hypernyms, s->instance_hypernyms})
        for (auto offset : list)
          if (seen.insert(offset).second) next.push_back(&wordnet.synset(offset));
    }
    level = std::move(next);
  }
  return document;
}

const Synset& class_synset(const WordNet& wordnet, std::string_view node) {
  constexpr std::string_view self_suffix = ".self";
  if (node.size() > self_suffix.size() && node.ends_with(self_suffix)) {
    std::uint32_t offset = 0;
    if (WordNet::parse_id(node.substr(0, node.size() - self_suffix.size()), offset)) return wordnet.synset(offset);
  }
  return wordnet.resolve(node);
}

}  // namespace shrewd::semantics
