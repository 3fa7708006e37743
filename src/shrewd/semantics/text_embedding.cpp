#include "shrewd/semantics/text_embedding.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <map>
#include <set>

#include <Eigen/SVD>

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

TruncatedSvd truncated_svd(const std::vector<double>& m, std::size_t rows, std::size_t columns, std::size_t rank) {
  if (m.size() != rows * columns) fail("truncated_svd", "matrix size does not match rows x columns");
  using RowMajor = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
  const Eigen::Map<const RowMajor> a(m.data(), static_cast<Eigen::Index>(rows), static_cast<Eigen::Index>(columns));
  TruncatedSvd svd;
  if (rows == 0 || columns == 0) return svd;
  // Divide and conquer (one-sided Jacobi below 16 columns); singular values come out descending.
  const Eigen::BDCSVD<Eigen::MatrixXd> full(a, Eigen::ComputeThinU);
  const auto& sigma = full.singularValues();
  const double largest = sigma(0);
  for (Eigen::Index j = 0; j < std::min<Eigen::Index>(static_cast<Eigen::Index>(rank), sigma.size()); ++j) {
    if (sigma(j) <= 1e-10 * largest || sigma(j) == 0) break;
    svd.singular_values.push_back(sigma(j));
  }
  svd.rank = svd.singular_values.size();
  svd.left.assign(rows * svd.rank, 0.0);
  const auto& u = full.matrixU();
  for (std::size_t j = 0; j < svd.rank; ++j) {
    const auto column = static_cast<Eigen::Index>(j);
    Eigen::Index biggest = 0;
    u.col(column).cwiseAbs().maxCoeff(&biggest);
    const double sign = u(biggest, column) < 0 ? -1.0 : 1.0;
    for (std::size_t i = 0; i < rows; ++i) svd.left[i * svd.rank + j] = sign * u(static_cast<Eigen::Index>(i), column);
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
