#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace shrewd::semantics {

class WordNet;
struct Synset;

// A small built-in text embedding for weakly supervised targets: TF-IDF over a few documents,
// reduced by a truncated SVD (latent semantic analysis). No model files, deterministic.

// Lower-cased words of letters and digits, at least two characters, without English stop words.
std::vector<std::string> tokenize(std::string_view text);

// Document-term TF-IDF weights, rows L2-normalised: tf = raw count, idf = ln((1 + N) / (1 + df)) + 1.
struct TfidfMatrix {
  std::vector<std::string> vocabulary;  // sorted
  std::size_t rows = 0;
  std::vector<double> values;  // rows x vocabulary.size(), row-major
  std::size_t columns() const { return vocabulary.size(); }
};
TfidfMatrix tfidf(const std::vector<std::vector<std::string>>& documents);

// Rank-r truncated SVD A ~ U S V^T of a rows x columns matrix (row-major), by Eigen's BDCSVD.
// Singular values descending, those at or below 1e-10 x the largest dropped; U is rows x r
// (row-major). Each singular vector's sign is fixed so that its largest-magnitude entry of U is
// positive.
struct TruncatedSvd {
  std::size_t rank = 0;
  std::vector<double> singular_values;
  std::vector<double> left;  // rows x rank
};
TruncatedSvd truncated_svd(const std::vector<double>& matrix, std::size_t rows, std::size_t columns,
                           std::size_t rank);

// Latent semantic embeddings of the documents: rows of U_r S_r, each L2-normalised, float
// [documents x dimensions] row-major. `dimensions` is capped at the matrix rank; Error when no
// document has a word.
std::vector<float> embed_documents(const std::vector<std::vector<std::string>>& documents,
                                   std::size_t& dimensions);

struct SynsetDocumentOptions {
  int hypernym_levels = 2;        // also the lemmas and glosses of hypernyms up to this many levels up
  bool include_examples = false;  // the quoted example sentences of the glosses
};

// The words describing a synset: its lemmas (underscores split) and its gloss, plus those of its
// hypernyms (options.hypernym_levels).
std::vector<std::string> synset_document(const WordNet& wordnet, const Synset& synset,
                                         const SynsetDocumentOptions& options = {});

// The synset a class node names: a WordNet id ("n03595614"), a sense name ("jersey.n.03"), or a
// hierarchy node made for a synset that is both inner node and class ("n04197391.self").
const Synset& class_synset(const WordNet& wordnet, std::string_view node);

}  // namespace shrewd::semantics
